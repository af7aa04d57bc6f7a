// file:// URIs <-> absolute paths (RFC 8089 as editors write them: percent-encoded UTF-8).
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace klp::lsp {

// nullopt for anything but a file URI with an absolute path.
std::optional<std::string> uriToPath(std::string_view Uri);
std::string pathToUri(std::string_view AbsPath);

} // namespace klp::lsp
