#include "output/json_common.h"

namespace klp::output {

static Json positionJson(const Position &P) {
  return Json{{"line", P.Line}, {"character", P.Character}};
}

Json rangeJson(const Range &R) {
  return Json{{"start", positionJson(R.Start)}, {"end", positionJson(R.End)}};
}

std::string dumpJson(const Json &J) {
  // Replace invalid UTF-8 rather than throw: messages may quote source bytes.
  return J.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace klp::output
