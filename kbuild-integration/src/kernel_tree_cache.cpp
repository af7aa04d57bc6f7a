#include "tree_cache.h"

#include "klp/error.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace klp {

std::string hashHex(const std::string &S) {
  uint64_t H = 1469598103934665603ULL;
  for (unsigned char C : S)
    H = (H ^ C) * 1099511628211ULL;
  char Buf[17];
  snprintf(Buf, sizeof Buf, "%016llx", static_cast<unsigned long long>(H));
  return Buf;
}

std::string TreeCache::defaultBase() {
  if (const char *X = getenv("XDG_CACHE_HOME"); X && *X)
    return std::string(X) + "/klp-lsp";
  if (const char *H = getenv("HOME"); H && *H)
    return std::string(H) + "/.cache/klp-lsp";
  throw Error("cannot find a cache directory: neither XDG_CACHE_HOME nor HOME is set");
}

TreeCache::TreeCache(const std::string &Base, const std::string &Root, const std::string &Key) {
  std::string B = Base.empty() ? defaultBase() : Base;
  std::error_code EC;
  fs::path Abs = fs::weakly_canonical(fs::absolute(B), EC);
  if (EC)
    Abs = fs::absolute(B);
  std::string AbsS = Abs.string();
  if (AbsS == Root || AbsS.starts_with(Root + "/"))
    throw Error("cache directory " + AbsS + " is inside the kernel tree " + Root +
                "; the tree is never written: choose a cache directory outside it");
  Dir = AbsS + "/trees/" + hashHex(Root);
  fs::create_directories(Dir, EC);
  if (EC)
    throw Error("cannot create cache directory " + Dir + ": " + EC.message());
  if (read("key") == Key)
    return;
  // A stale cache (reconfigured tree, new format): drop everything derived from it.
  for (const fs::directory_entry &E : fs::directory_iterator(Dir, EC))
    fs::remove_all(E.path(), EC);
  write("key", Key);
}

std::optional<std::string> TreeCache::read(const std::string &Name) const {
  std::ifstream In(path(Name), std::ios::binary);
  if (!In)
    return std::nullopt;
  std::ostringstream S;
  S << In.rdbuf();
  return S.str();
}

void TreeCache::write(const std::string &Name, const std::string &Content) const {
  static std::atomic<unsigned> Counter{0};
  fs::path Final = path(Name);
  std::error_code EC;
  fs::create_directories(Final.parent_path(), EC);
  std::string Tmp =
      Final.string() + ".tmp." + std::to_string(getpid()) + "." + std::to_string(Counter++);
  {
    std::ofstream Out(Tmp, std::ios::binary | std::ios::trunc);
    Out << Content;
    if (!Out.flush())
      throw Error("cannot write cache file " + Tmp);
  }
  fs::rename(Tmp, Final, EC);
  if (EC)
    throw Error("cannot write cache file " + Final.string() + ": " + EC.message());
}

std::string TreeCache::escape(const std::string &RelPath) {
  if (RelPath == "." || RelPath == "..")
    return RelPath == "." ? "%2E" : "%2E%2E";
  std::string R;
  for (char C : RelPath) {
    if (C == '/')
      R += "%2F";
    else if (C == '%')
      R += "%25";
    else
      R += C;
  }
  return R;
}

} // namespace klp
