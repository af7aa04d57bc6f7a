#include "cli/binary_check.h"
#include "klp/binary_findings.h"
#include "klp/elf_diff.h"
#include "klp/livepatch_build.h"
#include "klp/object_build.h"

#include <map>

namespace klp::cli {

std::string addBinaryFindings(const KernelTree &Tree, const std::vector<FileChange> &Changes,
                              const FileReader &ReadTree, Report &R) {
  std::vector<std::string> Units;
  try {
    Units = changedTranslationUnits(Tree, Changes);
  } catch (const BuildCancelled &) {
    throw;
  } catch (const Error &E) {
    return E.what();
  }
  std::map<std::string, std::string> Patched;
  for (const FileChange &C : Changes)
    if (C.Patched)
      Patched[C.Path] = *C.Patched;
  ObjectBuildOptions Opts;
  for (const BuiltObject &O : buildChangedObjects(Tree, Units, Patched, Opts)) {
    ObjectDiff Diff = diffObjects(O.Original, O.Patched, O.OriginalClones, O.PatchedClones);
    joinBinaryFindings(R, binaryFindings(O.Source, O.Info.object(), Diff, Changes, ReadTree));
  }
  return "";
}

} // namespace klp::cli
