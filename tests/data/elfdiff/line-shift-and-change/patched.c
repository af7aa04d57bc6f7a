/* a comment added
 * above the function */
extern void warn_slowpath_fmt(const char *file, int line, unsigned taint, const char *fmt, ...);
extern void __might_sleep(const char *file, int line);
extern void sink(int);
#define WARN_IF(c) do { if (c) warn_slowpath_fmt("x.c", __LINE__, 9, "bad %d", 1); } while (0)
int guarded(int v) {
  __might_sleep("x.c", __LINE__);
  WARN_IF(v > 10);
  sink(v + 1);
  return v;
}
