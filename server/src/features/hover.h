// Hover: what the livepatch analysis says about the changed function or type under the cursor.
#pragma once
#include "features/diagnostics.h"

namespace klp::features {

// Markdown for every finding whose range contains Where and for the function whose name is
// there (its livepatch status); nullopt when the analysis has nothing to say at that place.
std::optional<lsp::Hover> hover(const Report &R, const std::string &File, const Position &Where,
                                const SeverityOverrides &O);

} // namespace klp::features
