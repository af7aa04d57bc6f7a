extern void sink(int);
int limit(int a) { if (a > 200) sink(a); return a; }
int other(int a) { sink(a + 1); return a; }
