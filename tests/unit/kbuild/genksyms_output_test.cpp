#include "../../../kbuild-integration/src/genksyms.h"

#include <gtest/gtest.h>

using namespace klp;

TEST(GenksymsOutput, SymverAndOldCrcFormat) {
  auto M = parseGenksymsOutput("#SYMVER wake_up_process 0x436b7c64\n"
                               "#SYMVER schedule 0x01000e51\n"
                               "__crc_old_style = 0xdeadbeef;\n"
                               "something else\n");
  EXPECT_EQ(M, (std::map<std::string, unsigned long>{{"wake_up_process", 0x436b7c64},
                                                     {"schedule", 0x01000e51},
                                                     {"old_style", 0xdeadbeef}}));
}
