// SPDX-License-Identifier: GPL-2.0
#include <linux/bug.h>

static inline int scale(int v)
{
	return v * 2;
}

static int helper_wrapper(int v)
{
	return scale(v) + 1;
}

int demo_read(int v)
{
	return helper_wrapper(v);
}

int demo_changed(int v)
{
	return v - 1;
}

static void demo_old(void)
{
}

void demo_below(void)
{
	WARN_ON(1);
}
