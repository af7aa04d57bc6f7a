// klp::Error: the one exception type for "the tool could not do its job" (bad input, missing
// tree, broken patch). Its message is shown to the user as is, so it names the input and says
// what is wrong. Callers at the top (CLI, server) turn it into exit code 2 or an LSP error.
#pragma once
#include <stdexcept>
#include <string>

namespace klp {

class Error : public std::runtime_error {
public:
  explicit Error(const std::string &Msg) : std::runtime_error(Msg) {}
};

} // namespace klp
