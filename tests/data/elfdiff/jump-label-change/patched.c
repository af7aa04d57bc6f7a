/* The x86-64 kernel's arch_static_branch: a 5-byte nop and a __jump_table entry
 * {code, target, key + branch}, all place-relative. Keys are named in the asm. */
struct static_key {
  int enabled;
};
struct static_key key_a, key_b;
#define STATIC_BRANCH(key, branch)                                                               \
  ({                                                                                             \
    int Taken = 0;                                                                               \
    asm goto("1: .byte 0x0f,0x1f,0x44,0x00,0x00\n"                                               \
             ".pushsection __jump_table, \"aw\"\n.balign 8\n.long 1b - .\n"                      \
             ".long %l[l_yes] - .\n.quad " #key " + " #branch " - .\n.popsection" ::: : l_yes); \
    goto l_no;                                                                                   \
  l_yes:                                                                                         \
    Taken = 1;                                                                                   \
  l_no:                                                                                          \
    Taken;                                                                                       \
  })
extern void sink(int);
void switched_key(int v) {
  if (STATIC_BRANCH(key_b, 0))
    sink(v);
}
void switched_branch(int v) {
  if (STATIC_BRANCH(key_a, 1))
    sink(v + 1);
}
void steady(int v) {
  if (STATIC_BRANCH(key_b, 1))
    sink(v + 2);
}
