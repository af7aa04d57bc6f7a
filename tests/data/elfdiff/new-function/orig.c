extern void sink(int);
int first(int a) { sink(a); return a; }
