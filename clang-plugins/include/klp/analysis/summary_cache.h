// A cache of parsed translation-unit sides, so that repeated checks (the language server checks
// on every edit) parse only what an edit can have changed: the original side of a file and
// every unrelated translation unit are parsed once and then reused.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>

namespace klp::analysis {

struct ParseRequest;
struct ParseResult;

// Thread-safe; one cache may serve concurrent checks (both sides of a check are parsed in
// parallel). Pass it through CheckOptions::Cache or TuRequest::Cache.
//
// What a cached result is keyed on: the tree root, the exact clang arguments, the main file and
// the files of interest (all compared for equality).
//
// How an entry is validated for a new request with the same key: the entry remembers the files
// its parse entered (TuSummary::FilesSeen, which always holds the main file) and a hash
// (128-bit xxh3) of every in-memory overlay file of its request. The entry is reused when, for
// every file it saw, the file is in the overlay of both requests with the same content hash or
// in neither. Files the parse did not enter may change freely, with one exception: a file that
// exists only in the overlay (not on disk) could be found by an #include or __has_include that
// failed before, so the set of overlay-only paths must be equal too. Parse errors are cached
// like summaries.
//
// What it does not cover: files read from disk (outside the overlay) are assumed unchanged for
// the lifetime of the cache; call clear() after the tree on disk changes. Paths are compared as
// the parse normalised them (tree-relative), so an overlay path spelled differently from the
// included file (symlinks, another root) is not recognised as the same file.
//
// Several entries are kept per key (the original side and the patched sides of recent edits),
// at most MaxEntries in total; the least recently used entry is dropped first.
//
// A parse the cache cannot answer reuses a precompiled preamble (the main file's #include block
// and the headers it enters, compiled once; at most MaxPreambles of them, the most recently used)
// when the request allows it (CheckOptions::Preamble) and the preamble read no overlay file and
// no file of interest but the main file; the summary is the same as without.
class SummaryCache {
public:
  struct Stats {
    uint64_t Hits = 0;             // requests answered from the cache
    uint64_t Misses = 0;           // requests that ran Clang
    size_t Entries = 0;            // entries held now
    uint64_t PreambleBuilds = 0;   // preambles built and kept
    uint64_t PreambleUnusable = 0; // builds that gave none (error, entered an overlay file)
    uint64_t PreambleReuses = 0;   // parses through a preamble an earlier parse built
    size_t Preambles = 0;          // preambles held now
    size_t PreambleBytes = 0;      // their size in memory
  };

  explicit SummaryCache(size_t MaxEntries = 64, size_t MaxPreambles = 4);
  ~SummaryCache();
  SummaryCache(const SummaryCache &) = delete;
  SummaryCache &operator=(const SummaryCache &) = delete;

  Stats stats() const;
  // Drops every entry and preamble and zeroes the counters.
  void clear();

private:
  struct Impl;
  std::unique_ptr<Impl> I;
  friend ParseResult parseAndSummarize(const ParseRequest &Req, SummaryCache *Cache);
};

} // namespace klp::analysis
