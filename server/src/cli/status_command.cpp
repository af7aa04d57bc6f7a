// The status flow: validate flags -> readTargetStatus -> one document on stdout, printed only
// once it is complete.
#include "cli/status_command.h"
#include "klp/error.h"
#include "klp/target_status.h"
#include "output/status_format.h"
#include <llvm/Support/raw_ostream.h>

namespace cl = llvm::cl;

namespace klp::cli {

namespace {

cl::SubCommand StatusSub("status", "Show the livepatch status of a running or recorded system "
                                   "(exit 0: ready and settled, 1: not, 2: failure)");
cl::OptionCategory StatusCategory("status options");

cl::opt<std::string> RootOpt("root",
                             cl::desc("Root of the system to read: / (default, the running "
                                      "system) or a recorded or mounted root file system"),
                             cl::value_desc("dir"), cl::init("/"), cl::sub(StatusSub),
                             cl::cat(StatusCategory));
cl::opt<std::string> FormatOpt("format", cl::desc("Output format: text (default) or json"),
                               cl::value_desc("format"), cl::init("text"), cl::sub(StatusSub),
                               cl::cat(StatusCategory));

} // namespace

cl::SubCommand &statusSubCommand() { return StatusSub; }
cl::OptionCategory &statusOptionCategory() { return StatusCategory; }

int runStatus() {
  if (FormatOpt != "text" && FormatOpt != "json")
    throw Error("unknown --format '" + FormatOpt + "' (expected text or json)");
  if (RootOpt.empty())
    throw Error("--root is empty (expected a directory, / for the running system)");
  TargetStatus S = readTargetStatus(RootOpt);
  std::string Text =
      FormatOpt == "json" ? output::formatTargetStatusJson(S) : output::formatTargetStatusText(S);
  llvm::outs() << Text;
  llvm::outs().flush();
  return targetStatusExitCode(S);
}

} // namespace klp::cli
