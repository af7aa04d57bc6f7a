// POSIX shell word splitting, as much as kbuild command lines need: quoting ('...', "...",
// backslash) and the command separators (; & && || | newline), so that a recipe line such as
// `set -e; trap '...' INT; gcc-12 ... -DKBUILD_MODNAME='"proc"' -c -o x.o x.c ; objtool x.o`
// becomes its simple commands, each an argv. No expansion ($VAR, globs) is done: kbuild's
// compile commands use none.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace klp {

// Throws klp::Error on an unterminated quote.
std::vector<std::vector<std::string>> splitShellCommands(std::string_view Line);

// The words of one command line; separators are treated as plain word boundaries.
std::vector<std::string> splitShellWords(std::string_view Line);

// Quotes a word for a POSIX shell (only when needed).
std::string shellQuote(const std::string &Word);

} // namespace klp
