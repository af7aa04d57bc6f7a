extern void sink(int);
static int count;
int compute(int a, int b) { sink(a); count++; return a * b + 7; }
