extern void sink(int);
int compute(int a, int b) { return a * b - b + 7; }
int other(int a) { sink(a); return a; }
