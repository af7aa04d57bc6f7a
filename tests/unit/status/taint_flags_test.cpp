// Every 6.1 taint bit with its letter and name (include/linux/panic.h, kernel/panic.c), the
// unknown bits above them, and /proc/sys/kernel/tainted decoded bit by bit.
#include "klp/target_status.h"
#include "status_root.h"
#include <gtest/gtest.h>

namespace klp::test {
namespace {

struct Expected {
  unsigned Bit;
  char Letter;
  const char *Name;
};

// Written from the 6.1 sources, independently of the library's table.
const Expected SixOneFlags[] = {
    {0, 'P', "TAINT_PROPRIETARY_MODULE"},
    {1, 'F', "TAINT_FORCED_MODULE"},
    {2, 'S', "TAINT_CPU_OUT_OF_SPEC"},
    {3, 'R', "TAINT_FORCED_RMMOD"},
    {4, 'M', "TAINT_MACHINE_CHECK"},
    {5, 'B', "TAINT_BAD_PAGE"},
    {6, 'U', "TAINT_USER"},
    {7, 'D', "TAINT_DIE"},
    {8, 'A', "TAINT_OVERRIDDEN_ACPI_TABLE"},
    {9, 'W', "TAINT_WARN"},
    {10, 'C', "TAINT_CRAP"},
    {11, 'I', "TAINT_FIRMWARE_WORKAROUND"},
    {12, 'O', "TAINT_OOT_MODULE"},
    {13, 'E', "TAINT_UNSIGNED_MODULE"},
    {14, 'L', "TAINT_SOFTLOCKUP"},
    {15, 'K', "TAINT_LIVEPATCH"},
    {16, 'X', "TAINT_AUX"},
    {17, 'T', "TAINT_RANDSTRUCT"},
    {18, 'N', "TAINT_TEST"},
};

TEST(TaintFlags, EverySixOneBitHasItsLetterAndName) {
  for (const Expected &E : SixOneFlags) {
    TaintFlagInfo F = taintFlag(E.Bit);
    EXPECT_EQ(F.Bit, E.Bit);
    EXPECT_EQ(F.Letter, E.Letter) << "bit " << E.Bit;
    EXPECT_EQ(F.Name, E.Name) << "bit " << E.Bit;
    EXPECT_FALSE(F.Description.empty()) << "bit " << E.Bit;
  }
  EXPECT_EQ(taintFlag(TaintLivepatchBit).Name, "TAINT_LIVEPATCH");
  EXPECT_EQ(taintFlag(TaintUnsignedModuleBit).Name, "TAINT_UNSIGNED_MODULE");
  EXPECT_EQ(taintFlag(15).Description, "kernel has been live patched");
  EXPECT_EQ(taintFlag(13).Description, "unsigned module was loaded");
}

TEST(TaintFlags, BitsAboveEighteenAreUnknown) {
  for (unsigned Bit : {19u, 20u, 31u, 63u}) {
    TaintFlagInfo F = taintFlag(Bit);
    EXPECT_EQ(F.Bit, Bit);
    EXPECT_EQ(F.Letter, std::nullopt);
    EXPECT_EQ(F.Name, "");
    EXPECT_EQ(F.Description, "unknown taint bit");
  }
}

// Each bit alone, read from a recorded root: exactly that flag.
TEST(TaintFlags, EachBitAloneDecodesToItsFlag) {
  RecordedRoot R;
  R.readySystem();
  for (unsigned Bit = 0; Bit < 64; ++Bit) {
    R.file("proc/sys/kernel/tainted", std::to_string(uint64_t(1) << Bit) + "\n");
    TargetStatus S = readTargetStatus(R.root());
    EXPECT_EQ(S.Taint.Value, uint64_t(1) << Bit);
    ASSERT_EQ(S.Taint.Flags.size(), 1u) << "bit " << Bit;
    EXPECT_EQ(S.Taint.Flags[0].Bit, Bit);
    if (Bit < std::size(SixOneFlags))
      EXPECT_EQ(S.Taint.Flags[0].Letter, SixOneFlags[Bit].Letter);
    else
      EXPECT_EQ(S.Taint.Flags[0].Letter, std::nullopt);
  }
}

TEST(TaintFlags, LivepatchAndUnsignedTogether) {
  RecordedRoot R;
  R.readySystem();
  R.file("proc/sys/kernel/tainted", "40960\n"); // K (15) + E (13)
  TargetStatus S = readTargetStatus(R.root());
  ASSERT_EQ(S.Taint.Flags.size(), 2u);
  EXPECT_EQ(S.Taint.Flags[0].Name, "TAINT_UNSIGNED_MODULE");
  EXPECT_EQ(S.Taint.Flags[1].Name, "TAINT_LIVEPATCH");
}

} // namespace
} // namespace klp::test
