// JSON pieces shared by the JSON and SARIF writers.
#pragma once
#include "klp/findings.h"
#include <nlohmann/json.hpp>

namespace klp::output {

// Insertion-ordered, so documents read in the order the schema lists their members.
using Json = nlohmann::ordered_json;

// LSP-style 0-based {"start":{"line","character"},"end":{...}}.
Json rangeJson(const Range &R);
// Pretty-printed with a trailing newline; non-ASCII bytes kept as UTF-8.
std::string dumpJson(const Json &J);

} // namespace klp::output
