// The unified-diff reader: git format (extended headers, binary markers), plain `diff -u` and
// `diff -ruN`, with whatever mail headers, commit messages and diffstats surround the diffs.
#include "klp/error.h"
#include "klp/patch.h"

#include <cctype>
#include <cstdint>
#include <utility>

namespace klp {
namespace {

bool startsWith(std::string_view S, std::string_view Prefix) {
  return S.substr(0, Prefix.size()) == Prefix;
}

std::string_view trimCR(std::string_view S) {
  if (!S.empty() && S.back() == '\r')
    S.remove_suffix(1);
  return S;
}

bool isHex(std::string_view S) {
  for (char C : S)
    if (!std::isxdigit(static_cast<unsigned char>(C)))
      return false;
  return !S.empty();
}

// "From <sha> Mon Sep 17 00:00:00 2001" (git format-patch) or "commit <sha>" (git log -p): a new
// commit starts, so its message must not be read as part of the previous diff.
bool isCommitStart(std::string_view L) {
  for (std::string_view Prefix : {"From ", "commit "})
    if (startsWith(L, Prefix) && L.size() >= Prefix.size() + 40 &&
        isHex(L.substr(Prefix.size(), 40)))
      return true;
  return false;
}

// Git quotes paths with unusual characters C-style: "a/tab\there".
std::string unquote(std::string_view S, size_t &End) {
  std::string Out;
  size_t I = 1;
  for (; I < S.size() && S[I] != '"'; ++I) {
    char C = S[I];
    if (C != '\\' || I + 1 == S.size()) {
      Out += C;
      continue;
    }
    char E = S[++I];
    static constexpr std::string_view Letters = "abfnrtv", Controls = "\a\b\f\n\r\t\v";
    if (size_t K = Letters.find(E); K != std::string_view::npos) {
      Out += Controls[K];
    } else if (E >= '0' && E <= '7') {
      unsigned V = 0; // up to three octal digits, one byte of a UTF-8 name
      for (int D = 0; D < 3 && I < S.size() && S[I] >= '0' && S[I] <= '7'; ++D, ++I)
        V = V * 8 + (S[I] - '0');
      --I;
      Out += static_cast<char>(V);
    } else {
      Out += E; // \\ and \"
    }
  }
  End = I < S.size() ? I + 1 : I;
  return Out;
}

// A path as written after "--- ", "rename from " etc.: quoted, or up to a tab (diff -u puts the
// date after a tab; git adds a tab after names containing spaces).
std::string pathField(std::string_view S, std::string *Date = nullptr) {
  std::string Path;
  size_t End;
  if (startsWith(S, "\"")) {
    Path = unquote(S, End);
  } else {
    End = S.find('\t');
    if (End == std::string_view::npos)
      End = S.size();
    Path = std::string(S.substr(0, End));
  }
  if (Date) {
    std::string_view Rest = S.substr(End);
    while (!Rest.empty() && (Rest.front() == '\t' || Rest.front() == ' '))
      Rest.remove_prefix(1);
    *Date = std::string(Rest);
  }
  return Path;
}

// diff -ruN gives absent files an epoch date (shown in UTC or in the local time zone).
bool isEpochDate(std::string_view Date) {
  return startsWith(Date, "1970-01-01") || startsWith(Date, "1969-12-31") ||
         (Date.find("1970") != std::string_view::npos &&
          Date.find("Jan  1") != std::string_view::npos);
}

bool parseNumber(std::string_view &S, unsigned &Out) {
  size_t I = 0;
  uint64_t V = 0;
  while (I < S.size() && std::isdigit(static_cast<unsigned char>(S[I])) && V <= 1'000'000'000)
    V = V * 10 + (S[I++] - '0');
  if (I == 0 || V > 1'000'000'000)
    return false;
  Out = static_cast<unsigned>(V);
  S.remove_prefix(I);
  return true;
}

bool consume(std::string_view &S, std::string_view Prefix) {
  if (!startsWith(S, Prefix))
    return false;
  S.remove_prefix(Prefix.size());
  return true;
}

// "-Start[,Count]" / "+Start[,Count]"; an omitted count is 1.
bool parseRange(std::string_view &S, char Sign, unsigned &Start, unsigned &Count) {
  if (!consume(S, std::string_view(&Sign, 1)) || !parseNumber(S, Start))
    return false;
  Count = 1;
  if (consume(S, ","))
    return parseNumber(S, Count);
  return true;
}

std::string plural(unsigned N, std::string_view What) {
  return std::to_string(N) + " more " + std::string(What) + (N == 1 ? " line" : " lines");
}

bool isHunkLine(std::string_view L) {
  return L.empty() || L == "\r" || L[0] == ' ' || L[0] == '-' || L[0] == '+' || L[0] == '\\';
}

class Parser {
public:
  Parser(std::string_view Text, std::string Name) {
    P.Name = std::move(Name);
    while (!Text.empty()) {
      size_t NL = Text.find('\n');
      if (NL == std::string_view::npos)
        NL = Text.size();
      Lines.push_back(Text.substr(0, NL));
      Text.remove_prefix(NL < Text.size() ? NL + 1 : NL);
    }
  }

  Patch run() {
    // A "@@" line after a file's hunks and some other text is a hunk that lost its file header;
    // before the first diff of a commit it is just message text.
    bool AfterDiff = false;
    while (I < Lines.size()) {
      std::string_view L = trimCR(Lines[I]);
      if (startsWith(L, "diff --git ")) {
        parseGitFile();
        AfterDiff = true;
      } else if (startsWith(L, "--- ") && I + 1 < Lines.size() &&
                 startsWith(Lines[I + 1], "+++ ")) {
        parsePlainFile();
        AfterDiff = true;
      } else if (parseBinaryFilesLine(L, /*Git=*/nullptr)) {
        ++I;
        AfterDiff = true;
      } else if (AfterDiff && startsWith(L, "@@")) {
        fail(I, "hunk header '" + std::string(L) + "' has no file header before it");
      } else {
        if (isCommitStart(L) || L == "-- ")
          AfterDiff = false;
        ++I;
      }
    }
    if (P.Files.empty())
      throw Error(P.Name + ": no file changes found (not a unified diff?)");
    return std::move(P);
  }

private:
  Patch P;
  std::vector<std::string_view> Lines;
  size_t I = 0; // current line, 0-based

  [[noreturn]] void fail(size_t Line, const std::string &What) const {
    throw Error(P.Name + ":" + std::to_string(Line + 1) + ": " + What);
  }

  std::string_view line(size_t K) const { return trimCR(Lines[K]); }

  // "Binary files X and Y differ" (diff -r, and git without --binary). With Git set, it
  // belongs to that file; otherwise it is a file of its own.
  bool parseBinaryFilesLine(std::string_view L, FilePatch *Git) {
    if (!startsWith(L, "Binary files ") || L.size() < 20 || L.substr(L.size() - 7) != " differ")
      return false;
    if (Git) {
      Git->IsBinary = true;
      return true;
    }
    std::string_view Names = L.substr(13, L.size() - 13 - 7);
    size_t And = Names.find(" and ");
    if (And == std::string_view::npos)
      return false;
    FilePatch FP;
    FP.PatchLineNo = I + 1;
    FP.IsBinary = true;
    setPlainPaths(FP, std::string(Names.substr(0, And)), std::string(Names.substr(And + 5)));
    P.Files.push_back(std::move(FP));
    return true;
  }

  static std::string stripPrefix(std::string Path, std::string_view Prefix) {
    if (startsWith(Path, Prefix))
      Path.erase(0, Prefix.size());
    return Path;
  }

  // Paths of a non-git diff: /dev/null marks the absent side; a/ and b/ are stripped when
  // the present sides carry them.
  static void setPlainPaths(FilePatch &FP, const std::string &Old, const std::string &New) {
    bool OldNull = Old == "/dev/null", NewNull = New == "/dev/null";
    bool Strip = (OldNull || startsWith(Old, "a/")) && (NewNull || startsWith(New, "b/")) &&
                 !(OldNull && NewNull);
    FP.IsNew = OldNull;
    FP.IsDeleted = NewNull;
    FP.OldPath = OldNull ? "" : Strip ? stripPrefix(Old, "a/") : Old;
    FP.NewPath = NewNull ? "" : Strip ? stripPrefix(New, "b/") : New;
  }

  // "diff --git a/X b/Y": quoted names, or two equal halves, or split before " b/".
  static std::pair<std::string, std::string> gitNames(std::string_view S) {
    size_t End;
    if (startsWith(S, "\"")) {
      std::string Old = unquote(S, End);
      std::string_view Rest = S.substr(End);
      if (consume(Rest, " ")) {
        std::string New = startsWith(Rest, "\"") ? unquote(Rest, End) : std::string(Rest);
        return {Old, New};
      }
      return {Old, Old};
    }
    size_t Q = S.find(" \"");
    if (Q != std::string_view::npos)
      return {std::string(S.substr(0, Q)), unquote(S.substr(Q + 1), End)};
    if (S.size() % 2 == 1) {
      size_t Half = S.size() / 2;
      std::string_view A = S.substr(0, Half), B = S.substr(Half + 1);
      if (S[Half] == ' ' && A.size() >= 2 && B.size() >= 2 && A.substr(2) == B.substr(2))
        return {std::string(A), std::string(B)};
    }
    size_t Split = S.find(" b/");
    if (Split == std::string_view::npos)
      Split = S.find(' ');
    if (Split == std::string_view::npos)
      return {std::string(S), std::string(S)};
    return {std::string(S.substr(0, Split)), std::string(S.substr(Split + 1))};
  }

  void parseGitFile() {
    FilePatch FP;
    FP.PatchLineNo = I + 1;
    auto [RawOld, RawNew] = gitNames(line(I).substr(11));
    bool Strip = startsWith(RawOld, "a/") && startsWith(RawNew, "b/");
    FP.OldPath = Strip ? stripPrefix(RawOld, "a/") : RawOld;
    FP.NewPath = Strip ? stripPrefix(RawNew, "b/") : RawNew;
    ++I;
    for (; I < Lines.size(); ++I) {
      std::string_view L = line(I);
      std::string_view V = L;
      if (consume(V, "old mode ")) {
        FP.OldMode = V;
      } else if (consume(V, "new mode ")) {
        FP.NewMode = V;
      } else if (consume(V, "deleted file mode ")) {
        FP.IsDeleted = true;
        FP.OldMode = V;
      } else if (consume(V, "new file mode ")) {
        FP.IsNew = true;
        FP.NewMode = V;
      } else if (consume(V, "rename from ") || consume(V, "rename old ")) {
        FP.IsRename = true;
        FP.OldPath = pathField(V);
      } else if (consume(V, "rename to ") || consume(V, "rename new ")) {
        FP.IsRename = true;
        FP.NewPath = pathField(V);
      } else if (consume(V, "copy from ")) {
        FP.IsCopy = true;
        FP.OldPath = pathField(V);
      } else if (consume(V, "copy to ")) {
        FP.IsCopy = true;
        FP.NewPath = pathField(V);
      } else if (startsWith(L, "index ") || startsWith(L, "similarity index ") ||
                 startsWith(L, "dissimilarity index ")) {
        // Blob ids and rename scores say nothing the rest does not.
      } else if (parseBinaryFilesLine(L, &FP)) {
        ++I;
        break;
      } else if (L == "GIT binary patch") {
        // The base85 data that follows never starts like a header; the main loop skips it.
        FP.IsBinary = true;
        ++I;
        break;
      } else if (startsWith(L, "--- ")) {
        if (I + 1 == Lines.size() || !startsWith(Lines[I + 1], "+++ "))
          fail(I, "'" + std::string(L) + "' is not followed by a '+++' line");
        std::string Old = pathField(L.substr(4)), New = pathField(line(I + 1).substr(4));
        if (Old != "/dev/null")
          FP.OldPath = Strip ? stripPrefix(Old, "a/") : Old;
        if (New != "/dev/null")
          FP.NewPath = Strip ? stripPrefix(New, "b/") : New;
        I += 2;
        parseHunks(FP);
        break;
      } else {
        break;
      }
    }
    if (FP.IsNew)
      FP.OldPath.clear();
    if (FP.IsDeleted)
      FP.NewPath.clear();
    checkSides(FP);
    P.Files.push_back(std::move(FP));
  }

  void parsePlainFile() {
    FilePatch FP;
    // `diff -r` names the pair on a "diff -ruN a/x b/x" line first.
    FP.PatchLineNo = I > 0 && startsWith(line(I - 1), "diff ") ? I : I + 1;
    std::string OldDate, NewDate;
    std::string Old = pathField(line(I).substr(4), &OldDate);
    std::string New = pathField(line(I + 1).substr(4), &NewDate);
    setPlainPaths(FP, Old, New);
    I += 2;
    parseHunks(FP);
    if (FP.Hunks.size() == 1) {
      const Hunk &H = FP.Hunks.front();
      // diff -ruN shows an absent side as an empty file dated at the epoch.
      if (!FP.IsNew && !FP.IsDeleted && H.OldStart == 0 && H.OldCount == 0) {
        FP.IsNew = true;
        FP.OldPath.clear();
      } else if (!FP.IsNew && !FP.IsDeleted && H.NewStart == 0 && H.NewCount == 0 &&
                 isEpochDate(NewDate)) {
        FP.IsDeleted = true;
        FP.NewPath.clear();
      }
    }
    checkSides(FP);
    P.Files.push_back(std::move(FP));
  }

  // A new file has no old lines and a deleted one no new lines.
  void checkSides(const FilePatch &FP) const {
    for (const Hunk &H : FP.Hunks) {
      if (FP.IsNew && H.OldCount != 0)
        fail(H.PatchLineNo - 1,
             "hunk '" + H.Header + "' of new file '" + FP.NewPath + "' has old lines");
      if (FP.IsDeleted && H.NewCount != 0)
        fail(H.PatchLineNo - 1,
             "hunk '" + H.Header + "' of deleted file '" + FP.OldPath + "' has new lines");
    }
  }

  // The hunks after a "---"/"+++" pair: at least one, blank lines allowed between them.
  void parseHunks(FilePatch &FP) {
    if (I == Lines.size() || !startsWith(Lines[I], "@@"))
      fail(I - 1, "'" + std::string(line(I - 1)) + "' is not followed by a hunk");
    while (true) {
      FP.Hunks.push_back(parseHunk());
      // A hand-edited hunk whose header was not updated: its last lines would be dropped.
      if (I < Lines.size() && !Lines[I].empty() &&
          std::string_view("+- ").find(Lines[I][0]) != std::string_view::npos &&
          !startsWith(Lines[I], "--") && !startsWith(Lines[I], "++"))
        fail(I, "hunk '" + FP.Hunks.back().Header +
                    "' is followed by more hunk lines than its header counts");
      size_t K = I;
      while (K < Lines.size() && line(K).empty())
        ++K;
      if (K == Lines.size() || !startsWith(Lines[K], "@@"))
        return;
      I = K;
    }
  }

  Hunk parseHunk() {
    Hunk H;
    H.PatchLineNo = I + 1;
    std::string_view L = line(I);
    if (startsWith(L, "@@@"))
      fail(I, "combined diffs ('@@@' hunks of merges) are not supported");
    std::string_view S = L;
    bool Ok = consume(S, "@@ ") && parseRange(S, '-', H.OldStart, H.OldCount) && consume(S, " ") &&
              parseRange(S, '+', H.NewStart, H.NewCount) && consume(S, " @@") &&
              (S.empty() || S.front() == ' ' || S.front() == '\t') &&
              !(H.OldCount && !H.OldStart) && !(H.NewCount && !H.NewStart);
    if (!Ok)
      fail(I, "hunk header '" + std::string(L) + "' is malformed");
    H.Header = std::string(L.substr(0, L.size() - S.size()));
    ++I;

    unsigned OldLeft = H.OldCount, NewLeft = H.NewCount;
    char Last = 0;
    auto tooMany = [&](std::string_view Side) {
      fail(I, "hunk '" + H.Header + "' has more " + std::string(Side) +
                  " lines than its header counts");
    };
    while (OldLeft || NewLeft || (I < Lines.size() && startsWith(Lines[I], "\\"))) {
      if (I == Lines.size() || !isHunkLine(Lines[I])) {
        std::string Expected;
        if (OldLeft)
          Expected = plural(OldLeft, "old");
        if (NewLeft)
          Expected += (Expected.empty() ? "" : " and ") + plural(NewLeft, "new");
        fail(I == Lines.size() ? I - 1 : I, "hunk ends early: expected " + Expected);
      }
      std::string_view Raw = Lines[I];
      // An empty line is a context line whose lone space was stripped (by a mailer or editor).
      bool Emptied = Raw.empty() || Raw == "\r";
      char Kind = Emptied ? ' ' : Raw[0];
      if (Kind == '\\') {
        // "\ No newline at end of file" (the wording is localised) ends the previous line's side.
        if (!Last)
          fail(I, "'" + std::string(trimCR(Raw)) + "' does not follow a hunk line");
        if (Last != '+')
          H.OldNoNewlineAtEnd = true;
        if (Last != '-')
          H.NewNoNewlineAtEnd = true;
        Last = 0;
        ++I;
        continue;
      }
      bool Old = Kind != '+', New = Kind != '-';
      if ((Old && H.OldNoNewlineAtEnd) || (New && H.NewNoNewlineAtEnd))
        fail(I, "hunk line after '\\ No newline at end of file' on the same side");
      if (Old && !OldLeft)
        tooMany("old");
      if (New && !NewLeft)
        tooMany("new");
      OldLeft -= Old;
      NewLeft -= New;
      H.Lines.push_back({Kind, std::string(Emptied ? Raw : Raw.substr(1))});
      Last = Kind;
      ++I;
    }
    return H;
  }
};

} // namespace

Patch parsePatch(std::string_view Text, std::string Name) {
  return Parser(Text, std::move(Name)).run();
}

void stripComponents(Patch &P, unsigned N) {
  auto strip = [&](std::string &Path) {
    if (Path.empty())
      return;
    size_t Pos = 0;
    for (unsigned K = 0; K < N; ++K) {
      size_t Slash = Path.find('/', Pos);
      if (Slash == std::string::npos)
        throw Error(P.Name + ": cannot strip " + std::to_string(N) + " leading components from '" +
                    Path + "'");
      Pos = Slash + 1;
      while (Pos < Path.size() && Path[Pos] == '/')
        ++Pos;
    }
    Path.erase(0, Pos);
  };
  for (FilePatch &FP : P.Files) {
    strip(FP.OldPath);
    strip(FP.NewPath);
  }
}

} // namespace klp
