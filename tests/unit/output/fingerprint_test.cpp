#include "output/fingerprint.h"
#include <gtest/gtest.h>

using namespace klp;
using namespace klp::output;

namespace {

TEST(Fingerprint, LineNumbersAreRemoved) {
  EXPECT_EQ(withoutLineNumbers("ext4_iget (fs/ext4/inode.c:4720) and foo.c:12:5"),
            "ext4_iget (fs/ext4/inode.c:) and foo.c::");
  EXPECT_EQ(withoutLineNumbers("callers at line 120, Lines 300-310"), "callers at line , Lines ");
  // Other numbers are part of the finding's identity.
  EXPECT_EQ(withoutLineNumbers("size 1096 -> 1104 bytes, 2 callers"),
            "size 1096 -> 1104 bytes, 2 callers");
  EXPECT_EQ(withoutLineNumbers("offline 5, pipeline 7"), "offline 5, pipeline 7");
  EXPECT_EQ(withoutLineNumbers("ratio 3:2 at end:"), "ratio 3: at end:");
}

TEST(Fingerprint, SurvivesLineMoves) {
  Finding A{"inline-callers",
            Severity::Warning,
            "fs/ext4/inode.c",
            {{99, 19}, {99, 37}},
            "inlined into ext4_write_begin (fs/ext4/inode.c:1200)",
            {},
            {},
            "ext4_inode_csum"};
  Finding B = A;
  B.Where = {{140, 19}, {140, 37}};
  B.Message = "inlined into ext4_write_begin (fs/ext4/inode.c:1241)";
  EXPECT_EQ(findingFingerprint(A), findingFingerprint(B));
  EXPECT_EQ(findingFingerprint(A).size(), 32u);
}

TEST(Fingerprint, IdentityFieldsMatter) {
  Finding A{"inline-callers", Severity::Warning, "a.c", {}, "m", {}, {}, "f"};
  Finding Rule = A, File = A, Symbol = A, Message = A, Sev = A;
  Rule.Rule = "once-macro";
  File.File = "b.c";
  Symbol.Symbol = "g";
  Message.Message = "n";
  Sev.Sev = Severity::Error; // a raised severity is the same alert
  EXPECT_NE(findingFingerprint(A), findingFingerprint(Rule));
  EXPECT_NE(findingFingerprint(A), findingFingerprint(File));
  EXPECT_NE(findingFingerprint(A), findingFingerprint(Symbol));
  EXPECT_NE(findingFingerprint(A), findingFingerprint(Message));
  EXPECT_EQ(findingFingerprint(A), findingFingerprint(Sev));
  // Field boundaries count: symbol "ab" + message "c" differs from "a" + "bc".
  Finding X{"r", Severity::Info, "f.c", {}, "c", {}, {}, "ab"};
  Finding Y{"r", Severity::Info, "f.c", {}, "bc", {}, {}, "a"};
  EXPECT_NE(findingFingerprint(X), findingFingerprint(Y));
}

} // namespace
