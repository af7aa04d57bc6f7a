// Code lenses over the functions of a file that the livepatch touches.
#pragma once
#include "klp/findings.h"
#include "lsp/protocol.h"

namespace klp::features {

// One lens per changed/new/line-shift/inline-caller function of File: what the livepatch does
// with it, why it cannot be patched when an error finding names it, and the callers a changed
// inline function is compiled into.
std::vector<lsp::CodeLens> codeLenses(const Report &R, const std::string &File);

} // namespace klp::features
