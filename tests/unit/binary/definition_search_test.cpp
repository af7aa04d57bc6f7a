// The line search behind binary findings' positions, and the join with source findings.
#include "klp/binary_findings.h"

#include <gtest/gtest.h>

using namespace klp;

namespace {

Range at(unsigned Line, unsigned Col, unsigned Len) { return {{Line, Col}, {Line, Col + Len}}; }

const char *Text = R"(/* foo(void) { in a comment */
#define foo(x) { x }
static int foo(int);
static const char *s = "foo(1) {";
int bar = foo(2);

static int
foo(int a,
    int b) __acquires(lock)
{
	static int count = 0;
	return a + b + count;
}
static DEFINE_MUTEX(foo_lock);
static int table[4] = {1}, other;
SYSCALL_DEFINE3(frob, int, a, int, b, int, c)
{
	bar = 1;
	return 0;
}
)";

TEST(DefinitionSearch, FunctionSkipsCommentsMacrosPrototypesAndCalls) {
  EXPECT_EQ(findFunctionDefinition(Text, "foo"), at(7, 0, 3));
  EXPECT_EQ(findFunctionDefinition(Text, "fo"), std::nullopt);
  EXPECT_EQ(findFunctionDefinition(Text, "count"), std::nullopt);
  EXPECT_EQ(findFunctionDefinition(Text, ""), std::nullopt);
}

TEST(DefinitionSearch, SyscallWrappersFindTheirDefineMacro) {
  for (const char *Name : {"__x64_sys_frob", "__se_sys_frob", "__do_sys_frob", "__ia32_sys_frob"})
    EXPECT_EQ(findFunctionDefinition(Text, Name), at(15, 16, 4)) << Name;
  EXPECT_EQ(findFunctionDefinition(Text, "__x64_sys_"), std::nullopt);
}

TEST(DefinitionSearch, DefinitionTextRunsToTheClosingBrace) {
  EXPECT_EQ(functionDefinitionText(Text, "foo"),
            "foo(int a,\n    int b) __acquires(lock)\n{\n\tstatic int count = 0;\n"
            "\treturn a + b + count;\n}");
  EXPECT_EQ(functionDefinitionText(Text, "nothing"), "");
}

TEST(DefinitionSearch, Variables) {
  EXPECT_EQ(findVariableDefinition(Text, "bar"), at(4, 4, 3));
  EXPECT_EQ(findVariableDefinition(Text, "count"), at(10, 12, 5));
  EXPECT_EQ(findVariableDefinition(Text, "foo_lock"), at(13, 20, 8));
  EXPECT_EQ(findVariableDefinition(Text, "table"), at(14, 11, 5));
  EXPECT_EQ(findVariableDefinition(Text, "other"), at(14, 27, 5));
  EXPECT_EQ(findVariableDefinition(Text, "s"), at(3, 19, 1));
  EXPECT_EQ(findVariableDefinition(Text, "a"), std::nullopt); // parameters are not objects
  EXPECT_EQ(findVariableDefinition(Text, "foo"), std::nullopt);
}

TEST(JoinBinaryFindings, DropsDuplicatesMergesRelatedAndAddsNewFunctions) {
  Report R;
  Finding Source{"inline-callers",
                 Severity::Warning,
                 "a.c",
                 at(3, 12, 6),
                 "source message",
                 {{"a.c", at(9, 4, 1), "'helper' is inlined into 'a'", "a"}},
                 {},
                 "helper"};
  R.Findings.push_back(Source);
  R.Functions.push_back({"helper", "a.c", "changed", at(3, 12, 6)});
  R.Functions.push_back({"a", "a.c", "inline-caller", at(9, 4, 1)});

  BinaryFindings B;
  Finding Dup = Source;
  Dup.Message = "binary message";
  Dup.Related.push_back({"a.c", at(20, 4, 1), "'helper' is inlined into 'b'", "b"});
  B.Findings.push_back(Dup);
  B.Findings.push_back(
      {"line-macro-shift", Severity::Warning, "a.c", at(30, 4, 1), "shift", {}, {}, "c"});
  B.Functions = {{"a", "a.c", "inline-caller", at(9, 4, 1)},
                 {"b", "a.c", "inline-caller", at(20, 4, 1)},
                 {"c", "a.c", "line-shift", at(30, 4, 1)}};
  joinBinaryFindings(R, B);

  ASSERT_EQ(R.Findings.size(), 2u);
  EXPECT_EQ(R.Findings[0].Message, "source message");
  ASSERT_EQ(R.Findings[0].Related.size(), 2u);
  EXPECT_EQ(R.Findings[0].Related[1].Symbol, "b");
  EXPECT_EQ(R.Findings[1].Rule, "line-macro-shift");
  std::vector<std::string> Names;
  for (const FunctionChange &F : R.Functions)
    Names.push_back(F.Name + "/" + F.Status);
  EXPECT_EQ(Names, (std::vector<std::string>{"helper/changed", "a/inline-caller", "b/inline-caller",
                                             "c/line-shift"}));
}

} // namespace
