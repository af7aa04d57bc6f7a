// The build flow: validate flags and patches -> KernelTree::open -> applySeries ->
// buildLivepatch. Progress goes to stderr as it happens; the summary goes to stdout only once
// the module is written.
#include "cli/build_command.h"
#include "cli/patch_input.h"
#include "klp/error.h"
#include "klp/kernel_tree.h"
#include "klp/livepatch_build.h"
#include <filesystem>
#include <llvm/Support/raw_ostream.h>
#include <set>

namespace cl = llvm::cl;

namespace klp::cli {

namespace {

cl::SubCommand BuildSub("build", "Build a livepatch module from a patch against a prepared kernel "
                                 "tree (exit 0: module written, 2: failure)");
cl::OptionCategory BuildCategory("build options");

cl::opt<std::string> KernelOpt("kernel", cl::desc("The prepared kernel tree (required)"),
                               cl::value_desc("tree"), cl::sub(BuildSub), cl::cat(BuildCategory));
cl::opt<std::string> OutputOpt("o", cl::desc("The livepatch module to write (required)"),
                               cl::value_desc("file.ko"), cl::sub(BuildSub),
                               cl::cat(BuildCategory));
cl::opt<std::string> SymbolsOpt("symbols",
                                cl::desc("The target kernel's /proc/kallsyms (default "
                                         "$KLP_TARGET_SYMBOLS, else scripts/target-symbols' "
                                         "cached file)"),
                                cl::value_desc("file"), cl::sub(BuildSub), cl::cat(BuildCategory));
cl::opt<std::string> TargetOpt("target",
                               cl::desc("The target kernel's release (`uname -r`); the module "
                                        "is linked against /usr/src/linux-headers-<release> "
                                        "(default 6.1.0-50-amd64)"),
                               cl::value_desc("release"), cl::sub(BuildSub),
                               cl::cat(BuildCategory));
cl::opt<std::string> NameOpt("name",
                             cl::desc("Module name (default livepatch_<first changed file>)"),
                             cl::value_desc("name"), cl::sub(BuildSub), cl::cat(BuildCategory));
cl::opt<bool> NoReplaceOpt("no-replace",
                           cl::desc("Do not replace livepatches already loaded (atomic replace is "
                                    "the default)"),
                           cl::sub(BuildSub), cl::cat(BuildCategory));
cl::opt<std::string> BuildDirOpt("build-dir",
                                 cl::desc("Where the objects are built (default "
                                          "~/.cache/klp-lsp/build/<hash>)"),
                                 cl::value_desc("dir"), cl::sub(BuildSub), cl::cat(BuildCategory));
cl::opt<std::string> CacheDirOpt("cache-dir",
                                 cl::desc("Cache for derived tree data (default ~/.cache/klp-lsp)"),
                                 cl::value_desc("dir"), cl::sub(BuildSub), cl::cat(BuildCategory));
cl::list<std::string> PatchArgs(cl::Positional,
                                cl::desc("<patch>... (a series, applied in order; none or '-': "
                                         "stdin)"),
                                cl::sub(BuildSub), cl::cat(BuildCategory));

void printList(llvm::raw_ostream &OS, const char *What, const std::vector<std::string> &Items) {
  if (Items.empty())
    return;
  OS << "  " << What << ":";
  for (const std::string &S : Items)
    OS << " " << S;
  OS << "\n";
}

} // namespace

cl::SubCommand &buildSubCommand() { return BuildSub; }
cl::OptionCategory &buildOptionCategory() { return BuildCategory; }

int runBuild() {
  if (KernelOpt.empty())
    throw Error("missing --kernel TREE (the prepared kernel tree the patch applies to)");
  if (OutputOpt.empty())
    throw Error("missing -o FILE.ko (where to write the livepatch module)");
  if (!std::filesystem::is_directory(std::string(KernelOpt)))
    throw Error("kernel tree '" + KernelOpt + "' is not a directory");

  PatchedTree Input = openPatchedTree(KernelOpt, CacheDirOpt, {PatchArgs.begin(), PatchArgs.end()});
  const std::unique_ptr<KernelTree> &Tree = Input.Tree;
  const std::vector<FileChange> &Changes = Input.Changes;

  LivepatchBuildOptions Opts;
  Opts.ModuleName = NameOpt;
  Opts.SymbolsFile = SymbolsOpt;
  Opts.BuildDir = BuildDirOpt;
  Opts.TargetRelease = TargetOpt;
  Opts.Replace = !NoReplaceOpt;
  Opts.Progress = [](const std::string &Line) {
    llvm::errs() << "klp-lsp: " << Line << "\n";
    llvm::errs().flush();
  };
  LivepatchBuildResult R = buildLivepatch(*Tree, Changes, OutputOpt, Opts);

  llvm::raw_ostream &OS = llvm::outs();
  OS << "livepatch module " << R.Spec.Name << (R.Spec.Replace ? " (atomic replace)" : "") << "\n";
  for (const ObjectResult &O : R.Objects) {
    OS << O.Object.Source << " (" << O.Object.Info.object() << ")\n";
    std::vector<std::string> Patched, New, LineOnly;
    for (const PatchedObjectSpec &S : R.Spec.Objects)
      if (S.PatchedObjectFile == O.Object.Patched) {
        Patched = S.Functions;
        New = S.NewFunctions;
      }
    for (const FunctionDiff &F : O.Diff.Functions)
      if (F.LineOnly)
        LineOnly.push_back(F.Symbol);
    printList(OS, "patched", Patched);
    printList(OS, "new", New);
    printList(OS, "line-only, not patched", LineOnly);
    if (Patched.empty() && New.empty() && LineOnly.empty())
      OS << "  no change in machine code\n";
  }
  OS << "wrote " << R.Ko << "\n";
  OS.flush();
  return 0;
}

} // namespace klp::cli
