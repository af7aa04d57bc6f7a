// `klp-lsp serve` (also `klp-lsp` with no arguments): the language server on stdio.
#pragma once
#include <llvm/Support/CommandLine.h>

namespace klp::cli {

llvm::cl::SubCommand &serveSubCommand();
llvm::cl::OptionCategory &serveOptionCategory();
int runServe();

} // namespace klp::cli
