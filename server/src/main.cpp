// klp-lsp: the command-line tool (check today; serve, build and status later).
#include "cli/command.h"

int main(int Argc, char **Argv) { return klp::cli::run(Argc, Argv); }
