#include "cli/version.h"

#ifndef KLP_LSP_VERSION
#error "KLP_LSP_VERSION must be defined by the build (server/CMakeLists.txt)"
#endif

namespace klp::cli {

const char *toolVersion() { return KLP_LSP_VERSION; }

} // namespace klp::cli
