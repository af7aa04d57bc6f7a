// gcc's -fdump-ipa-clones dump: one line per transformation,
//   Callgraph clone;CALLEE;ORDER;FILE;LINE;COL;INTO;ORDER;FILE;LINE;COL;KIND
//   Callgraph removal;NAME;ORDER;FILE;LINE;COL
// where KIND is "inlining to" (CALLEE's body was inlined into INTO) or a clone suffix
// ("constprop", "isra", "part", ...: INTO is a clone of CALLEE).
#include "elf_diff_impl.h"
#include "split_fields.h"

#include "klp/error.h"

#include <fstream>

namespace klp::elfdiff {

std::vector<CloneEdge> readIpaClones(const std::string &Path) {
  std::vector<CloneEdge> Edges;
  if (Path.empty())
    return Edges;
  std::ifstream In(Path);
  if (!In)
    throw Error(Path + ": cannot read the -fdump-ipa-clones dump");
  std::string Line;
  while (std::getline(In, Line)) {
    if (Line.rfind("Callgraph clone;", 0) != 0)
      continue;
    std::vector<std::string> Fields = splitFields(Line, ';');
    if (Fields.size() < 12)
      throw Error(Path + ": malformed -fdump-ipa-clones line: " + Line);
    Edges.push_back({Fields[1], Fields[6], Fields[11]});
  }
  return Edges;
}

} // namespace klp::elfdiff
