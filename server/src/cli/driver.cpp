// Command-line entry: `klp-lsp help [CMD]`, `klp-lsp --version`, `klp-lsp CMD [options]`.
// Usage errors and klp::Error both end as "klp-lsp: error: ..." on stderr and exit code 2.
#include "cli/command.h"
#include "cli/version.h"
#include "klp/error.h"
#include <cstdio>
#include <llvm/Support/raw_ostream.h>
#include <string>
#include <unistd.h>
#include <vector>

namespace cl = llvm::cl;

namespace klp::cli {

namespace {

constexpr const char *ProgramName = "klp-lsp";
constexpr const char *Overview = "livepatch safety analysis of Linux kernel patches";

int fail(const std::string &Message) {
  llvm::errs() << ProgramName << ": error: " << Message << "\n";
  return 2;
}

// LLVM prints "klp-lsp: <problem>" lines (sometimes "klp-lsp check: ..."); reword them to our
// "klp-lsp: error: <problem>" form. Its "Try: 'klp-lsp --help'" does not know the subcommand.
int failParse(const std::string &LlvmErrors, const std::string &CommandName = "") {
  std::string Out;
  size_t Pos = 0;
  while (Pos < LlvmErrors.size()) {
    size_t End = LlvmErrors.find('\n', Pos);
    if (End == std::string::npos)
      End = LlvmErrors.size();
    std::string Line = LlvmErrors.substr(Pos, End - Pos);
    Pos = End + 1;
    std::string Prefix = std::string(ProgramName) + ": ";
    for (const Command &C : commands()) {
      std::string SubPrefix = std::string(ProgramName) + " " + C.Sub->getName().str() + ": ";
      if (Line.starts_with(SubPrefix))
        Line = Prefix + Line.substr(SubPrefix.size());
    }
    std::string TopHelp = "'" + std::string(ProgramName) + " --help'";
    size_t At = Line.find(TopHelp);
    if (!CommandName.empty() && At != std::string::npos)
      Line.replace(At, TopHelp.size(),
                   "'" + std::string(ProgramName) + " help " + CommandName + "'");
    if (Line.starts_with(Prefix + "Did you mean"))
      Line = Prefix + "note: d" + Line.substr(Prefix.size() + 1);
    else if (Line.starts_with(Prefix))
      Line = Prefix + "error: " + Line.substr(Prefix.size());
    if (!Line.empty())
      Out += Line + "\n";
  }
  if (Out.empty())
    return fail(std::string("invalid command line; try '") + ProgramName + " help'");
  llvm::errs() << Out;
  return 2;
}

void setUpParser() {
  cl::SetVersionPrinter(
      [](llvm::raw_ostream &OS) { OS << ProgramName << " " << toolVersion() << "\n"; });
  // libLLVM registers hundreds of internal options; show only ours.
  std::vector<const cl::OptionCategory *> Ours;
  for (const Command &C : commands())
    Ours.push_back(C.Options);
  cl::HideUnrelatedOptions(Ours, cl::SubCommand::getTopLevel());
  for (const Command &C : commands())
    cl::HideUnrelatedOptions(Ours, *C.Sub);
}

// Some LLVM option errors ("requires a value!") go straight to llvm::errs() instead of the
// stream given to the parser; this sends file descriptor 2 to a temporary file meanwhile so they
// can be reworded too.
class StderrCapture {
public:
  StderrCapture() {
    File = std::tmpfile();
    Saved = File ? dup(2) : -1;
    if (Saved >= 0)
      dup2(fileno(File), 2);
  }
  std::string finish() {
    std::string Text;
    if (Saved < 0)
      return Text;
    dup2(Saved, 2);
    close(Saved);
    Saved = -1;
    std::rewind(File);
    char Buf[4096];
    for (size_t N; (N = std::fread(Buf, 1, sizeof(Buf), File)) > 0;)
      Text.append(Buf, N);
    return Text;
  }
  ~StderrCapture() {
    finish();
    if (File)
      std::fclose(File);
  }

private:
  std::FILE *File = nullptr;
  int Saved = -1;
};

// Returns false (with the errors in Errors) when LLVM rejects the command line. --help and
// --version print to stdout and exit(0) inside.
bool parse(const std::vector<const char *> &Args, std::string &Errors) {
  llvm::raw_string_ostream ES(Errors);
  StderrCapture Capture;
  bool Ok = cl::ParseCommandLineOptions(static_cast<int>(Args.size()), Args.data(), Overview, &ES);
  ES.flush();
  Errors = Capture.finish() + Errors;
  return Ok;
}

int runHelp(int Argc, const char *const *Argv) {
  std::vector<const char *> Args{ProgramName};
  if (Argc > 3)
    return fail("help takes at most one command");
  if (Argc == 3) {
    if (!findCommand(Argv[2]))
      return fail("unknown command '" + std::string(Argv[2]) + "'; try '" + ProgramName + " help'");
    Args.push_back(Argv[2]);
  }
  Args.push_back("--help");
  std::string Errors;
  parse(Args, Errors); // prints the help and exits
  return failParse(Errors);
}

int dispatch(int Argc, const char *const *Argv) {
  setUpParser();
  if (Argc < 2) // what editors run: the language server
    return findCommand("serve")->Run();
  std::string First = Argv[1];
  if (First == "help")
    return runHelp(Argc, Argv);
  if (!First.starts_with("-") && !findCommand(First))
    return fail("unknown command '" + First + "'; try '" + ProgramName + " help'");

  std::vector<const char *> Args(Argv, Argv + Argc);
  Args[0] = ProgramName; // LLVM prefixes its messages with it
  std::string Errors;
  if (!parse(Args, Errors))
    return failParse(Errors, First.starts_with("-") ? "" : First);
  for (const Command &C : commands())
    if (*C.Sub)
      return C.Run();
  return fail(std::string("no command given; try '") + ProgramName + " help'");
}

} // namespace

int run(int Argc, const char *const *Argv) {
  try {
    return dispatch(Argc, Argv);
  } catch (const Error &E) {
    return fail(E.what());
  } catch (const std::exception &E) {
    return fail(std::string("internal error: ") + E.what());
  }
}

} // namespace klp::cli
