extern void sink(int);
int limit(int a) { if (a > 100) sink(a); return a; }
int other(int a) { sink(a + 1); return a; }
