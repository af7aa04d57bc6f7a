// The subcommand dispatch table of klp-lsp. A subcommand is an llvm::cl::SubCommand with its
// options (defined next to its implementation) and a function that runs it; adding one (serve,
// build, status) is adding an entry to commands().
#pragma once
#include <llvm/Support/CommandLine.h>
#include <span>
#include <string_view>

namespace klp::cli {

struct Command {
  llvm::cl::SubCommand *Sub;
  llvm::cl::OptionCategory *Options; // shown in `klp-lsp CMD --help`; everything else is hidden
  // Runs after a successful parse with this subcommand active; returns the exit code. Throws
  // klp::Error when it cannot do its job (the caller prints it and exits 2).
  int (*Run)();
};

std::span<const Command> commands();
const Command *findCommand(std::string_view Name);

// The whole command line: parses Argv, dispatches, and turns klp::Error and usage errors into
// "klp-lsp: error: ..." on stderr with exit code 2.
int run(int Argc, const char *const *Argv);

} // namespace klp::cli
