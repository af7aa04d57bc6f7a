// Lexical path helpers shared by the kbuild model and the include index.
#pragma once
#include <string>

namespace klp {

// Tree-relative path with "./" and empty components dropped and "a/../" folded; "." when
// nothing is left. Purely lexical: symlinks are not resolved.
std::string normalizeRelPath(const std::string &P);

} // namespace klp
