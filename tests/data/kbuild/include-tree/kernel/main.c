/*
 * #include <linux/commented.h>
 */
#include <linux/base.h> // a trailing comment
