// `klp-lsp status [--root DIR] [--format text|json]` (docs/status.md)
#pragma once
#include <llvm/Support/CommandLine.h>

namespace klp::cli {

llvm::cl::SubCommand &statusSubCommand();
llvm::cl::OptionCategory &statusOptionCategory();
// Exit code 0: ready, modules load, every livepatch enabled and settled; 1: a reason says why
// not. Throws klp::Error when the status cannot be read (nothing printed).
int runStatus();

} // namespace klp::cli
