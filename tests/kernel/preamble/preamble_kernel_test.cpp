// Precompiled preambles on the pinned tree: a parse through a preamble (built by it, or reused
// from an earlier parse of the same file) gives exactly the summary of a parse without one, and
// checkChanges with a SummaryCache gives exactly the findings of a check without preambles: for
// body edits as the language server makes them, and for every patch of the corpus.
#include "../../../clang-plugins/src/parse_tu.h"
#include "../kbuild/kernel_tree_fixture.h"
#include "data_cases.h"
#include "summary_dump.h"
#include "text_edits.h"

#include "klp/analysis/check.h"
#include "klp/analysis/summary_cache.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace klp;
using analysis::SummaryCache;
using test::replaced;

namespace {

// A body line of each file and two edits of it (a new statement after it), as in
// bench/lsp-vs-clangd.
struct BodyEdit {
  std::string Path, Line;
};
const BodyEdit Edits[] = {
    {"fs/proc/cmdline.c", "\tseq_putc(m, '\\n');\n"},
    {"kernel/sched/core.c", "\tstruct task_struct *old_stop = cpu_rq(cpu)->stop;\n"},
};
const char *Statements[] = {"\tbarrier();\n", "\tsmp_mb();\n"};

analysis::ParseRequest requestFor(const std::string &Path, const std::string &Text) {
  analysis::ParseRequest Req;
  Req.Root = test::pinnedTree().root();
  Req.Args = clangArgsFor(test::pinnedTree().compileCommand(Path));
  Req.MainFile = Path;
  Req.Overlay[Path] = Text;
  Req.FilesOfInterest.insert(Path);
  return Req;
}

double secondsSince(std::chrono::steady_clock::time_point Start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
}

std::string dump(const analysis::ParseResult &R) {
  return klp::testing::dumpSummary(R.Summary, R.Errors);
}

} // namespace

// Per file: edit 1 builds the preamble, edit 2 reuses it; both equal a parse without.
TEST(PreambleKernel, SummaryEqualsParseWithoutPreamble) {
  KLP_REQUIRE_KERNEL_TREE();
  for (const BodyEdit &E : Edits) {
    SCOPED_TRACE(E.Path);
    std::string Text = test::treeText(E.Path);
    SummaryCache Cache;
    for (int I = 0; I < 2; ++I) {
      analysis::ParseRequest Req =
          requestFor(E.Path, replaced(Text, E.Line, E.Line + Statements[I]));
      auto T0 = std::chrono::steady_clock::now();
      analysis::ParseResult Plain = analysis::parseAndSummarize(Req);
      double PlainS = secondsSince(T0);
      T0 = std::chrono::steady_clock::now();
      analysis::ParseResult Pre = analysis::parseAndSummarize(Req, &Cache);
      double PreS = secondsSince(T0);
      SummaryCache::Stats S = Cache.stats();
      EXPECT_EQ(S.PreambleBuilds, 1u);
      EXPECT_EQ(S.PreambleReuses, unsigned(I));
      EXPECT_EQ(S.Preambles, 1u);
      EXPECT_TRUE(Plain.Errors.empty());
      EXPECT_GT(Plain.Summary.FilesSeen.size(), 100u);
      EXPECT_EQ(dump(Plain), dump(Pre));
      std::printf("%s edit %d: without preamble %.2f s, %s preamble %.2f s (%zu KiB)\n",
                  E.Path.c_str(), I + 1, PlainS, I ? "reusing the" : "building the", PreS,
                  S.PreambleBytes / 1024);
    }
  }
}

// Two body edits of each file as the language server checks them: the first builds the
// preamble (one side builds it, the other, parsed at the same time, goes on without), the
// second reuses it for its patched side (the original side comes from the cache). The findings
// are those of checks without a preamble.
TEST(PreambleKernel, SecondBodyEditReusesThePreamble) {
  KLP_REQUIRE_KERNEL_TREE();
  for (const BodyEdit &E : Edits) {
    SCOPED_TRACE(E.Path);
    std::string Text = test::treeText(E.Path);
    SummaryCache Cache;
    analysis::CheckOptions With, Without;
    With.Cache = &Cache;
    Without.Preamble = false;
    SummaryCache Plain;
    Without.Cache = &Plain;
    for (int I = 0; I < 2; ++I) {
      std::vector<FileChange> Change = {
          test::bufferChange(E.Path, replaced(Text, E.Line, E.Line + Statements[I]))};
      SummaryCache::Stats Before = Cache.stats();
      auto T0 = std::chrono::steady_clock::now();
      analysis::CheckResult R = analysis::checkChanges(test::pinnedTree(), Change, With);
      double WithS = secondsSince(T0);
      SummaryCache::Stats After = Cache.stats();
      T0 = std::chrono::steady_clock::now();
      analysis::CheckResult Expected = analysis::checkChanges(test::pinnedTree(), Change, Without);
      double WithoutS = secondsSince(T0);
      EXPECT_EQ(klp::testing::dumpCheck(Expected), klp::testing::dumpCheck(R));
      EXPECT_TRUE(R.Failures.empty());
      EXPECT_EQ(After.PreambleBuilds, 1u);
      if (I == 1) {
        EXPECT_EQ(After.Hits - Before.Hits, 1u); // the original side
        EXPECT_EQ(After.PreambleReuses - Before.PreambleReuses, 1u);
      }
      EXPECT_EQ(Plain.stats().PreambleBuilds + Plain.stats().PreambleReuses, 0u);
      std::printf("%s check of edit %d: %.2f s with preambles, %.2f s without (%zu KiB held)\n",
                  E.Path.c_str(), I + 1, WithS, WithoutS, After.PreambleBytes / 1024);
    }
  }
}

namespace {

std::vector<FileChange> corpusChanges(const Patch &P) {
  return applyPatch(P, [](const std::string &Rel) -> std::optional<std::string> {
    std::ifstream In(test::pinnedTree().absolute(Rel), std::ios::binary);
    if (!In)
      return std::nullopt;
    std::stringstream S;
    S << In.rdbuf();
    return S.str();
  });
}

class PreambleCorpus : public ::testing::TestWithParam<std::string> {};

// The patches whose main files cannot use a preamble: a file they change is in the main file's
// #include block (a preamble must not hold an overlay file).
const std::set<std::string> NoPreamble = {
    "changed-function-sched-included-c",  // kernel/sched/completion.c in build_utility.c's
    "signature-change-auditd-test-task",  // kernel/audit.h
    "symbol-version-change-groups-alloc", // include/linux/cred.h
};

} // namespace

// Every corpus patch: checked without a cache, then with a cache whose preambles a first check
// left (of the same patch with every .c file one newline longer on both sides: same preambles,
// different summaries), so both sides of each translation unit can reuse one.
TEST_P(PreambleCorpus, SameFindingsAsWithout) {
  KLP_REQUIRE_KERNEL_TREE();
  std::filesystem::path Dir = std::filesystem::path(KLP_TEST_DATA) / "corpus";
  Patch P = parsePatch(klp::testing::readFile(Dir / (GetParam() + ".patch")), GetParam());
  std::vector<FileChange> Changes = corpusChanges(P);
  analysis::CheckResult Expected = analysis::checkChanges(test::pinnedTree(), Changes);
  std::vector<FileChange> Longer = Changes;
  for (FileChange &C : Longer)
    if (C.Path.size() > 2 && C.Path.compare(C.Path.size() - 2, 2, ".c") == 0) {
      if (C.Original)
        *C.Original += "\n";
      if (C.Patched)
        *C.Patched += "\n";
    }
  SummaryCache Cache;
  analysis::CheckOptions Opts;
  Opts.Cache = &Cache;
  analysis::checkChanges(test::pinnedTree(), Longer, Opts);
  SummaryCache::Stats Before = Cache.stats();
  analysis::CheckResult R = analysis::checkChanges(test::pinnedTree(), Changes, Opts);
  SummaryCache::Stats After = Cache.stats();
  EXPECT_EQ(klp::testing::dumpCheck(Expected), klp::testing::dumpCheck(R));
  uint64_t Parses = After.Misses - Before.Misses;
  EXPECT_EQ(After.PreambleReuses - Before.PreambleReuses,
            NoPreamble.count(GetParam()) ? 0 : Parses);
}

INSTANTIATE_TEST_SUITE_P(Corpus, PreambleCorpus,
                         ::testing::ValuesIn(klp::testing::caseNames(
                             std::filesystem::path(KLP_TEST_DATA) / "corpus", ".patch")),
                         klp::testing::CaseName());
