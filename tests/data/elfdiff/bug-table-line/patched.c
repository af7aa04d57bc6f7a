/* one added line */
extern void sink(int);
/* The x86-64 kernel's WARN: ud2 and a __bug_table entry holding the line. */
#define WARN_HERE()                                                                     \
  asm volatile("1: ud2\n"                                                                 \
               ".pushsection .rodata.str1.1,\"aMS\",@progbits,1\n3: .string \"x.c\"\n"    \
               ".popsection\n"                                                             \
               ".pushsection __bug_table,\"aw\"\n2: .long 1b - .\n.long 3b - .\n"          \
               ".word %c0\n.word %c1\n.org 2b+12\n.popsection" ::"i"(__LINE__), "i"(1 << 0))
int watched(int v) {
  if (v > 10)
    WARN_HERE();
  sink(v);
  return v;
}
