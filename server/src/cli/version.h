#pragma once

namespace klp::cli {

// The klp-lsp release (the CMake project version), as in `klp-lsp --version`.
const char *toolVersion();

} // namespace klp::cli
