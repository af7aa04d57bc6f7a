// klp-lsp: the command-line tool and language server (no arguments: `serve`).
#include "cli/command.h"

int main(int Argc, char **Argv) { return klp::cli::run(Argc, Argv); }
