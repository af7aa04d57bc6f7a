// RootFs: reads files of a live or recorded root file system, never writes.
#include "klp/error.h"
#include "target_status_impl.h"
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace klp::status_detail {

RootFs::RootFs(std::string Root) : Prefix(std::move(Root)) {
  while (!Prefix.empty() && Prefix.back() == '/')
    Prefix.pop_back();
}

std::string RootFs::path(const std::string &Rel) const { return Prefix + Rel; }

bool RootFs::exists(const std::string &Rel) const {
  std::error_code EC;
  return fs::exists(path(Rel), EC);
}

bool RootFs::isDirectory(const std::string &Rel) const {
  std::error_code EC;
  return fs::is_directory(path(Rel), EC);
}

std::optional<std::string> RootFs::read(const std::string &Rel) const {
  std::error_code EC;
  if (fs::is_directory(path(Rel), EC))
    return std::nullopt;
  std::ifstream In(path(Rel), std::ios::binary);
  if (!In)
    return std::nullopt;
  std::ostringstream SS;
  SS << In.rdbuf();
  if (In.bad())
    return std::nullopt;
  return SS.str();
}

std::string RootFs::readEssential(const std::string &Rel, const std::string &What) const {
  std::string P = path(Rel);
  std::error_code EC;
  if (!fs::exists(P, EC))
    throw Error(P + " does not exist (" + What + ")");
  if (fs::is_directory(P, EC))
    throw Error(P + " is a directory, expected a file (" + What + ")");
  errno = 0;
  std::optional<std::string> Text = read(Rel);
  if (!Text)
    throw Error("cannot read " + P + " (" + What + ")" +
                (errno ? std::string(": ") + std::strerror(errno) : std::string()));
  return *Text;
}

std::vector<std::string> RootFs::list(const std::string &Rel) const {
  std::vector<std::string> Names;
  std::error_code EC;
  for (fs::directory_iterator It(path(Rel), EC), End; !EC && It != End; It.increment(EC))
    Names.push_back(It->path().filename().string());
  std::sort(Names.begin(), Names.end());
  return Names;
}

std::string trim(const std::string &S) {
  size_t B = 0, E = S.size();
  while (B < E && std::isspace(static_cast<unsigned char>(S[B])))
    ++B;
  while (E > B && std::isspace(static_cast<unsigned char>(S[E - 1])))
    --E;
  return S.substr(B, E - B);
}

std::optional<uint64_t> parseUnsigned(const std::string &S) {
  std::string T = trim(S);
  if (T.empty() || T.size() > 20)
    return std::nullopt;
  uint64_t V = 0;
  for (char C : T) {
    if (!std::isdigit(static_cast<unsigned char>(C)))
      return std::nullopt;
    uint64_t D = static_cast<uint64_t>(C - '0');
    if (V > (UINT64_MAX - D) / 10)
      return std::nullopt;
    V = V * 10 + D;
  }
  return V;
}

std::optional<bool> parseFlag(const std::optional<std::string> &Text) {
  if (!Text)
    return std::nullopt;
  std::string T = trim(*Text);
  if (T == "1" || T == "Y")
    return true;
  if (T == "0" || T == "N")
    return false;
  return std::nullopt;
}

} // namespace klp::status_detail
