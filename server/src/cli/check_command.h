// `klp-lsp check --kernel TREE [--format text|json|sarif] [-o FILE] [PATCH...]`
#pragma once
#include <llvm/Support/CommandLine.h>

namespace klp::cli {

llvm::cl::SubCommand &checkSubCommand();
llvm::cl::OptionCategory &checkOptionCategory();
// Exit code 0: no error finding; 1: at least one. Throws klp::Error otherwise.
int runCheck();

} // namespace klp::cli
