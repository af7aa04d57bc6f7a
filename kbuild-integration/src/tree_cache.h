// The per-tree cache directory: everything derived from a kernel tree (kbuild's exported
// environment, directory evaluations, compile commands, the include graph) lives under
// <base>/trees/<hash of the tree root>/, never in the tree. The directory is keyed: when the
// key (tree root, mtime of include/config/auto.conf, ...) changes, its contents are dropped.
#pragma once
#include <optional>
#include <string>

namespace klp {

class TreeCache {
public:
  TreeCache() = default;
  // Base "" means $XDG_CACHE_HOME/klp-lsp or ~/.cache/klp-lsp.
  TreeCache(const std::string &Base, const std::string &Root, const std::string &Key);

  const std::string &dir() const { return Dir; }
  std::string path(const std::string &Name) const { return Dir + "/" + Name; }
  std::optional<std::string> read(const std::string &Name) const;
  // Atomic (write to a temporary, rename), so concurrent readers see old or new content.
  void write(const std::string &Name, const std::string &Content) const;

  // A tree-relative path as one file name ("fs/proc/x.o" -> "fs%2Fproc%2Fx.o").
  static std::string escape(const std::string &RelPath);
  static std::string defaultBase();

private:
  std::string Dir;
};

// Hex FNV-1a 64 of a string: the directory name of a tree in the cache.
std::string hashHex(const std::string &S);

} // namespace klp
