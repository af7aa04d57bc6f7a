// The include graph of the translation units a configuration builds: a conditional-blind scan
// of `#include "..."` / `#include <...>` lines (every #if branch counts, macro includes do not),
// each resolved with the search path of the translation unit that reaches it. Translation
// units with different -I/-iquote/-include options share one graph: an edge carries the set of
// search configurations under which the directive resolves to its target.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace klp {

struct IncludeDirective {
  bool Angled = false; // <...>
  bool Next = false;   // #include_next
  std::string Name;
};

// The #include lines of a file, in order; comments are skipped, macro includes ignored.
std::vector<IncludeDirective> scanIncludes(std::string_view Text);

// Where a translation unit's #includes are looked up, tree-relative directories.
struct SearchConfig {
  std::vector<std::string> Quote;  // -iquote
  std::vector<std::string> Angle;  // -I, then -isystem, then -idirafter
  std::vector<std::string> Forced; // -include files
  std::string key() const;
};
// From compiler arguments: "-Ifoo", "-I foo", "-iquote", "-isystem", "-idirafter", "-include".
// Root turns absolute paths inside the tree into relative ones; paths outside are dropped.
SearchConfig searchConfigFromArgs(const std::vector<std::string> &Args, const std::string &Root);

struct IncludeTu {
  std::string Source;
  SearchConfig Search;
};

class IncludeIndex {
public:
  // Scans the tree from the translation units.
  static std::unique_ptr<IncludeIndex> build(const std::string &Root,
                                             const std::vector<IncludeTu> &Tus);
  static std::unique_ptr<IncludeIndex> load(const std::string &Text);
  std::string save() const;

  // Translation units whose includes reach Header (tree-relative), sorted.
  std::vector<std::string> includers(const std::string &Header) const;
  size_t fileCount() const { return Paths.size(); }
  size_t edgeCount() const;

private:
  using Bits = std::vector<uint64_t>;
  struct Edge {
    uint32_t Target, Label; // Label 0: every configuration
  };
  unsigned Configs = 0;
  std::vector<std::string> Paths;
  std::unordered_map<std::string, uint32_t> Ids;
  std::vector<Bits> Labels;
  std::vector<std::vector<Edge>> Edges;
  std::vector<std::pair<uint32_t, uint32_t>> Tus; // file, configuration
  mutable std::vector<std::vector<Edge>> Reverse; // built on first query
  mutable std::mutex QueryMu;
  mutable std::map<std::string, std::vector<std::string>> Memo;

  friend class IncludeIndexBuilder;
  uint32_t intern(const std::string &Path);
  uint32_t internLabel(const Bits &B);
};

} // namespace klp
