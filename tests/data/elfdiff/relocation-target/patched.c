extern int alpha, beta;
extern void sink_a(int), sink_b(int);
int read_var(void) { return beta; }
void call(int v) { sink_b(v); }
int keep(void) { return beta; }
