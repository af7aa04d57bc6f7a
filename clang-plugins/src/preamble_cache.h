// Precompiled preambles (Clang's PrecompiledPreamble, kept in memory) of main files parsed
// before: the leading #include block of a main file and every header it enters, compiled once
// and reused by later parses of the same file while that block and those headers are unchanged,
// so an edit of a body costs the parse of the rest of the file only.
//
// When a preamble is used (usable()):
//   - same key: tree root, clang arguments and main file;
//   - Clang's CanReuse: the main file starts with the same bytes, every file the preamble read
//     has the size and modification time it had on disk;
//   - the preamble entered no file of the request's overlay and no file of interest other than
//     the main file. Overlay files all have modification time 0, so CanReuse cannot see an
//     overlay header change; and a preamble skips the function bodies of every header;
//   - the set of overlay paths that do not exist on disk is the one the preamble was built with
//     (a failed #include or __has_include may find them).
// A preamble whose build had an error, entered an overlay file or entered the main file twice
// is not kept, but the files it entered are: it is not built again while the main file starts
// the same way and the requests still overlay every overlay file it entered (a new build would
// fail the same way), so a file analysed through an includer whose #include block holds it
// (kernel/sched/build_utility.c) pays for one failed build, not one per edit. A kept preamble
// that a request cannot use for its overlay or files of interest is not rebuilt for it either.
// (A build that crashed, under LLVM crash recovery, leaves its main file bytes marked as being
// built: that #include block is parsed without a preamble until clear().)
#pragma once
#include "parse_tu.h"
#include "summary_builder.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/PCHContainerOperations.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace klp::analysis {

class PreambleCache {
public:
  struct Stats {
    uint64_t Builds = 0;   // preambles built (and kept)
    uint64_t Unusable = 0; // builds that gave no usable preamble (see above)
    uint64_t Reuses = 0;   // parses that used a preamble built by an earlier parse
    size_t Held = 0;       // preambles held now
    size_t Bytes = 0;      // their PCH size in memory
  };

  // A kept preamble; shared with the parses that use it (it must outlive them).
  struct Entry;

  explicit PreambleCache(size_t MaxPreambles = 4);
  ~PreambleCache();
  PreambleCache(const PreambleCache &) = delete;
  PreambleCache &operator=(const PreambleCache &) = delete;

  // The preamble for Req's parse with invocation Inv (made by the driver) over VFS, whose main
  // file text is Main: a held one, a new one, or null (parse without). Builds a preamble once
  // at a time; a parse that finds the one it needs being built goes on without.
  std::shared_ptr<const Entry> acquire(const ParseRequest &Req,
                                       const clang::CompilerInvocation &Inv,
                                       const llvm::MemoryBuffer &Main,
                                       const llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> &VFS,
                                       std::shared_ptr<clang::PCHContainerOperations> PCHOps);
  // Points Inv and VFS at E's preamble for a parse of Main (which must outlive the parse).
  static void use(const Entry &E, clang::CompilerInvocation &Inv,
                  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> &VFS, llvm::MemoryBuffer &Main);
  static const PreambleFacts &facts(const Entry &E);

  Stats stats() const;
  void clear();

private:
  struct Slot;
  mutable std::mutex M;
  size_t MaxPreambles;
  std::list<std::shared_ptr<Slot>> Lru; // most recently used first
  std::set<std::string> Building;       // key and main file bytes of the builds under way
  Stats Counts;
  void store(std::shared_ptr<Slot> S);
};

} // namespace klp::analysis
