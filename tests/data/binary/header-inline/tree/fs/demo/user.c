// SPDX-License-Identifier: GPL-2.0
#include <linux/demo.h>
#include <linux/module.h>

static int user_fn(int v)
{
	return demo_hdr(v) * 2;
}

int user_other(int v)
{
	return user_fn(v) + DEMO_CONSTANT;
}
