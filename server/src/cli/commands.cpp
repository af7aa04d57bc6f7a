#include "cli/build_command.h"
#include "cli/check_command.h"
#include "cli/command.h"
#include "cli/serve_command.h"
#include "cli/status_command.h"
#include <algorithm>

namespace klp::cli {

std::span<const Command> commands() {
  // Function-local so the table is built after every subcommand's static options exist.
  static const Command Table[] = {
      {&checkSubCommand(), &checkOptionCategory(), runCheck},
      {&serveSubCommand(), &serveOptionCategory(), runServe},
      {&buildSubCommand(), &buildOptionCategory(), runBuild},
      {&statusSubCommand(), &statusOptionCategory(), runStatus},
  };
  return Table;
}

const Command *findCommand(std::string_view Name) {
  std::span<const Command> All = commands();
  auto It = std::find_if(All.begin(), All.end(), [Name](const Command &C) {
    return std::string_view(C.Sub->getName()) == Name;
  });
  return It == All.end() ? nullptr : &*It;
}

} // namespace klp::cli
