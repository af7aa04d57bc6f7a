#pragma once
#include <string>
#include <string_view>

namespace klp::cli {

// Writes Contents to Path through a temporary file in the same directory and a rename, so Path
// is either untouched or complete. Throws klp::Error "cannot write 'PATH': reason".
void writeFileAtomically(const std::string &Path, std::string_view Contents);

} // namespace klp::cli
