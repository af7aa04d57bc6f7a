int first(void) { static int x; return ++x; }
int second(void) { static int x; return x += 2; }
