// Quick fixes: the analysis's Fix edits of the findings under the requested range.
#pragma once
#include "features/diagnostics.h"

namespace klp::features {

std::vector<lsp::CodeAction> codeActions(const Report &R, const std::string &TreeRoot,
                                         const std::string &File, const Range &Where,
                                         const SeverityOverrides &O);

} // namespace klp::features
