#ifndef _LINUX_DEMO_H
#define _LINUX_DEMO_H

static inline int demo_hdr(int v)
{
	return v + 1;
}

#endif
