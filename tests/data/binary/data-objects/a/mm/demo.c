// SPDX-License-Identifier: GPL-2.0
static int limit = 10;
static DEFINE_MUTEX(demo_lock);
int old_counter;

void demo(void)
{
	mutex_lock(&demo_lock);
	old_counter++;
	mutex_unlock(&demo_lock);
}
