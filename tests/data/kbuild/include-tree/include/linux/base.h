/* Shared header: "common.h" resolves through each unit's own -I directory. */
#include <linux/types.h>
#include "common.h"
#include <asm/not-here.h>
