extern void sink(int);
static int scale(int a) { return a * 4 + 1; }
int caller(int a) { sink(scale(a)); return a; }
int unrelated(int a) { sink(a); return 0; }
