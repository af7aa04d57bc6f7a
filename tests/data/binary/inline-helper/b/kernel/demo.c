// SPDX-License-Identifier: GPL-2.0
#include <linux/bug.h>

static inline int scale(int v)
{
	/* one more line */
	return v * 3;
}

static int helper_wrapper(int v)
{
	return scale(v) + 1;
}

int demo_read(int v)
{
	return helper_wrapper(v);
}

static int demo_new(void)
{
	return 7;
}

int demo_changed(int v)
{
	return v - demo_new();
}

void demo_below(void)
{
	WARN_ON(1);
}
