/* The x86-64 kernel's ALTERNATIVE: the original instruction, an .altinstructions entry
 * {instr_offset, repl_offset, cpuid, instrlen, replacementlen} (12 bytes, packed) and the
 * replacement code in .altinstr_replacement. Bodies are equal on both sides. */
#define ALTERNATIVE(old, new, feature)                                                           \
  "661:\n\t" old "\n662:\n"                                                                      \
  ".pushsection .altinstructions, \"a\"\n.long 661b - .\n.long 6641f - .\n.word " #feature "\n"  \
  ".byte 662b - 661b\n.byte 6642f - 6641f\n.popsection\n"                                        \
  ".pushsection .altinstr_replacement, \"ax\"\n6641:\n\t" new "\n6642:\n.popsection\n"
extern void sink_a(void);
extern void sink_b(void);
void fence_changed(void) { asm volatile(ALTERNATIVE(".byte 0x0f,0x1f,0x00", "mfence", 123)); }
void call_changed(void) {
  asm volatile(ALTERNATIVE(".byte 0x0f,0x1f,0x44,0x00,0x00", "call sink_b", 124));
}
void feature_changed(void) { asm volatile(ALTERNATIVE(".byte 0x0f,0x1f,0x00", "lfence", 127)); }
void steady(void) { asm volatile(ALTERNATIVE(".byte 0x0f,0x1f,0x00", "lfence", 126)); }
