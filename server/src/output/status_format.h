// Renderings of klp::TargetStatus (`klp-lsp status`, later `klp.targetStatus`): the JSON and
// text documented in docs/status.md. The JSON is stable API: add members, never rename.
#pragma once
#include "klp/target_status.h"
#include "output/json_common.h"
#include <string>

namespace klp::output {

Json targetStatusJson(const TargetStatus &S);
std::string formatTargetStatusJson(const TargetStatus &S); // pretty, trailing newline
std::string formatTargetStatusText(const TargetStatus &S);

} // namespace klp::output
