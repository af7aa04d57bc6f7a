// Helpers of bench/patch-to-module: prints a file's kbuild compile command (directory, then the
// argv, one per line) so the floor compiles run with the same flags, and times diffObjects.
//   klp-bench-objects command TREE FILE.c
//   klp-bench-objects diff RUNS ORIG.o PATCHED.o [ORIG-CLONES PATCHED-CLONES]
#include "klp/elf_diff.h"
#include "klp/error.h"
#include "klp/kernel_tree.h"
#include <algorithm>
#include <chrono>
#include <iostream>
#include <vector>

int main(int argc, char **argv) {
  std::vector<std::string> A(argv + 1, argv + argc);
  try {
    if (A.size() == 3 && A[0] == "command") {
      auto Tree = klp::KernelTree::open(A[1]);
      klp::CompileCommand C = Tree->compileCommand(A[2]);
      std::cout << C.Directory << "\n";
      for (const std::string &X : C.Argv)
        std::cout << X << "\n";
      return 0;
    }
    if ((A.size() == 4 || A.size() == 6) && A[0] == "diff") {
      int Runs = std::max(1, std::stoi(A[1]));
      std::string OC = A.size() == 6 ? A[4] : "", PC = A.size() == 6 ? A[5] : "";
      std::vector<double> Ms;
      klp::ObjectDiff D;
      for (int K = 0; K < Runs; ++K) {
        auto T0 = std::chrono::steady_clock::now();
        D = klp::diffObjects(A[2], A[3], OC, PC);
        Ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - T0)
                .count());
      }
      std::sort(Ms.begin(), Ms.end());
      size_t Changed = 0;
      for (const klp::FunctionDiff &F : D.Functions)
        Changed += F.Status == klp::FunctionStatus::Changed;
      std::cout << "median_ms " << Ms[Ms.size() / 2] << " min_ms " << Ms.front() << " functions "
                << D.Functions.size() << " changed " << Changed << "\n";
      return 0;
    }
  } catch (const klp::Error &E) {
    std::cerr << "klp-bench-objects: error: " << E.what() << "\n";
    return 2;
  }
  std::cerr << "usage: klp-bench-objects command TREE FILE.c | diff RUNS ORIG.o PATCHED.o "
               "[ORIG-CLONES PATCHED-CLONES]\n";
  return 2;
}
