// Line search for definitions in C source text (klp/binary_findings.h): enough to put binary
// findings on the line the source analysis would use, without parsing. Comments, string and
// character literals and preprocessor lines are blanked out first so their contents never match.
#include "klp/binary_findings.h"

#include <array>
#include <cctype>

namespace klp {

namespace {

bool isIdent(char C) { return std::isalnum(static_cast<unsigned char>(C)) || C == '_'; }

// Text with comments, literals and preprocessor lines (with their continuations) replaced by
// spaces; newlines are kept so offsets and lines stay those of Text.
std::string codeOnly(std::string_view Text) {
  std::string Out(Text);
  size_t I = 0, N = Text.size();
  bool LineStart = true;
  auto blank = [&](size_t From, size_t To) {
    for (size_t K = From; K < To && K < N; ++K)
      if (Out[K] != '\n')
        Out[K] = ' ';
  };
  while (I < N) {
    char C = Text[I];
    if (LineStart && (C == ' ' || C == '\t')) {
      ++I;
      continue;
    }
    if (LineStart && C == '#') {
      size_t J = I;
      while (J < N && !(Text[J] == '\n' && Text[J - 1] != '\\'))
        ++J;
      blank(I, J);
      I = J;
      continue;
    }
    LineStart = C == '\n';
    if (C == '/' && I + 1 < N && Text[I + 1] == '*') {
      size_t J = Text.find("*/", I + 2);
      J = J == std::string_view::npos ? N : J + 2;
      blank(I, J);
      I = J;
    } else if (C == '/' && I + 1 < N && Text[I + 1] == '/') {
      size_t J = Text.find('\n', I);
      J = J == std::string_view::npos ? N : J;
      blank(I, J);
      I = J;
    } else if (C == '"' || C == '\'') {
      size_t J = I + 1;
      while (J < N && Text[J] != C && Text[J] != '\n')
        J += Text[J] == '\\' ? 2 : 1;
      blank(I + 1, J);
      I = J + 1;
    } else {
      ++I;
    }
  }
  return Out;
}

Position positionOf(std::string_view Text, size_t Offset) {
  Position P;
  for (size_t K = 0; K < Offset; ++K)
    if (Text[K] == '\n') {
      ++P.Line;
      P.Character = 0;
    } else {
      ++P.Character;
    }
  return P;
}

size_t skipSpace(const std::string &Code, size_t I) {
  while (I < Code.size() && std::isspace(static_cast<unsigned char>(Code[I])))
    ++I;
  return I;
}

// Offset just after the bracket matching the one at I (Open at I), or npos.
size_t skipBalanced(const std::string &Code, size_t I, char Open, char Close) {
  int Depth = 0;
  for (; I < Code.size(); ++I) {
    if (Code[I] == Open)
      ++Depth;
    else if (Code[I] == Close && --Depth == 0)
      return I + 1;
  }
  return std::string::npos;
}

// Offsets of Name as a whole identifier in Code, each with the brace depth there.
std::vector<std::pair<size_t, int>> occurrences(const std::string &Code, std::string_view Name) {
  std::vector<std::pair<size_t, int>> Out;
  int Depth = 0;
  for (size_t I = 0; I < Code.size(); ++I) {
    char C = Code[I];
    if (C == '{')
      ++Depth;
    else if (C == '}')
      Depth = Depth ? Depth - 1 : 0;
    else if (Code.compare(I, Name.size(), Name) == 0 && (I == 0 || !isIdent(Code[I - 1])) &&
             (I + Name.size() >= Code.size() || !isIdent(Code[I + Name.size()]))) {
      Out.push_back({I, Depth});
      I += Name.size() - 1;
    }
  }
  return Out;
}

// The offset of the '{' that opens the body of a function whose name is at At, or npos when
// the name is not followed by a parameter list, attributes and '{'.
size_t bodyOpen(const std::string &Code, size_t At, size_t NameLen) {
  size_t I = skipSpace(Code, At + NameLen);
  if (I >= Code.size() || Code[I] != '(')
    return std::string::npos;
  I = skipBalanced(Code, I, '(', ')');
  while (I != std::string::npos) {
    I = skipSpace(Code, I);
    if (I >= Code.size())
      return std::string::npos;
    if (Code[I] == '{')
      return I;
    if (!isIdent(Code[I])) // ';' (a prototype), ',', '=', ')' (a call): not a definition
      return std::string::npos;
    while (I < Code.size() && isIdent(Code[I])) // an attribute: __acquires(x), __init, ...
      ++I;
    I = skipSpace(Code, I);
    if (I < Code.size() && Code[I] == '(')
      I = skipBalanced(Code, I, '(', ')');
  }
  return std::string::npos;
}

struct Definition {
  size_t NameAt = std::string::npos, NameLen = 0, Open = std::string::npos;
};

Definition findDefinition(const std::string &Code, std::string_view Name) {
  static constexpr std::array<std::string_view, 6> SyscallPrefixes = {
      "__x64_sys_", "__ia32_sys_",       "__se_sys_",
      "__do_sys_",  "__x64_compat_sys_", "__se_compat_sys_"};
  for (std::string_view Prefix : SyscallPrefixes) {
    if (!Name.starts_with(Prefix) || Name.size() == Prefix.size())
      continue;
    std::string_view Sys = Name.substr(Prefix.size());
    for (auto [At, Depth] : occurrences(Code, Sys)) {
      size_t Paren = Code.rfind('(', At);
      if (Depth || Paren == std::string::npos || skipSpace(Code, Paren + 1) != At)
        continue;
      size_t MacroEnd = Paren;
      size_t MacroStart = MacroEnd;
      while (MacroStart && isIdent(Code[MacroStart - 1]))
        --MacroStart;
      std::string_view Macro(Code.data() + MacroStart, MacroEnd - MacroStart);
      if ((Macro.size() == 15 && Macro.starts_with("SYSCALL_DEFINE")) ||
          Macro.starts_with("COMPAT_SYSCALL_DEFINE"))
        return {At, Sys.size(), bodyOpen(Code, MacroStart, Macro.size())};
    }
  }
  for (auto [At, Depth] : occurrences(Code, Name))
    if (Depth == 0)
      if (size_t Open = bodyOpen(Code, At, Name.size()); Open != std::string::npos)
        return {At, Name.size(), Open};
  return {};
}

} // namespace

std::optional<Range> findFunctionDefinition(std::string_view Text, std::string_view Name) {
  if (Name.empty())
    return std::nullopt;
  Definition D = findDefinition(codeOnly(Text), Name);
  if (D.NameAt == std::string::npos)
    return std::nullopt;
  Position Start = positionOf(Text, D.NameAt);
  return Range{Start, {Start.Line, Start.Character + static_cast<unsigned>(D.NameLen)}};
}

std::string functionDefinitionText(std::string_view Text, std::string_view Name) {
  if (Name.empty())
    return "";
  std::string Code = codeOnly(Text);
  Definition D = findDefinition(Code, Name);
  if (D.NameAt == std::string::npos || D.Open == std::string::npos)
    return "";
  size_t End = skipBalanced(Code, D.Open, '{', '}');
  size_t LineStart = Text.rfind('\n', D.NameAt);
  LineStart = LineStart == std::string_view::npos ? 0 : LineStart + 1;
  return std::string(
      Text.substr(LineStart, (End == std::string::npos ? Text.size() : End) - LineStart));
}

std::optional<Range> findVariableDefinition(std::string_view Text, std::string_view Name) {
  if (Name.empty())
    return std::nullopt;
  std::string Code = codeOnly(Text);
  for (auto [At, Depth] : occurrences(Code, Name)) {
    size_t LineStart = Code.rfind('\n', At);
    LineStart = LineStart == std::string::npos ? 0 : LineStart + 1;
    std::string_view Before(Code.data() + LineStart, At - LineStart);
    size_t Last = Before.find_last_not_of(" \t");
    if (Last == std::string_view::npos) // nothing before it: an assignment or a call
      continue;
    size_t After = skipSpace(Code, At + Name.size());
    while (After < Code.size() && Code[After] == '[')
      After = skipSpace(Code, skipBalanced(Code, After, '[', ']'));
    char Next = After < Code.size() ? Code[After] : ';';
    bool Declarator = (isIdent(Before[Last]) || Before[Last] == '*' || Before[Last] == ',') &&
                      Before.find('(') == std::string_view::npos &&
                      (Next == '=' || Next == ';' || Next == ',');
    // DEFINE_MUTEX(name), DEFINE_PER_CPU(type, name), LIST_HEAD(name), ...
    bool Macro = Before[Last] == '(' || (Before[Last] == ',' && Next == ')');
    Macro = Macro && Next == ')' &&
            (Before.find("DEFINE") != std::string_view::npos ||
             Before.find("LIST_HEAD") != std::string_view::npos);
    if (!Declarator && !Macro)
      continue;
    if (Depth && Before.find("static") == std::string_view::npos)
      continue; // inside a function only static locals are objects of their own
    Position Start = positionOf(Text, At);
    return Range{Start, {Start.Line, Start.Character + static_cast<unsigned>(Name.size())}};
  }
  return std::nullopt;
}

} // namespace klp
