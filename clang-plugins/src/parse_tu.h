// Runs Clang on one side (original or patched) of one translation unit, reading changed files
// from memory, and returns its summary. Nothing is written anywhere.
#pragma once
#include "klp/analysis/summary.h"
#include "klp/analysis/summary_cache.h"
#include <map>
#include <set>
#include <string>
#include <vector>

namespace klp::analysis {

struct ParseRequest {
  std::string Root;                           // tree root, absolute
  std::vector<std::string> Args;              // clang argv (argv[0] = compiler), source last
  std::string MainFile;                       // tree-relative
  std::map<std::string, std::string> Overlay; // tree-relative path -> contents seen instead
  std::set<std::string> FilesOfInterest;      // tree-relative; MainFile is always one
  bool Preamble = true; // through a SummaryCache: reuse a precompiled preamble (same summary)
};

struct ParseResult {
  TuSummary Summary;
  std::vector<std::string> Errors; // "file:line:col: error: message", tree-relative file
};

class PreambleCache;

// Summary.FilesSeen always holds Req.MainFile.
ParseResult parseAndSummarize(const ParseRequest &Req);
// The same through a precompiled preamble of Preambles when one fits (preamble_cache.h); the
// result is the same as without.
ParseResult parseAndSummarize(const ParseRequest &Req, PreambleCache &Preambles);
// The same through Cache (see summary_cache.h) when it is not null.
ParseResult parseAndSummarize(const ParseRequest &Req, SummaryCache *Cache);

} // namespace klp::analysis
