// KernelTree's state: the tree, its configuration, the cache, and what kbuild told us so far
// (memoized in memory and under the cache directory).
#pragma once
#include "include_index.h"
#include "makefile_query.h"
#include "path_util.h"
#include "tree_cache.h"

#include "klp/kernel_tree.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace klp {

// A directory kbuild descends into, with what its parent handed down.
struct ChainLink {
  DirEnv Env;
  std::shared_ptr<const DirEval> Eval;
};

// Where a source file's object stands in kbuild's descent.
struct Placement {
  std::string Source; // normalized: "virt/kvm/kvm_main.c"
  std::string Object,
      KbuildSource; // as kbuild spells them: "arch/x86/kvm/../../../virt/kvm/kvm_main.o"
  std::vector<ChainLink> Chain; // root first, as deep toward the file's directory as kbuild goes
  int OwnerIndex = -1;          // Chain index of the directory listing the object
  bool BuiltIn = false;         // linked into vmlinux (obj-y with built-in.a, or lib-y)
  std::string Module;           // KBUILD_MODNAME of the module it is part of
  std::string Reason;           // why it is not built
  bool built() const { return BuiltIn || !Module.empty(); }
  const ChainLink *owner() const { return OwnerIndex < 0 ? nullptr : &Chain[OwnerIndex]; }
};

// A translation unit kbuild compiles under the tree's configuration: the normalized source,
// the object as the owning directory's Makefile spells it (possibly through "../"), the owner.
struct BuiltUnit {
  std::string Source, Object, Dir;
};

class KernelTree::Impl {
public:
  std::string Root;
  std::map<std::string, std::string> Config; // "CONFIG_FOO" -> "y", "m", unquoted string
  TreeCache Cache;

  const KbuildContext &kbuild() const;
  std::shared_ptr<const DirEval> dirEval(const std::string &Dir, const DirEnv &Env) const;
  std::vector<ChainLink> descendToward(const std::string &Dir) const;
  Placement place(const std::string &Source) const;
  std::vector<BuiltUnit> builtObjects() const; // the whole descent (cached)
  const IncludeIndex &includeIndex() const;
  std::string makefileOf(const std::string &Dir) const; // "fs/proc/Makefile" or ".../Kbuild"

  // Memoized compile commands (KernelTree::compileCommand), guarded by Mu.
  mutable std::mutex Mu;
  mutable std::map<std::string, CompileCommand> Commands;

private:
  mutable std::optional<KbuildContext> Ctx;
  mutable std::map<std::string, std::shared_ptr<const DirEval>> Dirs;
  mutable std::optional<std::vector<BuiltUnit>> Objects;
  mutable std::unique_ptr<IncludeIndex> Index;
  mutable std::mutex IndexMu; // held while building the index (long), not for the maps above
};

// Path helpers shared by the kbuild files.
std::string dirName(const std::string &RelPath); // "fs/proc" for "fs/proc/x.c", "." for "x.c"
std::string kbuildModName(const std::string &CompositeOrObject); // "fs/x/snd-foo.o" -> "snd_foo"

} // namespace klp
