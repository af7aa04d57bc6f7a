// checkChanges with a SummaryCache on the pinned tree, as the language server calls it (changes
// built from buffer texts, no patch): a second edit reuses the original side, and a body-only
// edit of a file with EXPORT_SYMBOL runs no genksyms.
#include "../kbuild/kernel_tree_fixture.h"
#include "text_edits.h"

#include "klp/analysis/check.h"

#include <chrono>
#include <cstdio>
#include <sstream>

using namespace klp;
using analysis::SummaryCache;
using test::replaced;

namespace {

std::string functions(const analysis::CheckResult &R) {
  std::string S;
  for (const FunctionChange &F : R.Result.Functions)
    S += F.Name + " " + F.Status + "\n";
  return S;
}

std::string dump(const analysis::CheckResult &R) {
  std::ostringstream O;
  for (const Finding &F : R.Result.Findings)
    O << F.Rule << " " << F.File << ":" << F.Where.Start.Line + 1 << ":"
      << F.Where.Start.Character + 1 << " " << F.Symbol << " " << F.Message << "\n";
  O << functions(R) << R.Failures.size() << " failures\n";
  return O.str();
}

size_t countRule(const analysis::CheckResult &R, const std::string &Rule) {
  size_t N = 0;
  for (const Finding &F : R.Result.Findings)
    N += F.Rule == Rule;
  return N;
}

struct Timed {
  analysis::CheckResult R;
  double Seconds;
};

Timed timedCheck(const std::vector<FileChange> &Changes, const analysis::CheckOptions &Opts) {
  auto Start = std::chrono::steady_clock::now();
  analysis::CheckResult R = analysis::checkChanges(test::pinnedTree(), Changes, Opts);
  std::chrono::duration<double> D = std::chrono::steady_clock::now() - Start;
  return {std::move(R), D.count()};
}

} // namespace

TEST(CheckCacheKernel, SecondEditReusesTheOriginalSide) {
  KLP_REQUIRE_KERNEL_TREE();
  const std::string Path = "fs/proc/cmdline.c";
  std::string Text = test::treeText(Path);
  FileChange First = test::bufferChange(
      Path, replaced(Text, "\tseq_puts(m, saved_command_line);\n",
                     "\tpr_debug(\"cmdline read\\n\");\n\tseq_puts(m, saved_command_line);\n"));
  FileChange Second =
      test::bufferChange(Path, replaced(Text, "seq_putc(m, '\\n');", "seq_putc(m, ' ');"));

  SummaryCache Cache;
  analysis::CheckOptions Opts;
  Opts.Cache = &Cache;
  analysis::CheckResult R1 = analysis::checkChanges(test::pinnedTree(), {First}, Opts);
  EXPECT_EQ(Cache.stats().Hits, 0u);
  EXPECT_EQ(Cache.stats().Misses, 2u);
  EXPECT_EQ(functions(R1), "cmdline_proc_show changed\n");
  analysis::CheckResult R2 = analysis::checkChanges(test::pinnedTree(), {Second}, Opts);
  EXPECT_EQ(Cache.stats().Hits, 1u); // the original side
  EXPECT_EQ(Cache.stats().Misses, 3u);
  EXPECT_EQ(Cache.stats().Entries, 3u);
  EXPECT_EQ(functions(R2), "cmdline_proc_show changed\n");
  EXPECT_TRUE(R2.Failures.empty());
  // The same result as a check without the cache.
  analysis::CheckResult Uncached = analysis::checkChanges(test::pinnedTree(), {Second});
  EXPECT_EQ(dump(R2), dump(Uncached));
  // The first edit again: both sides from the cache.
  analysis::CheckResult R3 = analysis::checkChanges(test::pinnedTree(), {First}, Opts);
  EXPECT_EQ(Cache.stats().Hits, 3u);
  EXPECT_EQ(Cache.stats().Misses, 3u);
  EXPECT_EQ(dump(R3), dump(R1));
}

// kernel/sched/core.c exports 82 symbols. A change inside wake_up_process's body cannot move a
// CRC, with or without a patch behind the FileChange; an #include that completes struct
// posix_acl moves 46 (see symbol_versions_kernel_test.cpp), and only that runs genksyms.
TEST(CheckCacheKernel, BodyEditOfExportingFileRunsNoGenksyms) {
  KLP_REQUIRE_KERNEL_TREE();
  const std::string Path = "kernel/sched/core.c";
  std::string Text = test::treeText(Path);
  // Same line count, so no function moves (no line-shift noise).
  const std::string Body = "\treturn try_to_wake_up(p, TASK_NORMAL, 0);\n}\n"
                           "EXPORT_SYMBOL(wake_up_process);\n";
  std::string EditA = replaced(Text, Body, replaced(Body, "return try", "return !p ? 0 : try"));
  std::string EditB =
      replaced(Text, Body, replaced(Body, "return try", "return unlikely(!p) ? 0 : try"));

  SummaryCache Cache;
  analysis::CheckOptions Opts;
  Opts.Cache = &Cache;
  Timed First = timedCheck({test::bufferChange(Path, EditA)}, Opts);
  EXPECT_EQ(First.R.SymbolVersionRuns, 0u);
  EXPECT_EQ(countRule(First.R, "symbol-version-change"), 0u);
  EXPECT_EQ(functions(First.R), "wake_up_process changed\n");
  EXPECT_TRUE(First.R.Failures.empty());
  EXPECT_EQ(Cache.stats().Misses, 2u);

  Timed Warm = timedCheck({test::bufferChange(Path, EditB)}, Opts);
  EXPECT_EQ(Warm.R.SymbolVersionRuns, 0u);
  EXPECT_EQ(functions(Warm.R), "wake_up_process changed\n");
  EXPECT_EQ(Cache.stats().Hits, 1u);
  EXPECT_EQ(Cache.stats().Misses, 3u);
  Timed Uncached = timedCheck({test::bufferChange(Path, EditB)}, {});
  EXPECT_EQ(dump(Uncached.R), dump(Warm.R));

  // The same edit A from a patch: the hunk-based decision agrees (and both sides are cached).
  Patch P = parsePatch("--- a/kernel/sched/core.c\n"
                       "+++ b/kernel/sched/core.c\n"
                       "@@ -4360,5 +4360,5 @@\n"
                       " int wake_up_process(struct task_struct *p)\n"
                       " {\n"
                       "-\treturn try_to_wake_up(p, TASK_NORMAL, 0);\n"
                       "+\treturn !p ? 0 : try_to_wake_up(p, TASK_NORMAL, 0);\n"
                       " }\n"
                       " EXPORT_SYMBOL(wake_up_process);\n",
                       "wake-up.patch");
  std::vector<FileChange> FromPatch = applyPatch(
      P, [](const std::string &Rel) { return std::optional<std::string>(test::treeText(Rel)); });
  ASSERT_EQ(FromPatch.size(), 1u);
  ASSERT_NE(FromPatch[0].Source, nullptr);
  EXPECT_EQ(*FromPatch[0].Patched, EditA);
  analysis::CheckResult Patched = analysis::checkChanges(test::pinnedTree(), FromPatch, Opts);
  EXPECT_EQ(Patched.SymbolVersionRuns, 0u);
  EXPECT_EQ(dump(Patched), dump(First.R));
  EXPECT_EQ(Cache.stats().Hits, 3u);

  // Outside any body: genksyms runs, and the CRCs really move.
  std::string Include = replaced(Text, "#include \"../smpboot.h\"\n",
                                 "#include \"../smpboot.h\"\n#include <linux/posix_acl.h>\n");
  Timed Decl = timedCheck({test::bufferChange(Path, Include)}, Opts);
  EXPECT_EQ(Decl.R.SymbolVersionRuns, 1u);
  EXPECT_EQ(countRule(Decl.R, "symbol-version-change"), 46u);
  EXPECT_EQ(Cache.stats().Hits, 4u);

  std::printf("kernel/sched/core.c checkChanges: first body edit %.2f s, warm second body edit "
              "%.2f s (%.2f s without the cache), declaration edit with genksyms (original side "
              "cached) %.2f s\n",
              First.Seconds, Warm.Seconds, Uncached.Seconds, Decl.Seconds);
}
