extern void sink(int);
int first(int a) { sink(a); return a; }
int second(int a) { sink(a * 2); return a; }
