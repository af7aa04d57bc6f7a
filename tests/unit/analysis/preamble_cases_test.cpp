// Every data-driven rule case (tests/data/analysis/<case>.test) through precompiled preambles:
// the summaries and the findings must be exactly those of parses without a preamble.
// A preamble is only used when it enters no overlay file but the main file, and every file of
// a case lives in memory; so here each case becomes a small tree on disk: the files that do not
// change are written there, the main file and the changed files stay in memory, and the main
// file starts with an #include of a header on disk (so each case has a preamble) and what a
// preamble must carry over besides declarations: a multi-line comment and #define, a macro use
// and an #if that only closes at the end of the file.
#include "../../../clang-plugins/src/parse_tu.h"
#include "analysis_case.h"
#include "data_cases.h"
#include "summary_dump.h"

#include "klp/analysis/check.h"
#include "klp/analysis/summary_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace klp;
using analysis::SummaryCache;

namespace {

const char *Lead = "/* a preamble\n"
                   " * lead */\n"
                   "#include \"preamble-lead.h\"\n"
                   "#define PREAMBLE_TWO \\\n"
                   "\t(PREAMBLE_LEAD + 1)\n"
                   "#if PREAMBLE_LEAD\n";
const char *Tail = "#endif\n";

// The case as a tree under Root: returns the request (no cache) for analyzeTranslationUnit.
analysis::TuRequest onDisk(const klp::testing::AnalysisCase &C, const fs::path &Root) {
  fs::remove_all(Root);
  fs::create_directories(Root);
  std::ofstream(Root / "preamble-lead.h") << "#define PREAMBLE_LEAD 1\n";
  analysis::TuRequest Req = klp::testing::caseRequest(C, Root.string());
  for (const std::string &P : C.Order) {
    auto O = C.Orig.find(P), N = C.Patched.find(P);
    std::optional<std::string> Orig, Patched;
    if (O != C.Orig.end())
      Orig = O->second;
    if (N != C.Patched.end())
      Patched = N->second;
    if (P == Req.MainFile) {
      if (Orig)
        Orig = Lead + *Orig + Tail;
      if (Patched)
        Patched = Lead + *Patched + Tail;
    } else if (Orig == Patched && Orig) {
      fs::create_directories((Root / P).parent_path());
      std::ofstream(Root / P, std::ios::binary) << *Orig;
      continue;
    }
    FileChange FC;
    FC.Path = P;
    FC.Original = Orig;
    FC.Patched = Patched;
    Req.Changes.push_back(std::move(FC));
  }
  return Req;
}

// One side's parse request, as analyzeTranslationUnit makes it.
analysis::ParseRequest sideOf(const analysis::TuRequest &T, bool Patched) {
  analysis::ParseRequest Req;
  Req.Root = T.Root;
  Req.Args = T.Args;
  Req.MainFile = T.MainFile;
  for (const FileChange &C : T.Changes) {
    const std::optional<std::string> &Text = Patched ? C.Patched : C.Original;
    if (Text)
      Req.Overlay[C.Path] = *Text;
    Req.FilesOfInterest.insert(C.Path);
  }
  return Req;
}

std::string dump(const analysis::ParseResult &R) {
  return klp::testing::dumpSummary(R.Summary, R.Errors);
}

class PreambleCase : public ::testing::TestWithParam<std::string> {};

TEST_P(PreambleCase, SameSummariesAndFindingsAsWithout) {
  fs::path Dir = fs::path(KLP_TEST_DATA) / "data" / "analysis";
  std::string Name = GetParam();
  klp::testing::AnalysisCase C =
      klp::testing::parseAnalysisCase(klp::testing::readFile(Dir / (Name + ".test")));
  ASSERT_FALSE(C.Order.empty());
  fs::path Root =
      fs::temp_directory_path() / ("klp-preamble-cases-" + std::to_string(getpid())) / Name;
  analysis::TuRequest Req = onDisk(C, Root);

  // Each side without, then through one cache: the original side builds the preamble, the
  // patched side reuses it (or builds its own when its #include block differs).
  analysis::ParseRequest Orig = sideOf(Req, false), Patched = sideOf(Req, true);
  analysis::ParseResult PlainOrig = analysis::parseAndSummarize(Orig);
  analysis::ParseResult PlainPatched = analysis::parseAndSummarize(Patched);
  SummaryCache Cache;
  analysis::ParseResult PreOrig = analysis::parseAndSummarize(Orig, &Cache);
  SummaryCache::Stats AfterOrig = Cache.stats();
  analysis::ParseResult PrePatched = analysis::parseAndSummarize(Patched, &Cache);
  SummaryCache::Stats AfterPatched = Cache.stats();
  EXPECT_EQ(dump(PlainOrig), dump(PreOrig));
  EXPECT_EQ(dump(PlainPatched), dump(PrePatched));
  // With only the main file in memory and no error, both sides go through a preamble.
  if (Req.Changes.size() == 1 && PlainOrig.Errors.empty() && PlainPatched.Errors.empty()) {
    EXPECT_EQ(AfterOrig.PreambleBuilds, 1u);
    EXPECT_EQ(AfterOrig.PreambleReuses, 0u);
    EXPECT_EQ(AfterPatched.PreambleBuilds + AfterPatched.PreambleReuses, 2u);
  }

  // The whole analysis: a first one (the main file one newline longer on both sides) leaves
  // the preamble in the cache, so both sides of the second one can reuse it.
  analysis::CheckResult Plain = analysis::analyzeTranslationUnit(Req);
  analysis::TuRequest Warm = Req;
  for (FileChange &FC : Warm.Changes)
    if (FC.Path == Req.MainFile) {
      if (FC.Original)
        *FC.Original += "\n";
      if (FC.Patched)
        *FC.Patched += "\n";
    }
  SummaryCache Shared;
  Warm.Cache = &Shared;
  analysis::analyzeTranslationUnit(Warm);
  analysis::TuRequest Again = Req;
  Again.Cache = &Shared;
  EXPECT_EQ(klp::testing::dumpCheck(Plain),
            klp::testing::dumpCheck(analysis::analyzeTranslationUnit(Again)));
  fs::remove_all(Root);
}

// What the preamble's own part of the main file leaves to the rest of the parse: the #if it
// ends inside (the depth of a later #include), and the records of its headers that functions
// use (looked up by name, not by walking the preamble's declarations).
TEST(Preamble, CarriesIfNestingAndHeaderRecords) {
  fs::path Root = fs::temp_directory_path() / ("klp-preamble-records-" + std::to_string(getpid()));
  fs::remove_all(Root);
  fs::create_directories(Root);
  std::ofstream(Root / "shapes.h") << "#define HAVE_SHAPES 1\n"
                                      "struct point { int x, y; };\n"
                                      "typedef struct { long a; char b; } pair_t;\n"
                                      "struct outer { struct inner { short v; } in; int w; };\n"
                                      "struct unused { int u; };\n";
  std::ofstream(Root / "late.h") << "#define LATE 3\n";
  auto Main = [](const std::string &Stmt) {
    return "/* lead\n"
           " * comment */\n"
           "#include \"shapes.h\"\n"
           "#if HAVE_SHAPES\n"
           "int area(struct point *p, pair_t *q, struct outer *o)\n"
           "{\n" +
           Stmt +
           "\treturn p->x * p->y + q->a + o->in.v;\n"
           "}\n"
           "#include \"late.h\"\n"
           "int late(void)\n"
           "{\n"
           "\treturn LATE + __LINE__;\n"
           "}\n"
           "#endif\n";
  };
  analysis::ParseRequest Req;
  Req.Root = Root.string();
  Req.Args = {"clang", "--target=x86_64-linux-gnu", "-std=gnu11", "-I.", "-w", "main.c"};
  Req.MainFile = "main.c";
  Req.FilesOfInterest = {"main.c"};
  SummaryCache Cache;
  for (const std::string &Stmt : {"", "\tp->x = 1;\n"}) {
    Req.Overlay["main.c"] = Main(Stmt);
    analysis::ParseResult Plain = analysis::parseAndSummarize(Req);
    analysis::ParseResult Pre = analysis::parseAndSummarize(Req, &Cache);
    EXPECT_EQ(dump(Plain), dump(Pre));
    const analysis::TuSummary &S = Pre.Summary;
    EXPECT_EQ(S.FilesSeen, (std::set<std::string>{"late.h", "main.c", "shapes.h"}));
    ASSERT_EQ(S.Includes.count("main.c"), 1u);
    const auto &Inc = S.Includes.at("main.c");
    ASSERT_EQ(Inc.size(), 2u);
    EXPECT_EQ(Inc[0].Name + " " + std::to_string(Inc[0].Line) + " " + std::to_string(Inc[0].Depth),
              "shapes.h 2 0");
    EXPECT_EQ(Inc[1].Name + " " + std::to_string(Inc[1].Line) + " " + std::to_string(Inc[1].Depth),
              "late.h " + std::to_string(8 + (Stmt[0] ? 1 : 0)) + " 1");
    std::set<std::string> Records;
    for (const auto &[N, R] : S.Records)
      Records.insert(N + " " + std::to_string(R.Size));
    EXPECT_EQ(Records, (std::set<std::string>{"pair_t 16", "struct outer 8", "struct point 8"}));
    ASSERT_EQ(S.MultiLineSpans.count("main.c"), 1u);
    EXPECT_EQ(S.MultiLineSpans.at("main.c").size(), 1u);
  }
  SummaryCache::Stats St = Cache.stats();
  EXPECT_EQ(St.PreambleBuilds, 1u);
  EXPECT_EQ(St.PreambleReuses, 1u);
  EXPECT_EQ(St.Preambles, 1u);
  fs::remove_all(Root);
}

INSTANTIATE_TEST_SUITE_P(Rules, PreambleCase,
                         ::testing::ValuesIn(klp::testing::caseNames(
                             fs::path(KLP_TEST_DATA) / "data" / "analysis", ".test")),
                         klp::testing::CaseName());

} // namespace
