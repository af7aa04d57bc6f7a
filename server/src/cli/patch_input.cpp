#include "cli/patch_input.h"
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

} // namespace klp::cli
