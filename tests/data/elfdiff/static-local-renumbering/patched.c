int first(void) { static int x; return ++x; }
int second(void) { static int x; return x += 2; }
int added(void) { static int x; return x += 3; }
