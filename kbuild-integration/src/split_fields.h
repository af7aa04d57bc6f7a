// A line split at every separator with empty fields kept ("a;;b" -> "a", "", "b"; "" -> ""):
// -fdump-ipa-clones lines, kmsg record headers, symbol and section names.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace klp {

inline std::vector<std::string> splitFields(std::string_view S, char Separator) {
  std::vector<std::string> Fields;
  for (size_t Start = 0;;) {
    size_t End = S.find(Separator, Start);
    Fields.emplace_back(S.substr(Start, End == std::string_view::npos ? End : End - Start));
    if (End == std::string_view::npos)
      return Fields;
    Start = End + 1;
  }
}

} // namespace klp
