/* SPDX-License-Identifier: GPL-2.0 */
/*
 * klp_lsp.h: what a livepatch author can write in a patched kernel source file that
 * `klp-lsp build` turns into a livepatch module. Include it as <klp_lsp.h>: the build adds its
 * directory to the include path of the patched side.
 *
 * Callbacks of the livepatch object the file belongs to (vmlinux or its module), see
 * Documentation/livepatch/callbacks.rst. At most one of each kind per livepatch object:
 *
 *	static int my_pre_patch(struct klp_object *obj) { ... return 0; }
 *	KLP_PRE_PATCH(my_pre_patch);
 *	KLP_POST_PATCH(fn);   KLP_PRE_UNPATCH(fn);   KLP_POST_UNPATCH(fn);   (void fn(struct klp_object *))
 *
 * Each macro leaves a pointer to the function in a section ".discard.klp_lsp.<kind>" of the
 * patched object; the packager finds it there, copies the function into the module and puts it
 * in the klp_object's callbacks. The section is never linked into the kernel or the module.
 *
 * Shadow variables (Documentation/livepatch/shadow-vars.rst), typed and zero-filled:
 *
 *	int *n = KLP_SHADOW_GET_OR_ALLOC(obj, MY_ID, int, GFP_KERNEL);
 *	int *n = KLP_SHADOW_GET(obj, MY_ID, int);
 *	KLP_SHADOW_FREE(obj, MY_ID);   KLP_SHADOW_FREE_ALL(MY_ID);
 */
#ifndef KLP_LSP_H
#define KLP_LSP_H

struct klp_object;

typedef int (*klp_lsp_pre_patch_t)(struct klp_object *obj);
typedef void (*klp_lsp_object_callback_t)(struct klp_object *obj);

/* One pointer per kind and file: a second use of a kind in a file fails to compile. */
#define KLP_LSP_CALLBACK_(kind, type, fn)                                                  \
	static const type __klp_lsp_callback_##kind                                        \
		__attribute__((used, section(".discard.klp_lsp." #kind))) = (fn)

#define KLP_PRE_PATCH(fn) KLP_LSP_CALLBACK_(pre_patch, klp_lsp_pre_patch_t, fn)
#define KLP_POST_PATCH(fn) KLP_LSP_CALLBACK_(post_patch, klp_lsp_object_callback_t, fn)
#define KLP_PRE_UNPATCH(fn) KLP_LSP_CALLBACK_(pre_unpatch, klp_lsp_object_callback_t, fn)
#define KLP_POST_UNPATCH(fn) KLP_LSP_CALLBACK_(post_unpatch, klp_lsp_object_callback_t, fn)

#ifdef __KERNEL__
#include <linux/livepatch.h>

/* The shadow variable ID of obj, as TYPE *; NULL when none is attached. */
#define KLP_SHADOW_GET(obj, id, type) ((type *)klp_shadow_get((void *)(obj), (id)))
/* Attaches a zero-filled TYPE to obj under id unless one is attached; returns it (NULL when
 * out of memory). */
#define KLP_SHADOW_GET_OR_ALLOC(obj, id, type, gfp)                                        \
	((type *)klp_shadow_get_or_alloc((void *)(obj), (id), sizeof(type), (gfp), NULL, NULL))
#define KLP_SHADOW_FREE(obj, id) klp_shadow_free((void *)(obj), (id), NULL)
#define KLP_SHADOW_FREE_ALL(id) klp_shadow_free_all((id), NULL)
#endif

#endif /* KLP_LSP_H */
