// SPDX-License-Identifier: GPL-2.0
static int limit = 20;
static DEFINE_MUTEX(demo_lock);
static unsigned long reads;

void demo(void)
{
	static int calls;

	mutex_lock(&demo_lock);
	reads++;
	calls++;
	WARN_ON_ONCE(reads > limit);
	mutex_unlock(&demo_lock);
}
