/* A patched object declaring livepatch callbacks with the authors' header (unit test). */
#include <klp_lsp.h>

extern void log_it(const char *fmt, int v);

static int pre(struct klp_object *obj)
{
	log_it("pre %d", 1);
	return 0;
}
KLP_PRE_PATCH(pre);

static void post_un(struct klp_object *obj)
{
	log_it("post_unpatch %d", 4);
}
KLP_POST_UNPATCH(post_un);

int changed(int x)
{
	log_it("changed %d", x);
	return x + 1;
}

#ifdef EXTERN_CALLBACK
extern void elsewhere(struct klp_object *obj);
KLP_POST_PATCH(elsewhere);
#endif
