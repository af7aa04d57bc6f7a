// The arguments of workspace/executeCommand for the commands that take at most one object
// (klp.buildModule, klp.targetStatus).
#pragma once
#include "lsp/protocol.h"
#include <string>

namespace klp::lsp {

// nullptr when "arguments" is absent, null or []; else its one element, which must be an object.
// Anything else throws InvalidParams "<Command>: arguments must be an array" or
// "<Command>: expected one argument, an object <Shape>".
const Json *optionalObjectArgument(const Json &P, const std::string &Command,
                                   const std::string &Shape);

} // namespace klp::lsp
