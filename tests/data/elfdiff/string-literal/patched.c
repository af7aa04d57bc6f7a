extern void say(const char *);
void greet(void) { say("hello!"); }
void part(void) { say("bye"); }
