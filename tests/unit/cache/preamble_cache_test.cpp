// When a SummaryCache builds, reuses or refuses a precompiled preamble (rules in
// clang-plugins/src/preamble_cache.h), each step with its exact counters and a summary equal to
// a parse without a preamble.
#include "../../../clang-plugins/src/parse_tu.h"
#include "summary_dump.h"

#include "klp/analysis/check.h"
#include "klp/analysis/summary_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace klp;
using analysis::SummaryCache;

namespace {

// main.c: "#include "h.h"" then a function using h.h's macro and struct.
std::string mainC(const std::string &Body, const std::string &Includes = "#include \"h.h\"\n") {
  return "// lead\n" + Includes +
         "int f(struct s *p)\n"
         "{\n" +
         Body + "\treturn p->a + V;\n}\n";
}
const char *HeaderH = "#define V 1\nstruct s { int a; };\n";

struct Counters {
  uint64_t Builds, Unusable, Reuses;
  size_t Held;
};

class PreambleCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    Root = fs::temp_directory_path() /
           ("klp-preamble-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(Root);
    fs::create_directories(Root);
    write("h.h", HeaderH);
    write("other.h", "#define OTHER 1\n");
  }
  void TearDown() override { fs::remove_all(Root); }
  void write(const std::string &Rel, const std::string &Text) {
    std::ofstream(Root / Rel, std::ios::binary) << Text;
  }

  analysis::ParseRequest request(std::map<std::string, std::string> Overlay,
                                 const std::string &Main = "main.c") {
    analysis::ParseRequest Req;
    Req.Root = Root.string();
    Req.MainFile = Main;
    Req.Args = {"clang", "--target=x86_64-linux-gnu", "-std=gnu11", "-I.", "-w", Main};
    for (const auto &[Path, Text] : Overlay)
      Req.FilesOfInterest.insert(Path);
    Req.FilesOfInterest.insert(Main);
    Req.Overlay = std::move(Overlay);
    return Req;
  }

  // Parses Req through Cache, checks the summary against a parse without, returns the counters.
  Counters parse(const analysis::ParseRequest &Req) {
    analysis::ParseResult Plain = analysis::parseAndSummarize(Req);
    analysis::ParseResult Cached = analysis::parseAndSummarize(Req, &Cache);
    EXPECT_EQ(klp::testing::dumpSummary(Plain.Summary, Plain.Errors),
              klp::testing::dumpSummary(Cached.Summary, Cached.Errors));
    SummaryCache::Stats S = Cache.stats();
    return {S.PreambleBuilds, S.PreambleUnusable, S.PreambleReuses, S.Preambles};
  }

  fs::path Root;
  SummaryCache Cache;
};

std::string str(const Counters &C) {
  return std::to_string(C.Builds) + " built, " + std::to_string(C.Unusable) + " unusable, " +
         std::to_string(C.Reuses) + " reused, " + std::to_string(C.Held) + " held";
}

TEST_F(PreambleCacheTest, BodyEditsReuseIncludeBlockEditsRebuild) {
  EXPECT_EQ(str(parse(request({{"main.c", mainC("")}}))), "1 built, 0 unusable, 0 reused, 1 held");
  EXPECT_EQ(str(parse(request({{"main.c", mainC("\tp->a++;\n")}}))),
            "1 built, 0 unusable, 1 reused, 1 held");
  // A comment edit inside the leading block changes the preamble's bytes; two preambles of a
  // main file are kept.
  std::string Lead = "// Lead" + mainC("").substr(7);
  EXPECT_EQ(str(parse(request({{"main.c", Lead}}))), "2 built, 0 unusable, 1 reused, 2 held");
  EXPECT_EQ(
      str(parse(request({{"main.c", mainC("", "#include \"h.h\"\n#include \"other.h\"\n")}}))),
      "3 built, 0 unusable, 1 reused, 2 held");
  EXPECT_EQ(str(parse(request({{"main.c", Lead + "\n"}}))),
            "3 built, 0 unusable, 2 reused, 2 held");
  EXPECT_EQ(str(parse(request({{"main.c", mainC("\tp->a--;\n")}}))),
            "4 built, 0 unusable, 2 reused, 2 held");
  EXPECT_GT(Cache.stats().PreambleBytes, 0u);
  Cache.clear();
  EXPECT_EQ(Cache.stats().Preambles, 0u);
  EXPECT_EQ(Cache.stats().PreambleBuilds, 0u);
}

// An overlay header in the preamble (same size, other content: what CanReuse cannot see) makes
// the parse go without; the build that found out is not repeated while the header stays in
// the overlay.
TEST_F(PreambleCacheTest, OverlayHeaderInThePreambleIsNeverPrecompiled) {
  std::string Same = "#define V 2\nstruct s { int a; };\n";
  ASSERT_EQ(Same.size(), std::string(HeaderH).size());
  EXPECT_EQ(str(parse(request({{"main.c", mainC("")}, {"h.h", HeaderH}}))),
            "0 built, 1 unusable, 0 reused, 0 held");
  EXPECT_EQ(str(parse(request({{"main.c", mainC("")}, {"h.h", Same}}))),
            "0 built, 1 unusable, 0 reused, 0 held");
  EXPECT_EQ(str(parse(request({{"main.c", mainC("\tp->a++;\n")}, {"h.h", Same}}))),
            "0 built, 1 unusable, 0 reused, 0 held");
  // Without the header in the overlay: built and used.
  EXPECT_EQ(str(parse(request({{"main.c", mainC("")}}))), "1 built, 1 unusable, 0 reused, 1 held");
  // The kept preamble is not used (nor rebuilt) for a request that overlays its header.
  EXPECT_EQ(str(parse(request({{"main.c", mainC("\tp->a--;\n")}, {"h.h", Same}}))),
            "1 built, 1 unusable, 0 reused, 1 held");
  // An overlay file the preamble did not enter does not matter.
  EXPECT_EQ(str(parse(request({{"main.c", mainC("\tp->a--;\n")}, {"other.h", "int x;\n"}}))),
            "1 built, 1 unusable, 1 reused, 1 held");
}

// An edit of the #include block: both sides of the first analysis build their preamble (at
// the same time), the next edit of the patched side reuses its own.
TEST_F(PreambleCacheTest, IncludeBlockEditBuildsBothSides) {
  analysis::TuRequest Tu;
  Tu.Root = Root.string();
  Tu.MainFile = "main.c";
  Tu.Args = {"clang", "--target=x86_64-linux-gnu", "-std=gnu11", "-I.", "-w", "main.c"};
  Tu.Cache = &Cache;
  std::string Includes = "#include \"h.h\"\n#include \"other.h\"\n";
  for (const char *Body : {"\tp->a++;\n", "\tp->a--;\n"}) {
    FileChange C;
    C.Path = "main.c";
    C.Original = mainC("");
    C.Patched = mainC(Body, Includes);
    Tu.Changes = {C};
    analysis::analyzeTranslationUnit(Tu);
  }
  SummaryCache::Stats S = Cache.stats();
  EXPECT_EQ(S.Hits, 1u);
  EXPECT_EQ(S.PreambleBuilds, 2u);
  EXPECT_EQ(S.PreambleReuses, 1u);
  EXPECT_EQ(S.Preambles, 2u);
}

// A header on disk that changes size invalidates the preamble (Clang's CanReuse).
TEST_F(PreambleCacheTest, HeaderChangedOnDiskRebuilds) {
  EXPECT_EQ(str(parse(request({{"main.c", mainC("")}}))), "1 built, 0 unusable, 0 reused, 1 held");
  write("h.h", "#define V 22\nstruct s { int a; };\n");
  EXPECT_EQ(str(parse(request({{"main.c", mainC("\tp->a++;\n")}}))),
            "2 built, 0 unusable, 0 reused, 1 held");
}

// An error inside the preamble: no preamble, the same errors, no second attempt.
TEST_F(PreambleCacheTest, ErrorInAHeaderGivesNoPreamble) {
  write("h.h", "#define V 1\nstruct s { int a; };\nint broken(;\n");
  analysis::ParseRequest Req = request({{"main.c", mainC("")}});
  analysis::ParseResult Plain = analysis::parseAndSummarize(Req);
  EXPECT_EQ(klp::testing::dumpSet(Plain.Errors),
            "{h.h:3:12: error: expected parameter declarator,h.h:3:12: error: expected ')'}");
  EXPECT_EQ(str(parse(Req)), "0 built, 1 unusable, 0 reused, 0 held");
  EXPECT_EQ(str(parse(request({{"main.c", mainC("\tp->a++;\n")}}))),
            "0 built, 1 unusable, 0 reused, 0 held");
}

// A header of interest that is not in the overlay still keeps the preamble away.
TEST_F(PreambleCacheTest, FileOfInterestInThePreambleIsNotPrecompiled) {
  EXPECT_EQ(str(parse(request({{"main.c", mainC("")}}))), "1 built, 0 unusable, 0 reused, 1 held");
  analysis::ParseRequest Req = request({{"main.c", mainC("\tp->a++;\n")}});
  Req.FilesOfInterest.insert("h.h");
  EXPECT_EQ(str(parse(Req)), "1 built, 0 unusable, 0 reused, 1 held");
}

// At most MaxPreambles preambles, the most recently used ones.
TEST_F(PreambleCacheTest, KeepsAtMostMaxPreambles) {
  SummaryCache Small(64, 2);
  int Edit = 0;
  for (const char *Main : {"a.c", "b.c", "c.c", "a.c"}) {
    analysis::ParseRequest Req = request({{Main, mainC(std::string(Edit++, ';') + "\n")}}, Main);
    analysis::parseAndSummarize(Req, &Small);
  }
  SummaryCache::Stats S = Small.stats();
  EXPECT_EQ(S.PreambleBuilds, 4u); // a.c was dropped when c.c came
  EXPECT_EQ(S.PreambleReuses, 0u);
  EXPECT_EQ(S.Preambles, 2u);
}

// The switch: no preamble at all, for single parses and whole analyses.
TEST_F(PreambleCacheTest, SwitchedOff) {
  analysis::ParseRequest Req = request({{"main.c", mainC("")}});
  Req.Preamble = false;
  EXPECT_EQ(str(parse(Req)), "0 built, 0 unusable, 0 reused, 0 held");
  analysis::TuRequest Tu;
  Tu.Root = Root.string();
  Tu.MainFile = "main.c";
  Tu.Args = Req.Args;
  FileChange C;
  C.Path = "main.c";
  C.Original = mainC("\tp->a--;\n");
  C.Patched = mainC("\tp->a++;\n");
  Tu.Changes.push_back(C);
  Tu.Cache = &Cache;
  Tu.Preamble = false;
  analysis::analyzeTranslationUnit(Tu);
  EXPECT_EQ(Cache.stats().Misses, 3u);
  EXPECT_EQ(Cache.stats().PreambleBuilds + Cache.stats().PreambleUnusable, 0u);
}

} // namespace
