extern void sink(int);
extern void __attribute__((cold)) report(const char *what, int v);
int check(int v) {
  if (__builtin_expect(v < 0, 0)) {
    report("negative", v);
    sink(-v);
    return -1;
  }
  sink(v);
  return v * 2;
}
