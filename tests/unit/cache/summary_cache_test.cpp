// SummaryCache through analyzeTranslationUnit: a sequence of edits to a small translation unit
// (main.c including used.h; unused.h next to it), each step with the exact cache hits and
// misses it must cause and the same result as without the cache. Then the validation rules at
// the level of single parses (parse_tu.h), the LRU bound, clear() and concurrent use.
#include "../../../clang-plugins/src/parse_tu.h"
#include "klp/analysis/check.h"
#include "klp/analysis/summary_cache.h"
#include "text_edits.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace klp;
using analysis::SummaryCache;
using test::replaced;

namespace {

const char *MainC = "#include \"used.h\"\n"
                    "int compute(struct point *p)\n"
                    "{\n"
                    "\treturn used_helper(p->x) + p->y;\n"
                    "}\n"
                    "int other(int a)\n"
                    "{\n"
                    "\treturn a * 2;\n"
                    "}\n";
const char *UsedH = "struct point { int x, y; };\n"
                    "static inline int used_helper(int a) { return a + 1; }\n";
const char *UnusedH = "#define UNUSED_VALUE 1\n";

const std::string MainV1 = replaced(MainC, "a * 2", "a * 3");
const std::string MainV2 = replaced(MainC, "a * 2", "a * 4");
const std::string MainBroken = replaced(MainC, "a * 2", "a *");
const std::string UnusedV2 = "#define UNUSED_VALUE 2\n";
const std::string UsedV2 = replaced(UsedH, "a + 1", "a + 2");

std::string dump(const analysis::CheckResult &R) {
  std::ostringstream O;
  for (const Finding &F : R.Result.Findings)
    O << F.Rule << " " << F.File << ":" << F.Where.Start.Line + 1 << "\n";
  for (const FunctionChange &F : R.Result.Functions)
    O << "function " << F.Name << " " << F.Status << "\n";
  for (const analysis::ParseFailure &F : R.Failures)
    O << "failure " << F.File << (F.PatchedSide ? " patched" : " original") << " "
      << F.Diagnostics.size() << "\n";
  return O.str();
}

// A scratch tree holding the original files on disk.
class CacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    Root = fs::temp_directory_path() /
           ("klp-cache-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(Root);
    fs::create_directories(Root);
    write("main.c", MainC);
    write("used.h", UsedH);
    write("unused.h", UnusedH);
  }
  void TearDown() override { fs::remove_all(Root); }
  void write(const std::string &Rel, const std::string &Text) {
    std::ofstream(Root / Rel, std::ios::binary) << Text;
  }

  // Every file is a change (original = disk), so the files of interest stay the same.
  analysis::TuRequest request(const std::map<std::string, std::string> &Patched,
                              SummaryCache *Cache) {
    analysis::TuRequest Req;
    Req.Root = Root.string();
    Req.MainFile = "main.c";
    Req.Args = {"clang", "--target=x86_64-linux-gnu", "-std=gnu11", "-I.", "-w", "main.c"};
    Req.Cache = Cache;
    for (const auto &[Path, Orig] : std::map<std::string, std::string>{
             {"main.c", MainC}, {"used.h", UsedH}, {"unused.h", UnusedH}}) {
      FileChange C;
      C.Path = Path;
      C.Original = Orig;
      C.Patched = Patched.count(Path) ? Patched.at(Path) : Orig;
      Req.Changes.push_back(std::move(C));
    }
    return Req;
  }

  analysis::ParseRequest parseRequest(std::map<std::string, std::string> Overlay) {
    analysis::ParseRequest Req;
    Req.Root = Root.string();
    Req.MainFile = "main.c";
    Req.Args = {"clang", "--target=x86_64-linux-gnu", "-std=gnu11", "-I.", "-w", "main.c"};
    Req.Overlay = std::move(Overlay);
    Req.FilesOfInterest = {"main.c"};
    return Req;
  }

  fs::path Root;
};

struct Step {
  const char *What;
  std::map<std::string, std::string> Patched; // files whose patched text differs
  uint64_t Hits, Misses;                      // this call's
  const char *Dump;                           // the result, with and without the cache
};

TEST_F(CacheTest, EditSequence) {
  const char *OtherChanged = "changed-function main.c:6\nfunction other changed\n";
  const Step Steps[] = {
      {"first call parses both sides", {{"main.c", MainV1}}, 0, 2, OtherChanged},
      {"identical second call", {{"main.c", MainV1}}, 2, 0, OtherChanged},
      {"edit of the patched main file", {{"main.c", MainV2}}, 1, 1, OtherChanged},
      {"back to the first edit", {{"main.c", MainV1}}, 2, 0, OtherChanged},
      {"change to a header the TU does not include",
       {{"main.c", MainV1}, {"unused.h", UnusedV2}},
       2,
       0,
       OtherChanged},
      {"change to an included header",
       {{"main.c", MainV1}, {"unused.h", UnusedV2}, {"used.h", UsedV2}},
       1,
       1,
       "changed-function main.c:6\nchanged-function used.h:2\ninline-callers used.h:2\n"
       "function other changed\nfunction used_helper changed\nfunction compute inline-caller\n"},
      // Patched side = original side: one entry serves both.
      {"no change at all", {}, 2, 0, ""},
      {"patched side that does not compile",
       {{"main.c", MainBroken}},
       1,
       1,
       "compile-error main.c:8\nfailure main.c patched 1\n"},
      {"the same error again",
       {{"main.c", MainBroken}},
       2,
       0,
       "compile-error main.c:8\nfailure main.c patched 1\n"},
  };
  SummaryCache Cache;
  uint64_t Hits = 0, Misses = 0;
  for (const Step &S : Steps) {
    SCOPED_TRACE(S.What);
    std::string Cached = dump(analysis::analyzeTranslationUnit(request(S.Patched, &Cache)));
    std::string Uncached = dump(analysis::analyzeTranslationUnit(request(S.Patched, nullptr)));
    EXPECT_EQ(Cached, S.Dump);
    EXPECT_EQ(Uncached, S.Dump);
    SummaryCache::Stats St = Cache.stats();
    EXPECT_EQ(St.Hits - Hits, S.Hits);
    EXPECT_EQ(St.Misses - Misses, S.Misses);
    Hits = St.Hits;
    Misses = St.Misses;
  }
  // Distinct contents parsed: original, V1, V2, V1 with used.h V2, broken.
  EXPECT_EQ(Cache.stats().Entries, 5u);
}

TEST_F(CacheTest, SeenFileSwitchingBetweenOverlayAndDiskIsAMiss) {
  SummaryCache Cache;
  analysis::ParseResult A = parseAndSummarize(parseRequest({{"main.c", MainV1}}), &Cache);
  EXPECT_EQ(A.Summary.FilesSeen, (std::set<std::string>{"main.c", "used.h"}));
  // used.h with its disk contents, but now from the overlay: not the same dependency state.
  parseAndSummarize(parseRequest({{"main.c", MainV1}, {"used.h", UsedH}}), &Cache);
  // The main file itself from disk instead of the overlay.
  parseAndSummarize(parseRequest({}), &Cache);
  EXPECT_EQ(Cache.stats().Hits, 0u);
  EXPECT_EQ(Cache.stats().Misses, 3u);
  // Each of the three states again: hits.
  parseAndSummarize(parseRequest({{"main.c", MainV1}}), &Cache);
  parseAndSummarize(parseRequest({{"main.c", MainV1}, {"used.h", UsedH}}), &Cache);
  parseAndSummarize(parseRequest({}), &Cache);
  EXPECT_EQ(Cache.stats().Hits, 3u);
  EXPECT_EQ(Cache.stats().Misses, 3u);
}

TEST_F(CacheTest, KeyHoldsArgumentsAndFilesOfInterest) {
  SummaryCache Cache;
  analysis::ParseRequest Req = parseRequest({{"main.c", MainV1}});
  parseAndSummarize(Req, &Cache);
  analysis::ParseRequest Defined = Req;
  Defined.Args.insert(Defined.Args.end() - 1, "-DX=1");
  parseAndSummarize(Defined, &Cache);
  analysis::ParseRequest Interest = Req;
  Interest.FilesOfInterest.insert("used.h");
  analysis::ParseResult R = parseAndSummarize(Interest, &Cache);
  EXPECT_EQ(R.Summary.Functions.count("used_helper"), 1u); // really parsed with used.h of interest
  EXPECT_EQ(Cache.stats().Hits, 0u);
  EXPECT_EQ(Cache.stats().Misses, 3u);
}

// A file that exists only in the overlay may satisfy an #include or __has_include that failed
// (so was never entered) before: adding or removing one invalidates.
TEST_F(CacheTest, OverlayOnlyFileAppearingIsAMiss) {
  std::string Probe = "#if __has_include(\"gen.h\")\n#include \"gen.h\"\n#endif\n";
  SummaryCache Cache;
  analysis::ParseResult Without =
      parseAndSummarize(parseRequest({{"main.c", Probe + MainV1}}), &Cache);
  analysis::ParseResult With = parseAndSummarize(
      parseRequest({{"main.c", Probe + MainV1}, {"gen.h", "int gen_value;\n"}}), &Cache);
  EXPECT_EQ(Without.Summary.FilesSeen, (std::set<std::string>{"main.c", "used.h"}));
  EXPECT_EQ(With.Summary.FilesSeen, (std::set<std::string>{"gen.h", "main.c", "used.h"}));
  EXPECT_EQ(Cache.stats().Hits, 0u);
  EXPECT_EQ(Cache.stats().Misses, 2u);
  // Its contents matter only while it is seen... and here it is.
  parseAndSummarize(parseRequest({{"main.c", Probe + MainV1}, {"gen.h", "int gen_value2;\n"}}),
                    &Cache);
  EXPECT_EQ(Cache.stats().Misses, 3u);
  // An overlay file that also exists on disk and is not seen changes freely.
  parseAndSummarize(parseRequest({{"main.c", Probe + MainV1}, {"unused.h", UnusedV2}}), &Cache);
  EXPECT_EQ(Cache.stats().Hits, 1u);
  EXPECT_EQ(Cache.stats().Misses, 3u);
}

TEST_F(CacheTest, LeastRecentlyUsedEntryIsDropped) {
  SummaryCache Cache(2);
  analysis::ParseRequest A = parseRequest({{"main.c", MainV1}});
  analysis::ParseRequest B = parseRequest({{"main.c", MainV2}});
  analysis::ParseRequest C = parseRequest({});
  parseAndSummarize(A, &Cache);
  parseAndSummarize(B, &Cache);
  parseAndSummarize(A, &Cache); // hit: A is now the most recent
  parseAndSummarize(C, &Cache); // drops B
  EXPECT_EQ(Cache.stats().Entries, 2u);
  parseAndSummarize(A, &Cache); // hit
  parseAndSummarize(B, &Cache); // miss
  EXPECT_EQ(Cache.stats().Hits, 2u);
  EXPECT_EQ(Cache.stats().Misses, 4u);
  Cache.clear();
  EXPECT_EQ(Cache.stats().Hits, 0u);
  EXPECT_EQ(Cache.stats().Misses, 0u);
  EXPECT_EQ(Cache.stats().Entries, 0u);
  parseAndSummarize(B, &Cache);
  EXPECT_EQ(Cache.stats().Misses, 1u);
}

TEST_F(CacheTest, ConcurrentRequestsShareOneEntry) {
  SummaryCache Cache;
  analysis::ParseRequest Req = parseRequest({{"main.c", MainV1}});
  std::vector<analysis::ParseResult> Results(4);
  std::vector<std::thread> Threads;
  for (analysis::ParseResult &R : Results)
    Threads.emplace_back([&] { R = parseAndSummarize(Req, &Cache); });
  for (std::thread &T : Threads)
    T.join();
  for (const analysis::ParseResult &R : Results) {
    EXPECT_EQ(R.Summary.FilesSeen, (std::set<std::string>{"main.c", "used.h"}));
    EXPECT_EQ(R.Summary.Functions.at("other").SemHash,
              Results[0].Summary.Functions.at("other").SemHash);
  }
  EXPECT_EQ(Cache.stats().Hits + Cache.stats().Misses, 4u);
  EXPECT_EQ(Cache.stats().Entries, 1u);
}

} // namespace
