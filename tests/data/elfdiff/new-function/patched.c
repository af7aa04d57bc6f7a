extern void sink(int);
int first(int a) { sink(a); return a; }
int second(int a) { sink(a * 2); return a; }
static int __attribute__((noinline)) helper(int a) { sink(a * 5); return 0; }
int third(int a) { return helper(a); }
