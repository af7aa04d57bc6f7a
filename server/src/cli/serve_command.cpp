#include "cli/serve_command.h"
#include "lsp/server.h"
#include "lsp/transport.h"
#include <unistd.h>

namespace cl = llvm::cl;

namespace klp::cli {

namespace {

cl::SubCommand ServeSub("serve", "Speak the Language Server Protocol (3.17) on stdin/stdout "
                                 "(the default when no command is given)");
cl::OptionCategory ServeCategory("serve options");

cl::opt<unsigned> DebounceOpt("debounce-ms",
                              cl::desc("Wait this long after the last edit before analysing "
                                       "(default 150; settings may change it)"),
                              cl::init(150), cl::sub(ServeSub), cl::cat(ServeCategory));
cl::opt<std::string> ServeCacheDirOpt("cache-dir",
                                      cl::desc("Cache for derived tree data (default "
                                               "~/.cache/klp-lsp)"),
                                      cl::value_desc("dir"), cl::sub(ServeSub),
                                      cl::cat(ServeCategory));

} // namespace

cl::SubCommand &serveSubCommand() { return ServeSub; }
cl::OptionCategory &serveOptionCategory() { return ServeCategory; }

int runServe() {
  lsp::StdioTransport T(0, 1);
  // The protocol owns stdout: anything else that prints there (a child process of kbuild, a
  // library) goes to stderr instead.
  ::dup2(2, 1);
  lsp::ServerOptions O;
  O.Debounce = std::chrono::milliseconds(DebounceOpt);
  O.CacheDir = ServeCacheDirOpt;
  lsp::Server S(T, O);
  return S.run();
}

} // namespace klp::cli
