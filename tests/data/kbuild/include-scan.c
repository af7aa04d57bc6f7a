// Input for scanIncludes: each line kind the scanner must take or leave.
#include <linux/a.h>
#include "b.h"
  #  include   <c/d.h>   /* spaced out */
#include_next <e.h>
#include MACRO_HEADER
#include TRACE_INCLUDE(TRACE_INCLUDE_FILE)
// #include <commented/line.h>
/* #include <commented/block.h>
#include <still/commented.h>
*/ #include <after/comment.h>
#define X "#include <not/a/directive.h>"
#if 0
#include <disabled/branch.h>
#endif
#includex <not/include.h>
#include <>
