#include "../../../kbuild-integration/src/shell_words.h"

#include "klp/error.h"

#include <gtest/gtest.h>

using namespace klp;
using Cmds = std::vector<std::vector<std::string>>;

TEST(ShellWords, QuotesAndSeparators) {
  EXPECT_EQ(splitShellCommands("a 'b c' \"d \\\"e\\\" \\$f\" g\\ h;i&&j||k|l&m\nn"),
            (Cmds{{"a", "b c", "d \"e\" $f", "g h"}, {"i"}, {"j"}, {"k"}, {"l"}, {"m"}, {"n"}}));
}

TEST(ShellWords, KbuildModnameQuoting) {
  // The -D values kbuild's stringify produces, and an empty quoted word.
  EXPECT_EQ(
      splitShellWords("gcc -DKBUILD_MODNAME='\"proc\"' -DX='' -DY=\"'q'\" x.c"),
      (std::vector<std::string>{"gcc", "-DKBUILD_MODNAME=\"proc\"", "-DX=", "-DY='q'", "x.c"}));
}

TEST(ShellWords, ContinuationsAndComments) {
  EXPECT_EQ(splitShellCommands("a \\\n b # c ; d\ne#f"), (Cmds{{"a", "b"}, {"e#f"}}));
  EXPECT_EQ(splitShellCommands("  ;; ; "), Cmds{});
}

TEST(ShellWords, UnterminatedQuoteThrows) {
  EXPECT_THROW(splitShellCommands("gcc 'abc"), Error);
  EXPECT_THROW(splitShellCommands("gcc \"abc"), Error);
}

TEST(ShellWords, QuoteRoundTrip) {
  for (std::string W : {"plain", "-DKBUILD_MODNAME=\"proc\"", "it's", "", "a b"})
    EXPECT_EQ(splitShellWords("x " + shellQuote(W)), (std::vector<std::string>{"x", W})) << W;
  EXPECT_EQ(shellQuote("-I./include"), "-I./include");
}
