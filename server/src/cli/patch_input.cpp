#include "cli/patch_input.h"
#include "cli/patch_series.h"
#include "klp/error.h"
#include <llvm/Support/MemoryBuffer.h>

namespace klp::cli {

Patch loadPatch(const std::string &Arg) {
  bool Stdin = Arg == "-";
  auto Buffer = Stdin ? llvm::MemoryBuffer::getSTDIN()
                      : llvm::MemoryBuffer::getFile(Arg, /*IsText=*/true,
                                                    /*RequiresNullTerminator=*/false);
  if (!Buffer)
    throw Error("cannot read patch '" + std::string(Stdin ? "<stdin>" : Arg) +
                "': " + Buffer.getError().message());
  return parsePatch((*Buffer)->getBuffer(), Stdin ? "<stdin>" : Arg);
}

PatchedTree openPatchedTree(const std::string &Root, const std::string &CacheDir,
                            std::vector<std::string> PatchArgs) {
  if (PatchArgs.empty())
    PatchArgs.push_back("-");
  PatchedTree Result;
  for (const std::string &Arg : PatchArgs)
    Result.Patches.push_back(loadPatch(Arg));
  Result.Tree = KernelTree::open(Root, CacheDir);
  // The tree lives on the heap, so the reader stays valid when Result is moved.
  const KernelTree *Tree = Result.Tree.get();
  Result.ReadTree = [Tree](const std::string &Rel) -> std::optional<std::string> {
    auto Buffer = llvm::MemoryBuffer::getFile(Tree->absolute(Rel), /*IsText=*/true,
                                              /*RequiresNullTerminator=*/false);
    if (Buffer)
      return (*Buffer)->getBuffer().str();
    if (Buffer.getError() == std::errc::no_such_file_or_directory)
      return std::nullopt;
    throw Error("cannot read '" + Tree->absolute(Rel) + "': " + Buffer.getError().message());
  };
  Result.Changes = applySeries(Result.Patches, Result.ReadTree);
  return Result;
}

} // namespace klp::cli
