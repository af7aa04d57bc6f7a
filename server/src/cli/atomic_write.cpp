#include "cli/atomic_write.h"
#include "klp/error.h"
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/raw_ostream.h>

namespace klp::cli {

void writeFileAtomically(const std::string &Path, std::string_view Contents) {
  auto Fail = [&Path](const std::string &Why) {
    throw Error("cannot write '" + Path + "': " + Why);
  };
  int FD = -1;
  llvm::SmallString<256> TempPath;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Path + ".tmp-%%%%%%", FD, TempPath))
    Fail(EC.message());
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Contents;
    OS.close();
    if (OS.has_error()) {
      std::string Why = OS.error().message();
      OS.clear_error();
      llvm::sys::fs::remove(TempPath);
      Fail(Why);
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(TempPath, Path)) {
    llvm::sys::fs::remove(TempPath);
    Fail(EC.message());
  }
}

} // namespace klp::cli
