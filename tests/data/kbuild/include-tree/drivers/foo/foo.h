#include "../bar/bar.h"
