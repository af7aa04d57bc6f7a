// SummaryCache: parse results of translation-unit sides, reused while the files a parse entered
// are unchanged (validation rules in summary_cache.h).
#include "klp/analysis/summary_cache.h"
#include "parse_tu.h"
#include "preamble_cache.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"
#include <algorithm>
#include <filesystem>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <utility>

namespace klp::analysis {

namespace {

using ContentHash = std::pair<uint64_t, uint64_t>;

ContentHash hashOf(const std::string &Text) {
  llvm::XXH128_hash_t H = llvm::xxh3_128bits(llvm::arrayRefFromStringRef(Text));
  return {H.high64, H.low64};
}

// Everything a result is keyed on, NUL-separated (no argument contains a NUL).
std::string keyOf(const ParseRequest &Req) {
  std::string K = Req.Root;
  K += '\0';
  for (const std::string &A : Req.Args)
    K += A + '\0';
  K += '\0' + Req.MainFile + '\0';
  for (const std::string &F : Req.FilesOfInterest)
    K += F + '\0';
  return K;
}

// What validation needs of a request's overlay.
struct OverlayState {
  std::map<std::string, ContentHash> Hashes; // every overlay path -> its content hash
  std::set<std::string> OverlayOnly;         // overlay paths that do not exist on disk
};

OverlayState overlayStateOf(const ParseRequest &Req) {
  OverlayState S;
  for (const auto &[Path, Text] : Req.Overlay) {
    S.Hashes.emplace(Path, hashOf(Text));
    std::error_code EC;
    if (!std::filesystem::exists(std::filesystem::path(Req.Root) / Path, EC))
      S.OverlayOnly.insert(Path);
  }
  return S;
}

struct Entry {
  std::string Key;
  std::set<std::string> FilesSeen;
  OverlayState Overlay;
  std::shared_ptr<const ParseResult> Result; // copied out of the lock
};

// The entry's result holds for a request with the same key and overlay state Req.
bool validFor(const Entry &E, const OverlayState &Req) {
  if (E.Overlay.OverlayOnly != Req.OverlayOnly)
    return false;
  // Seen files in neither overlay come from disk in both parses: only overlay paths can differ.
  auto Same = [&](const std::string &Path) {
    if (!E.FilesSeen.count(Path))
      return true;
    auto A = E.Overlay.Hashes.find(Path), B = Req.Hashes.find(Path);
    bool InA = A != E.Overlay.Hashes.end(), InB = B != Req.Hashes.end();
    return InA == InB && (!InA || A->second == B->second);
  };
  for (const auto &[Path, H] : E.Overlay.Hashes)
    if (!Same(Path))
      return false;
  for (const auto &[Path, H] : Req.Hashes)
    if (!Same(Path))
      return false;
  return true;
}

} // namespace

struct SummaryCache::Impl {
  explicit Impl(size_t MaxPreambles) : Preambles(MaxPreambles) {}
  size_t MaxEntries;
  mutable std::mutex M;
  std::list<Entry> Lru; // most recently used first
  Stats Counts;
  PreambleCache Preambles; // has its own lock

  // The valid entry for (Key, State), moved to the front; Lru.end() when there is none.
  std::list<Entry>::iterator find(const std::string &Key, const OverlayState &State) {
    auto It = std::find_if(Lru.begin(), Lru.end(),
                           [&](const Entry &E) { return E.Key == Key && validFor(E, State); });
    if (It != Lru.end())
      Lru.splice(Lru.begin(), Lru, It);
    return It;
  }
};

SummaryCache::SummaryCache(size_t MaxEntries, size_t MaxPreambles)
    : I(std::make_unique<Impl>(MaxPreambles)) {
  I->MaxEntries = std::max<size_t>(MaxEntries, 1);
}

SummaryCache::~SummaryCache() = default;

SummaryCache::Stats SummaryCache::stats() const {
  std::lock_guard<std::mutex> L(I->M);
  Stats S = I->Counts;
  S.Entries = I->Lru.size();
  PreambleCache::Stats P = I->Preambles.stats();
  S.PreambleBuilds = P.Builds;
  S.PreambleUnusable = P.Unusable;
  S.PreambleReuses = P.Reuses;
  S.Preambles = P.Held;
  S.PreambleBytes = P.Bytes;
  return S;
}

void SummaryCache::clear() {
  std::lock_guard<std::mutex> L(I->M);
  I->Lru.clear();
  I->Counts = {};
  I->Preambles.clear();
}

ParseResult parseAndSummarize(const ParseRequest &Req, SummaryCache *Cache) {
  if (!Cache)
    return parseAndSummarize(Req);
  SummaryCache::Impl &C = *Cache->I;
  Entry New;
  New.Key = keyOf(Req);
  New.Overlay = overlayStateOf(Req);
  std::shared_ptr<const ParseResult> Found;
  {
    std::lock_guard<std::mutex> L(C.M);
    auto It = C.find(New.Key, New.Overlay);
    if (It != C.Lru.end())
      Found = It->Result;
    ++(Found ? C.Counts.Hits : C.Counts.Misses);
  }
  if (Found)
    return *Found;
  // Parsed outside the lock: other requests go on meanwhile.
  auto Parsed = std::make_shared<const ParseResult>(
      Req.Preamble ? parseAndSummarize(Req, C.Preambles) : parseAndSummarize(Req));
  New.FilesSeen = Parsed->Summary.FilesSeen;
  New.Result = Parsed;
  {
    std::lock_guard<std::mutex> L(C.M);
    // A concurrent request for the same contents may have stored it first.
    if (C.find(New.Key, New.Overlay) == C.Lru.end()) {
      C.Lru.push_front(std::move(New));
      if (C.Lru.size() > C.MaxEntries)
        C.Lru.pop_back();
    }
  }
  return *Parsed;
}

} // namespace klp::analysis
