#include "cli/patch_series.h"
#include <map>
#include <optional>

namespace klp::cli {

namespace {

// The series' view of the tree: the current text of every path a patch touched, over the tree.
class SeriesState {
public:
  explicit SeriesState(const FileReader &ReadTree) : ReadTree(ReadTree) {}

  std::optional<std::string> tree(const std::string &Path) {
    auto It = TreeCache.find(Path);
    if (It == TreeCache.end())
      It = TreeCache.emplace(Path, ReadTree(Path)).first;
    return It->second;
  }

  std::optional<std::string> current(const std::string &Path) {
    auto It = Current.find(Path);
    return It != Current.end() ? It->second : tree(Path);
  }

  void record(const FileChange &C) {
    const std::string &Old = C.OldPath.empty() ? C.Path : C.OldPath;
    bool IsCopy = C.Source && C.Source->IsCopy; // a copy leaves its source in place
    if (Old != C.Path && !IsCopy) {
      auto From = RenamedFrom.find(Old);
      std::string Origin = From != RenamedFrom.end() ? From->second : Old;
      if (From != RenamedFrom.end())
        RenamedFrom.erase(From);
      RenamedFrom[C.Path] = Origin;
      set(Old, std::nullopt);
    }
    if (!C.Patched)
      RenamedFrom.erase(C.Path);
    set(C.Path, C.Patched);
    Last[C.Path] = C;
  }

  std::vector<FileChange> changes() {
    std::map<std::string, std::string> RenameOf; // origin -> final rename target
    for (const auto &[Target, Origin] : RenamedFrom)
      if (!Current[Origin] && tree(Origin) && !tree(Target))
        RenameOf[Origin] = Target;
    std::vector<FileChange> Out;
    for (const std::string &Path : Order) {
      if (RenameOf.count(Path))
        continue; // reported as the rename's source
      FileChange C;
      C.Path = C.OldPath = Path;
      auto From = RenamedFrom.find(Path);
      if (From != RenamedFrom.end() && RenameOf.count(From->second) &&
          RenameOf[From->second] == Path)
        C.OldPath = From->second;
      C.Original = tree(C.OldPath);
      C.Patched = Current[Path];
      if (C.OldPath == C.Path && C.Original == C.Patched)
        continue; // the series changed it back
      if (Touches[Path] == 1 && Touches[C.OldPath] == 1 && Last.count(Path)) {
        Out.push_back(Last[Path]); // one patch's change, as applyPatch made it
        continue;
      }
      if (C.Original && C.Patched)
        C.Lines = LineMap::fromTexts(*C.Original, *C.Patched);
      Out.push_back(std::move(C));
    }
    return Out;
  }

private:
  void set(const std::string &Path, std::optional<std::string> Text) {
    if (!Current.count(Path))
      Order.push_back(Path);
    Current[Path] = std::move(Text);
    ++Touches[Path];
  }

  const FileReader &ReadTree;
  std::map<std::string, std::optional<std::string>> TreeCache;
  std::map<std::string, std::optional<std::string>> Current; // nullopt: deleted
  std::map<std::string, std::string> RenamedFrom;            // current path -> tree path
  std::map<std::string, FileChange> Last;  // the latest change that produced each path
  std::map<std::string, unsigned> Touches; // how many patches of the series touch a path
  std::vector<std::string> Order;          // paths in the order the series first touches them
};

} // namespace

std::vector<FileChange> applySeries(const std::vector<Patch> &Patches, const FileReader &ReadTree) {
  if (Patches.size() == 1)
    return applyPatch(Patches.front(), ReadTree);
  SeriesState State(ReadTree);
  FileReader ReadCurrent = [&State](const std::string &Path) { return State.current(Path); };
  for (const Patch &P : Patches)
    for (const FileChange &C : applyPatch(P, ReadCurrent))
      State.record(C);
  return State.changes();
}

} // namespace klp::cli
