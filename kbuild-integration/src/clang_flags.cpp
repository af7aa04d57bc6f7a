// gcc -> clang flag translation for kernel compile commands. The gcc-only options were found by
// running clang-19 on kbuild's commands for the pinned tree (and on the options other configs
// and kernels add: gcc plugins, KASAN --param, the -fno-ipa/-fno-tree families).
#include "klp/kernel_tree.h"

#include <string_view>

namespace klp {
namespace {

bool startsWith(std::string_view S, std::string_view P) { return S.substr(0, P.size()) == P; }

// Options clang rejects ("unknown argument", "unsupported option") or warns it ignores.
bool gccOnly(std::string_view A, bool X86) {
  static const std::string_view Exact[] = {"-mindirect-branch-register",
                                           "-fno-allow-store-data-races",
                                           "-fconserve-stack",
                                           "-mrecord-mcount",
                                           "-fno-partial-inlining",
                                           "-fno-code-hoisting",
                                           "-fno-inline-functions-called-once",
                                           "-fno-reorder-blocks",
                                           "-fno-inline-small-functions",
                                           "-mpc32",
                                           "-fno-var-tracking-assignments",
                                           "-fno-var-tracking"};
  static const std::string_view Prefix[] = {"-mpreferred-stack-boundary=",
                                            "-mindirect-branch=",
                                            "-falign-jumps=",
                                            "-fmin-function-alignment=",
                                            "-fno-ipa-",
                                            "-fipa-",
                                            "-fno-tree-",
                                            "-ftree-",
                                            "-fsched-",
                                            "-fplugin=",
                                            "-fplugin-arg-",
                                            "-fasan-shadow-offset=",
                                            "--param="};
  for (std::string_view E : Exact)
    if (A == E)
      return true;
  for (std::string_view P : Prefix)
    if (startsWith(A, P))
      return true;
  return X86 && startsWith(A, "-mabi=");
}

// What kbuild adds itself when CC is clang (Makefile, scripts/Makefile.extrawarn): without
// these, clang reports GNU-extension and similar warnings the kernel never sees.
const char *const ClangKbuildFlags[] = {"-Qunused-arguments",
                                        "-Wno-gnu",
                                        "-Wno-initializer-overrides",
                                        "-Wno-pointer-to-enum-cast",
                                        "-Wno-tautological-constant-out-of-range-compare",
                                        "-Wno-unaligned-access",
                                        "-Wno-cast-function-type-strict",
                                        "-Wno-enum-compare-conditional"};

std::string targetFor(const std::vector<std::string> &Argv) {
  bool M32 = false;
  std::string Arch;
  for (const std::string &A : Argv) {
    if (A == "-m32")
      M32 = true;
    if (Arch.empty() && startsWith(A, "-I") && A.find("arch/") != std::string::npos) {
      std::string Rest = A.substr(A.find("arch/") + 5);
      Arch = Rest.substr(0, Rest.find('/'));
    }
  }
  if (Arch == "arm64")
    return "aarch64-linux-gnu";
  if (Arch == "arm")
    return "arm-linux-gnueabi";
  if (Arch == "powerpc")
    return "powerpc64le-linux-gnu";
  if (Arch == "s390")
    return "s390x-linux-gnu";
  if (Arch == "riscv")
    return "riscv64-linux-gnu";
  return M32 ? "i386-linux-gnu" : "x86_64-linux-gnu";
}

} // namespace

std::vector<std::string> clangArgsFor(const CompileCommand &Cmd) {
  std::string Target = targetFor(Cmd.Argv);
  bool X86 = Target.starts_with("x86_64") || Target.starts_with("i386");
  std::vector<std::string> R = {"clang", "--target=" + Target, "-Wno-unknown-warning-option"};
  // kbuild's command ends in "-c -o OBJ SRC", SRC maybe spelled through "../"; the normalized
  // Cmd.Source replaces it (same directory for #include "...", and the path callers know).
  size_t End = Cmd.Argv.size();
  if (End >= 4 && Cmd.Argv[End - 3] == "-o")
    --End;
  for (size_t K = 1; K < End; ++K) {
    const std::string &A = Cmd.Argv[K];
    if (A == "-o" || A == "--param") {
      ++K; // and its argument
      continue;
    }
    if (A == "-c" || startsWith(A, "-Wp,-MMD,") || startsWith(A, "-Wp,-MD,") || gccOnly(A, X86))
      continue;
    R.push_back(A);
  }
  // After the kernel's own -Wall/-Wcast-function-type, which would turn them back on.
  R.insert(R.end(), std::begin(ClangKbuildFlags), std::end(ClangKbuildFlags));
  R.push_back(Cmd.Source);
  return R;
}

} // namespace klp
