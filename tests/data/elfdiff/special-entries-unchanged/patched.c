/* steady keeps its __jump_table, __ex_table, .altinstructions and .static_call_sites entries
 * while other, defined before it, changes its body and gains entries, so steady's entries and
 * replacement code move within their sections. */
struct static_key {
  int enabled;
};
struct static_key key_a;
int call_key;
#define JUMP(key, branch)                                                                        \
  ".pushsection __jump_table, \"aw\"\n.balign 8\n.long 1b - .\n.long %l[l_yes] - .\n"            \
  ".quad " #key " + " #branch " - .\n.popsection\n"
#define EXTABLE(from, to, type)                                                                  \
  ".pushsection __ex_table, \"a\"\n.balign 4\n.long " #from " - .\n.long " #to " - .\n"          \
  ".long " #type "\n.popsection\n"
#define ALTERNATIVE(old, new, feature)                                                           \
  "661:\n\t" old "\n662:\n"                                                                      \
  ".pushsection .altinstructions, \"a\"\n.long 661b - .\n.long 6641f - .\n.word " #feature "\n"  \
  ".byte 662b - 661b\n.byte 6642f - 6641f\n.popsection\n"                                        \
  ".pushsection .altinstr_replacement, \"ax\"\n6641:\n\t" new "\n6642:\n.popsection\n"
#define STATIC_CALL_SITE(key)                                                                    \
  ".pushsection .static_call_sites, \"aw\"\n.long 1b - .\n.long " #key " - .\n.popsection\n"
extern void sink(int);
int other(const int *p) {
  int v = 0;
  asm volatile(ALTERNATIVE(".byte 0x0f,0x1f,0x44,0x00,0x00", "call sink", 123));
  asm volatile("1: movl (%1), %0\n2:\n" EXTABLE(1b, 2b, 3) : "+r"(v) : "r"(p));
  asm volatile("1: movl 4(%1), %0\n2:\n" EXTABLE(1b, 2b, 3) : "+r"(v) : "r"(p));
  return v + 3;
}
int steady(const int *p) {
  int v = 0;
  asm goto("1: .byte 0x0f,0x1f,0x44,0x00,0x00\n" JUMP(key_a, 1)::: : l_yes);
  asm volatile(ALTERNATIVE(".byte 0x0f,0x1f,0x44,0x00,0x00", "call sink", 124));
  asm volatile("1: movl (%1), %0\n2:\n" EXTABLE(1b, 2b, 3) : "+r"(v) : "r"(p));
  asm volatile("1: .byte 0x0f,0x1f,0x44,0x00,0x00\n" STATIC_CALL_SITE(call_key));
  return v;
l_yes:
  sink(v);
  return v + 2;
}
