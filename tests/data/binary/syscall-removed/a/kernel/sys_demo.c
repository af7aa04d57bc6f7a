// SPDX-License-Identifier: GPL-2.0
#include <linux/syscalls.h>

static long gone_helper(int x)
{
	return x;
}

SYSCALL_DEFINE1(demo, int, x)
{
	return gone_helper(x);
}
