extern void sink(int);
struct big { int a, b, c, d, e, f; };
static __attribute__((noinline)) int cp(int a, int b) { if (b) sink(a * b); return a + b; }
int use_cp(int x) { return cp(x, 3) + cp(x + 1, 3); }
static __attribute__((noinline)) int isr(struct big b, int used) { sink(b.a + used); return b.b * 3; }
int use_isr(struct big *p, struct big *q, int k) { return isr(*p, k) + isr(*q, k + 1); }
