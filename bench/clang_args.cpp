// Prints the translated Clang arguments klp-lsp uses for one file of a prepared tree, one per
// line, so the benchmark can run the plain `clang-19 -fsyntax-only` floor with the same flags.
#include "klp/error.h"
#include "klp/kernel_tree.h"
#include <iostream>

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << "usage: klp-bench-clang-args TREE FILE.c\n";
    return 2;
  }
  try {
    auto Tree = klp::KernelTree::open(argv[1]);
    for (const std::string &A : klp::clangArgsFor(Tree->compileCommand(argv[2])))
      std::cout << A << "\n";
  } catch (const klp::Error &E) {
    std::cerr << "klp-bench-clang-args: error: " << E.what() << "\n";
    return 2;
  }
  return 0;
}
