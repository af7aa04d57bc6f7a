// SPDX-License-Identifier: GPL-2.0
/*
 * Livepatch for the kernel_vmstatus test: replaces cmdline_proc_show, and while the parameter
 * "hold" is 1 a reader of /proc/cmdline sleeps inside the replacement (uninterruptibly, so the
 * livepatch core's fake signals do not wake it). A disable written meanwhile cannot finish its
 * transition until "hold" goes back to 0: a stalled transition the test can observe at will.
 */
#include <linux/delay.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/seq_file.h>

static int hold;
module_param(hold, int, 0644);
MODULE_PARM_DESC(hold, "1: readers of /proc/cmdline wait inside the patched function");

static int holding; /* 1 while a reader waits: the test polls it */
module_param(holding, int, 0444);

static int hold_cmdline_proc_show(struct seq_file *m, void *v)
{
	while (READ_ONCE(hold)) {
		WRITE_ONCE(holding, 1);
		msleep(20);
	}
	WRITE_ONCE(holding, 0);
	seq_puts(m, "patched by livepatch_hold\n");
	return 0;
}

static struct klp_func funcs[] = {
	{ .old_name = "cmdline_proc_show", .new_func = hold_cmdline_proc_show },
	{}
};

static struct klp_object objs[] = {
	{ .name = NULL, .funcs = funcs }, /* NULL: vmlinux */
	{}
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init hold_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit hold_exit(void)
{
}

module_init(hold_init);
module_exit(hold_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION("1.2");
MODULE_INFO(livepatch, "Y");
