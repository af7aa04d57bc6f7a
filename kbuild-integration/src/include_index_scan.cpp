// Reading #include lines and compiler include options.
#include "include_index.h"
#include "path_util.h"

#include <optional>
#include <sstream>

namespace klp {

std::vector<IncludeDirective> scanIncludes(std::string_view Text) {
  std::vector<IncludeDirective> R;
  bool InComment = false;
  size_t Pos = 0;
  while (Pos < Text.size()) {
    size_t End = Text.find('\n', Pos);
    if (End == std::string_view::npos)
      End = Text.size();
    std::string_view Line = Text.substr(Pos, End - Pos);
    Pos = End + 1;
    // Drop comments (a /* */ may span lines) so that a commented-out #include does not count.
    std::string Clean;
    for (size_t I = 0; I < Line.size(); ++I) {
      if (InComment) {
        if (Line.compare(I, 2, "*/") == 0) {
          InComment = false;
          ++I;
        }
        continue;
      }
      if (Line.compare(I, 2, "/*") == 0) {
        InComment = true;
        ++I;
        Clean += ' ';
        continue;
      }
      if (Line.compare(I, 2, "//") == 0)
        break;
      Clean += Line[I];
    }
    size_t I = Clean.find_first_not_of(" \t");
    if (I == std::string::npos || Clean[I] != '#')
      continue;
    I = Clean.find_first_not_of(" \t", I + 1);
    if (I == std::string::npos || Clean.compare(I, 7, "include") != 0)
      continue;
    IncludeDirective D;
    I += 7;
    if (Clean.compare(I, 5, "_next") == 0) {
      D.Next = true;
      I += 5;
    }
    I = Clean.find_first_not_of(" \t", I);
    if (I == std::string::npos || (Clean[I] != '"' && Clean[I] != '<'))
      continue; // #include MACRO, #included, ...
    D.Angled = Clean[I] == '<';
    size_t Close = Clean.find(D.Angled ? '>' : '"', I + 1);
    if (Close == std::string::npos || Close == I + 1)
      continue;
    D.Name = Clean.substr(I + 1, Close - I - 1);
    R.push_back(std::move(D));
  }
  return R;
}

std::string SearchConfig::key() const {
  std::string K;
  for (const auto *L : {&Quote, &Angle, &Forced}) {
    for (const std::string &S : *L)
      K += S + '\n';
    K += '\0';
  }
  return K;
}

SearchConfig searchConfigFromArgs(const std::vector<std::string> &Args, const std::string &Root) {
  SearchConfig C;
  std::vector<std::string> System, After;
  auto inTree = [&](std::string P) -> std::optional<std::string> {
    if (!P.empty() && P[0] == '/') {
      if (P == Root)
        return ".";
      if (!P.starts_with(Root + "/"))
        return std::nullopt;
      P = P.substr(Root.size() + 1);
    }
    std::string N = normalizeRelPath(P);
    if (N == ".." || N.starts_with("../"))
      return std::nullopt;
    return N;
  };
  struct Opt {
    const char *Name;
    std::vector<std::string> *List;
  } Opts[] = {{"-iquote", &C.Quote},
              {"-isystem", &System},
              {"-idirafter", &After},
              {"-include", &C.Forced},
              {"-I", &C.Angle}};
  for (size_t K = 0; K < Args.size(); ++K) {
    for (const Opt &O : Opts) {
      std::string_view N = O.Name;
      if (!Args[K].starts_with(N))
        continue;
      std::string Value = Args[K].substr(N.size());
      if (Value.empty() && K + 1 < Args.size())
        Value = Args[++K];
      if (std::optional<std::string> P = inTree(Value))
        O.List->push_back(*P);
      break;
    }
  }
  C.Angle.insert(C.Angle.end(), System.begin(), System.end());
  C.Angle.insert(C.Angle.end(), After.begin(), After.end());
  return C;
}

} // namespace klp
