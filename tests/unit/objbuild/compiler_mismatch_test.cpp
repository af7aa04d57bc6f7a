// compilerMismatch: the object's .comment against CONFIG_CC_VERSION_TEXT; objectComments on a
// tiny object compiled here.
#include "klp/object_build.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace klp;
namespace fs = std::filesystem;

namespace {
const std::string Debian12 = "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0";
}

TEST(CompilerMismatch, GccCommentMatchesVersionText) {
  EXPECT_EQ(compilerMismatch({"GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"}, Debian12), std::nullopt);
  EXPECT_EQ(compilerMismatch({"GCC: (GCC) 13.1.0"}, "gcc (GCC) 13.1.0"), std::nullopt);
}

TEST(CompilerMismatch, OtherGccVersionIsReportedWithBoth) {
  EXPECT_EQ(compilerMismatch({"GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"},
                             "gcc-13 (Debian 13.2.0-25) 13.2.0"),
            "the object was compiled by \"GCC: (Debian 12.2.0-14+deb12u1) 12.2.0\" but the "
            "kernel was built with \"gcc-13 (Debian 13.2.0-25) 13.2.0\" (CONFIG_CC_VERSION_TEXT)");
  // Same upstream version, different distribution build: still a different compiler.
  EXPECT_EQ(compilerMismatch({"GCC: (Debian 12.2.0-14) 12.2.0"}, Debian12),
            "the object was compiled by \"GCC: (Debian 12.2.0-14) 12.2.0\" but the kernel was "
            "built with \"" +
                Debian12 + "\" (CONFIG_CC_VERSION_TEXT)");
}

TEST(CompilerMismatch, ClangCommentIsTheVersionLine) {
  std::string Clang = "Debian clang version 19.1.7 (3+b1)";
  EXPECT_EQ(compilerMismatch({Clang}, Clang), std::nullopt);
  EXPECT_EQ(compilerMismatch({Clang}, Debian12), "the object was compiled by \"" + Clang +
                                                     "\" but the kernel was built with \"" +
                                                     Debian12 + "\" (CONFIG_CC_VERSION_TEXT)");
}

TEST(CompilerMismatch, EveryCompilerEntryMustMatchOthersAreIgnored) {
  EXPECT_EQ(
      compilerMismatch({"Linker: LLD 19", "GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"}, Debian12),
      std::nullopt);
  EXPECT_EQ(
      compilerMismatch({"GCC: (Debian 12.2.0-14+deb12u1) 12.2.0", "GCC: (Debian 10.2.1-6) 10.2.1"},
                       Debian12),
      "the object was compiled by \"GCC: (Debian 10.2.1-6) 10.2.1\" but the kernel was "
      "built with \"" +
          Debian12 + "\" (CONFIG_CC_VERSION_TEXT)");
}

TEST(CompilerMismatch, NoCompilerEntry) {
  EXPECT_EQ(compilerMismatch({}, Debian12),
            "the object names no compiler in its .comment section; the kernel was built with \"" +
                Debian12 + "\"");
  EXPECT_EQ(compilerMismatch({"Linker: LLD 19"}, Debian12),
            "the object names no compiler in its .comment section (it holds \"Linker: LLD 19\"); "
            "the kernel was built with \"" +
                Debian12 + "\"");
}

TEST(ObjectComments, ReadsGccCommentOfATinyObject) {
  std::string Dir = fs::temp_directory_path().string() + "/klp-objbuild-comment-XXXXXX";
  ASSERT_TRUE(mkdtemp(Dir.data()));
  std::ofstream(Dir + "/t.c") << "int f(int x) { return x + 1; }\n";
  ASSERT_EQ(std::system(("cd " + Dir + " && gcc-12 -c -o t.o t.c").c_str()), 0);
  std::vector<std::string> C = objectComments(Dir + "/t.o");
  ASSERT_EQ(C.size(), 1u);
  EXPECT_TRUE(C[0].starts_with("GCC: (")) << C[0];
  // gcc-12 --version's first line is what Kconfig stores; it matches the object.
  FILE *P = popen("gcc-12 --version", "r");
  ASSERT_TRUE(P);
  char Line[512] = {};
  ASSERT_TRUE(fgets(Line, sizeof Line, P));
  pclose(P);
  std::string Version = Line;
  Version.erase(Version.find_last_not_of("\n") + 1);
  EXPECT_EQ(compilerMismatch(C, Version), std::nullopt);
  EXPECT_EQ(compilerMismatch(C, "gcc-13 (Debian 13.2.0-25) 13.2.0"),
            "the object was compiled by \"" + C[0] +
                "\" but the kernel was built with \"gcc-13 (Debian 13.2.0-25) 13.2.0\" "
                "(CONFIG_CC_VERSION_TEXT)");
  fs::remove_all(Dir);
}

TEST(ObjectComments, NotAnElfFile) {
  std::string Dir = fs::temp_directory_path().string() + "/klp-objbuild-comment-XXXXXX";
  ASSERT_TRUE(mkdtemp(Dir.data()));
  std::ofstream(Dir + "/t.o") << "not an object\n";
  try {
    objectComments(Dir + "/t.o");
    FAIL() << "no error";
  } catch (const Error &E) {
    EXPECT_TRUE(std::string(E.what()).starts_with(Dir + "/t.o is not a readable ELF file"))
        << E.what();
  }
  EXPECT_THROW(objectComments(Dir + "/missing.o"), Error);
  fs::remove_all(Dir);
}
