#include <linux/base.h>
