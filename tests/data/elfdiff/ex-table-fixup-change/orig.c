/* The x86-64 kernel's _ASM_EXTABLE_TYPE: an __ex_table entry {insn, fixup, type}, the first two
 * place-relative. Bodies are equal on both sides; only the entries differ. */
#define EXTABLE(from, to, type)                                                                  \
  ".pushsection __ex_table, \"a\"\n.balign 4\n.long " #from " - .\n.long " #to " - .\n"          \
  ".long " #type "\n.popsection\n"
int fixup_moved(const int *p) {
  int v = 0;
  asm volatile("1: movl (%1), %0\n2: nop\n3:\n" EXTABLE(1b, 2b, 0) : "+r"(v) : "r"(p));
  return v;
}
int type_changed(const int *p) {
  int v = 0;
  asm volatile("1: movl (%1), %0\n2:\n" EXTABLE(1b, 2b, 3) : "+r"(v) : "r"(p));
  return v;
}
int steady(const int *p) {
  int v = 0;
  asm volatile("1: movl (%1), %0\n2:\n" EXTABLE(1b, 2b, 3) : "+r"(v) : "r"(p));
  return v + 1;
}
