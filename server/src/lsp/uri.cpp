#include "lsp/uri.h"
#include <cctype>

namespace klp::lsp {

namespace {
int hexValue(char C) {
  if (C >= '0' && C <= '9')
    return C - '0';
  if (C >= 'a' && C <= 'f')
    return C - 'a' + 10;
  if (C >= 'A' && C <= 'F')
    return C - 'A' + 10;
  return -1;
}
} // namespace

std::optional<std::string> uriToPath(std::string_view Uri) {
  constexpr std::string_view Scheme = "file://";
  if (Uri.size() < Scheme.size())
    return std::nullopt;
  for (size_t I = 0; I < Scheme.size(); ++I)
    if (std::tolower(static_cast<unsigned char>(Uri[I])) != Scheme[I])
      return std::nullopt;
  Uri.remove_prefix(Scheme.size());
  // An authority ("localhost") may precede the path.
  size_t Slash = Uri.find('/');
  if (Slash == std::string_view::npos)
    return std::nullopt;
  std::string_view Authority = Uri.substr(0, Slash);
  if (!Authority.empty() && Authority != "localhost")
    return std::nullopt;
  Uri.remove_prefix(Slash);
  std::string Path;
  for (size_t I = 0; I < Uri.size(); ++I) {
    if (Uri[I] == '%' && I + 2 < Uri.size() + 0 && hexValue(Uri[I + 1]) >= 0 &&
        hexValue(Uri[I + 2]) >= 0) {
      Path += static_cast<char>(hexValue(Uri[I + 1]) * 16 + hexValue(Uri[I + 2]));
      I += 2;
    } else if (Uri[I] == '?' || Uri[I] == '#') {
      break;
    } else {
      Path += Uri[I];
    }
  }
  return Path;
}

std::string pathToUri(std::string_view AbsPath) {
  static const char *Hex = "0123456789ABCDEF";
  std::string Out = "file://";
  for (unsigned char C : AbsPath) {
    if (std::isalnum(C) || C == '/' || C == '-' || C == '_' || C == '.' || C == '~')
      Out += static_cast<char>(C);
    else {
      Out += '%';
      Out += Hex[C >> 4];
      Out += Hex[C & 15];
    }
  }
  return Out;
}

} // namespace klp::lsp
