// One object's compile command, printed by kbuild's own rule (`make -n` of Makefile.build for
// the object's directory with that single object as the goal).
#include "makefile_query.h"

#include "klp/error.h"
#include "run_process.h"
#include "shell_words.h"

#include <sstream>

namespace klp {

std::vector<std::string> findCompileArgv(const std::string &Listing, const std::string &Object,
                                         const std::string &Source) {
  std::istringstream In(Listing);
  for (std::string Line; std::getline(In, Line);) {
    if (Line.find(Source) == std::string::npos || Line.find(Object) == std::string::npos)
      continue;
    for (std::vector<std::string> &Cmd : splitShellCommands(Line)) {
      size_t N = Cmd.size();
      if (N >= 5 && Cmd[N - 1] == Source && Cmd[N - 2] == Object && Cmd[N - 3] == "-o" &&
          Cmd[N - 4] == "-c")
        return Cmd;
    }
  }
  return {};
}

std::vector<std::string> kbuildCompileArgv(const KbuildContext &Ctx, const std::string &Dir,
                                           const DirEnv &Env, const std::string &Object,
                                           const std::string &Source) {
  ProcessResult R =
      runProcess(buildMakeArgv(Ctx, Dir, Env, false, {Object}), Ctx.Root, buildMakeEnv(Ctx, Env));
  if (R.ExitCode != 0)
    throw Error("kernel tree " + Ctx.Root + ": kbuild cannot tell how " + Object +
                " is compiled (make -n in " + Dir + " exited " + std::to_string(R.ExitCode) +
                "): " + R.Err.substr(0, 2000));
  std::vector<std::string> Argv = findCompileArgv(R.Out, Object, Source);
  if (Argv.empty())
    throw Error("kernel tree " + Ctx.Root + ": kbuild printed no compile command for " + Object +
                " from " + Source);
  return Argv;
}

} // namespace klp
