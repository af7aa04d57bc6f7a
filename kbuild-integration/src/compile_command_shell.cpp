#include "shell_words.h"

#include "klp/error.h"

namespace klp {

std::vector<std::vector<std::string>> splitShellCommands(std::string_view Line) {
  std::vector<std::vector<std::string>> Commands(1);
  std::string Word;
  bool InWord = false; // a word has started (possibly empty, as in '')
  auto endWord = [&] {
    if (InWord)
      Commands.back().push_back(Word);
    Word.clear();
    InWord = false;
  };
  auto endCommand = [&] {
    endWord();
    if (!Commands.back().empty())
      Commands.emplace_back();
  };
  for (size_t I = 0; I < Line.size(); ++I) {
    char C = Line[I];
    if (C == ' ' || C == '\t') {
      endWord();
    } else if (C == '\n' || C == ';' || C == '&' || C == '|') {
      endCommand();
      if ((C == '&' || C == '|') && I + 1 < Line.size() && Line[I + 1] == C)
        ++I;
    } else if (C == '#' && !InWord) {
      while (I + 1 < Line.size() && Line[I + 1] != '\n')
        ++I; // a comment runs to the end of the line
    } else if (C == '\'') {
      size_t End = Line.find('\'', I + 1);
      if (End == std::string_view::npos)
        throw Error("unterminated ' quote in shell command: " + std::string(Line.substr(0, 200)));
      Word.append(Line.substr(I + 1, End - I - 1));
      InWord = true;
      I = End;
    } else if (C == '"') {
      size_t J = I + 1;
      for (; J < Line.size() && Line[J] != '"'; ++J) {
        if (Line[J] == '\\' && J + 1 < Line.size() &&
            std::string_view("$`\"\\\n").find(Line[J + 1]) != std::string_view::npos) {
          if (Line[J + 1] != '\n')
            Word += Line[J + 1];
          ++J;
        } else {
          Word += Line[J];
        }
      }
      if (J >= Line.size())
        throw Error("unterminated \" quote in shell command: " + std::string(Line.substr(0, 200)));
      InWord = true;
      I = J;
    } else if (C == '\\') {
      if (I + 1 < Line.size() && Line[I + 1] != '\n') {
        Word += Line[I + 1];
        InWord = true;
      }
      ++I; // backslash-newline is a line continuation
    } else {
      Word += C;
      InWord = true;
    }
  }
  endCommand();
  if (Commands.back().empty())
    Commands.pop_back();
  return Commands;
}

std::vector<std::string> splitShellWords(std::string_view Line) {
  std::vector<std::string> Words;
  for (std::vector<std::string> &Cmd : splitShellCommands(Line))
    Words.insert(Words.end(), Cmd.begin(), Cmd.end());
  return Words;
}

std::string shellQuote(const std::string &Word) {
  if (!Word.empty() && Word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789_-+=./,:@%") == std::string::npos)
    return Word;
  std::string Q = "'";
  for (char C : Word)
    Q += C == '\'' ? std::string("'\\''") : std::string(1, C);
  return Q + "'";
}

} // namespace klp
