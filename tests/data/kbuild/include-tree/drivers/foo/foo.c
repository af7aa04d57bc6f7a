#include <linux/base.h>
#include "foo.h"
