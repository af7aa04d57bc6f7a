// `klp-lsp build --kernel TREE [--symbols FILE] [--name NAME] [--no-replace] [--build-dir DIR]
//  -o FILE.ko PATCH...`
#pragma once
#include <llvm/Support/CommandLine.h>

namespace klp::cli {

llvm::cl::SubCommand &buildSubCommand();
llvm::cl::OptionCategory &buildOptionCategory();
// Exit code 0: the module is written. Throws klp::Error otherwise (nothing written).
int runBuild();

} // namespace klp::cli
