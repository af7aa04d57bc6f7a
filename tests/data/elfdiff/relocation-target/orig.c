extern int alpha, beta;
extern void sink_a(int), sink_b(int);
int read_var(void) { return alpha; }
void call(int v) { sink_a(v); }
int keep(void) { return beta; }
