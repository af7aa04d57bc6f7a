// KernelTree::includers: the include graph of the configuration's translation units, built
// once per tree (the whole kbuild descent, then a scan of every file the units reach) and
// kept under the cache directory.
#include "kernel_tree_impl.h"

#include "klp/error.h"
#include "shell_words.h"

namespace klp {

const IncludeIndex &KernelTree::Impl::includeIndex() const {
  std::lock_guard<std::mutex> L(IndexMu);
  if (Index)
    return *Index;
  if (std::optional<std::string> Saved = Cache.read("include-index"))
    Index = IncludeIndex::load(*Saved);
  if (!Index) {
    std::vector<IncludeTu> Tus;
    std::map<std::string, std::shared_ptr<const DirEval>> Evals;
    for (const BuiltUnit &O : builtObjects()) {
      std::shared_ptr<const DirEval> &E = Evals[O.Dir];
      if (!E)
        E = descendToward(O.Dir).back().Eval;
      std::string Flags = E->CFlags;
      if (auto It = E->ObjCflags.find(O.Object); It != E->ObjCflags.end())
        Flags += " " + It->second;
      Tus.push_back({O.Source, searchConfigFromArgs(splitShellWords(Flags), Root)});
    }
    Index = IncludeIndex::build(Root, Tus);
    Cache.write("include-index", Index->save());
  }
  return *Index;
}

std::vector<std::string> KernelTree::includers(const std::string &Header) const {
  std::optional<std::string> Rel = relative(Header);
  if (!Rel)
    throw Error(Header + " is not inside the kernel tree " + root());
  return I->includeIndex().includers(*Rel);
}

} // namespace klp
