/* A patched object for the payload selection unit test (gcc-12, kernel code model). */
extern void log_it(const char *fmt, int v);
extern int unexported_global;

static int counter;

static __attribute__((noipa)) int helper(int x)
{
	return x * 3;
}

#define LOCK_SITE() \
	asm volatile("1: nop\n .pushsection .smp_locks,\"a\"\n .balign 4\n .long 1b - .\n .popsection")

__attribute__((noipa)) int unchanged(int x)
{
	LOCK_SITE();
	return x + 1;
}

int changed(int x)
{
	LOCK_SITE();
	counter += unchanged(x);
	log_it("changed %d", helper(x));
	return counter + unexported_global;
}
