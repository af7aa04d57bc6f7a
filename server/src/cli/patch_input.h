#pragma once
#include "klp/patch.h"
#include <string>

namespace klp::cli {

// Reads and parses one PATCH argument: a file, or "-" for standard input (named "<stdin>").
// Throws klp::Error "cannot read patch 'PATH': reason", or parsePatch's "NAME:LINE: ..." error.
Patch loadPatch(const std::string &Arg);

} // namespace klp::cli
