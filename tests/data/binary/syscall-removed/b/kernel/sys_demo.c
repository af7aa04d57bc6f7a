// SPDX-License-Identifier: GPL-2.0
#include <linux/syscalls.h>

SYSCALL_DEFINE1(demo, int, x)
{
	return x + 1;
}
