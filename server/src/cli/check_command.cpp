// The check flow: KernelTree::open -> parsePatch per PATCH -> applySeries -> checkChanges ->
// one report on stdout or in -o FILE. Inputs are all validated (flags, tree, patches) before the
// tree is opened, and nothing is printed before the report is complete, so a failing run leaves
// no partial output.
#include "cli/check_command.h"
#include "cli/atomic_write.h"
#include "cli/binary_check.h"
#include "cli/patch_input.h"
#include "cli/version.h"
#include "klp/analysis/check.h"
#include "klp/error.h"
#include "klp/kernel_tree.h"
#include "output/compile_errors.h"
#include "output/format.h"
#include <filesystem>
#include <llvm/Support/raw_ostream.h>

namespace cl = llvm::cl;

namespace klp::cli {

namespace {

cl::SubCommand CheckSub("check", "Check a patch against a prepared kernel tree for livepatch "
                                 "hazards (exit 0: no error finding, 1: errors, 2: failure)");
cl::OptionCategory CheckCategory("check options");

cl::opt<std::string> KernelOpt("kernel", cl::desc("The prepared kernel tree (required)"),
                               cl::value_desc("tree"), cl::sub(CheckSub), cl::cat(CheckCategory));
cl::opt<std::string> FormatOpt("format", cl::desc("Report format: text (default), json or sarif"),
                               cl::value_desc("format"), cl::init("text"), cl::sub(CheckSub),
                               cl::cat(CheckCategory));
cl::opt<std::string> OutputOpt("o", cl::desc("Write the report to <file> instead of stdout"),
                               cl::value_desc("file"), cl::sub(CheckSub), cl::cat(CheckCategory));
cl::opt<std::string> CacheDirOpt("cache-dir",
                                 cl::desc("Cache for derived tree data (default ~/.cache/klp-lsp)"),
                                 cl::value_desc("dir"), cl::sub(CheckSub), cl::cat(CheckCategory));
cl::opt<bool> BinaryOpt("binary",
                        cl::desc("Also build the changed objects (original and patched), diff "
                                 "them at ELF level and add the binary findings"),
                        cl::sub(CheckSub), cl::cat(CheckCategory));
cl::list<std::string> PatchArgs(cl::Positional,
                                cl::desc("<patch>... (a series, applied in order; none or '-': "
                                         "stdin)"),
                                cl::sub(CheckSub), cl::cat(CheckCategory));

void checkTreeExists(const std::string &Root) {
  std::error_code EC;
  std::filesystem::file_status S = std::filesystem::status(Root, EC);
  if (!std::filesystem::exists(S))
    throw Error("kernel tree '" + Root + "' does not exist");
  if (!std::filesystem::is_directory(S))
    throw Error("kernel tree '" + Root + "' is not a directory");
}

} // namespace

cl::SubCommand &checkSubCommand() { return CheckSub; }
cl::OptionCategory &checkOptionCategory() { return CheckCategory; }

int runCheck() {
  if (KernelOpt.empty())
    throw Error("missing --kernel TREE (the prepared kernel tree to check the patch against)");
  std::optional<output::Format> Format = output::parseFormat(FormatOpt);
  if (!Format)
    throw Error("unknown --format '" + FormatOpt + "' (expected text, json or sarif)");
  checkTreeExists(KernelOpt);

  PatchedTree Input = openPatchedTree(KernelOpt, CacheDirOpt, {PatchArgs.begin(), PatchArgs.end()});
  const std::unique_ptr<KernelTree> &Tree = Input.Tree;
  const FileReader &ReadTree = Input.ReadTree;
  const std::vector<FileChange> &Changes = Input.Changes;

  analysis::CheckResult Result = analysis::checkChanges(*Tree, Changes);
  output::addCompileErrorFindings(
      Result, [&Tree](const std::string &Path) { return Tree->relative(Path); }, Changes);
  if (BinaryOpt && Result.Failures.empty()) {
    std::string Skipped = addBinaryFindings(*Tree, Changes, ReadTree, Result.Result);
    if (!Skipped.empty())
      llvm::errs() << "klp-lsp: --binary: nothing to build: " << Skipped << "\n";
  }
  Result.Result.sort();

  std::string Text = output::formatReport(*Format, Result, {toolVersion(), Tree->root()});
  if (OutputOpt.empty()) {
    llvm::outs() << Text;
    llvm::outs().flush();
  } else {
    writeFileAtomically(OutputOpt, Text);
  }
  return Result.Result.hasError() ? 1 : 0;
}

} // namespace klp::cli
