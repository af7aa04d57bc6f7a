// The patch applier: exact context matching at the stated line or the nearest offset (patch(1)
// with fuzz 0), in memory only.
#include "klp/error.h"
#include "klp/patch.h"

#include <algorithm>
#include <map>
#include <utility>

namespace klp {
namespace {

// A file as lines without '\n' (a '\r' before it stays in the line).
struct SplitText {
  std::vector<std::string> Lines;
  bool FinalNewline = true; // the last line ends with '\n' (vacuously true when empty)
};

SplitText split(const std::string &S) {
  SplitText T;
  size_t Pos = 0;
  while (Pos < S.size()) {
    size_t NL = S.find('\n', Pos);
    if (NL == std::string::npos) {
      T.Lines.push_back(S.substr(Pos));
      T.FinalNewline = false;
      break;
    }
    T.Lines.push_back(S.substr(Pos, NL - Pos));
    Pos = NL + 1;
  }
  return T;
}

std::string join(const SplitText &T) {
  std::string S;
  for (size_t K = 0; K < T.Lines.size(); ++K) {
    S += T.Lines[K];
    if (K + 1 < T.Lines.size() || T.FinalNewline)
      S += '\n';
  }
  return S;
}

enum class Eol { None, LF, CRLF, Mixed };

Eol combine(Eol A, bool CR) {
  Eol B = CR ? Eol::CRLF : Eol::LF;
  return A == Eol::None || A == B ? B : Eol::Mixed;
}

bool endsWithCR(const std::string &S) { return !S.empty() && S.back() == '\r'; }

Eol fileEol(const SplitText &T) {
  Eol E = Eol::None;
  size_t Terminated = T.Lines.size() - (T.FinalNewline ? 0 : 1);
  for (size_t K = 0; K < Terminated; ++K)
    E = combine(E, endsWithCR(T.Lines[K]));
  return E;
}

// Index of the hunk line "\ No newline at end of file" refers to on one side, or -1.
long noNewlineLine(const Hunk &H, char OtherSide, bool Marked) {
  if (!Marked)
    return -1;
  for (long K = static_cast<long>(H.Lines.size()) - 1; K >= 0; --K)
    if (H.Lines[K].Kind != OtherSide)
      return K;
  return -1;
}

Eol patchEol(const FilePatch &FP) {
  Eol E = Eol::None;
  for (const Hunk &H : FP.Hunks) {
    long OldEnd = noNewlineLine(H, '+', H.OldNoNewlineAtEnd);
    long NewEnd = noNewlineLine(H, '-', H.NewNoNewlineAtEnd);
    for (long K = 0; K < static_cast<long>(H.Lines.size()); ++K)
      if (K != OldEnd && K != NewEnd)
        E = combine(E, endsWithCR(H.Lines[K].Text));
  }
  return E;
}

// A hunk's lines in the file's line-ending style, and how far its context reaches.
struct PreparedHunk {
  std::vector<std::string> Old;    // context and removed lines
  std::vector<std::string> Added;  // added lines, in order
  unsigned Prefix = 0, Suffix = 0; // leading and trailing context lines
  bool HasChanges = false;
};

PreparedHunk prepare(const Hunk &H, Eol Convert) {
  PreparedHunk PH;
  long OldEnd = noNewlineLine(H, '+', H.OldNoNewlineAtEnd);
  long NewEnd = noNewlineLine(H, '-', H.NewNoNewlineAtEnd);
  for (long K = 0; K < static_cast<long>(H.Lines.size()); ++K) {
    const PatchLine &L = H.Lines[K];
    std::string Text = L.Text;
    if (Convert == Eol::LF && endsWithCR(Text))
      Text.pop_back();
    // The last line of a side without a newline has no '\r' either.
    if (Convert == Eol::CRLF && K != OldEnd && K != NewEnd)
      Text += '\r';
    if (L.Kind == '+')
      PH.Added.push_back(std::move(Text));
    else
      PH.Old.push_back(std::move(Text));
    if (L.Kind != ' ')
      PH.HasChanges = true;
    else if (!PH.HasChanges)
      ++PH.Prefix;
  }
  for (auto It = H.Lines.rbegin(); It != H.Lines.rend() && It->Kind == ' '; ++It)
    ++PH.Suffix;
  return PH;
}

class Applier {
public:
  Applier(const std::string &Original, const FilePatch &FP, std::string_view PatchName)
      : FP(FP), PatchName(PatchName), Orig(split(Original)) {
    Eol FileStyle = fileEol(Orig), PatchStyle = patchEol(FP);
    bool Clean = FileStyle != Eol::Mixed && PatchStyle != Eol::Mixed && FileStyle != Eol::None &&
                 PatchStyle != Eol::None;
    Convert = Clean && FileStyle != PatchStyle ? FileStyle : Eol::None;
  }

  std::string run(LineMap *Map) {
    std::vector<Hunk> Applied;
    size_t Cursor = 0;       // first original line not yet copied
    unsigned PrevSuffix = 0; // trailing context of the previous hunk
    long Offset = 0;         // where the previous hunk applied relative to its stated line
    bool TouchedEnd = false;
    for (size_t N = 0; N < FP.Hunks.size(); ++N) {
      const Hunk &H = FP.Hunks[N];
      PreparedHunk PH = prepare(H, Convert);
      long Stated = H.OldCount ? static_cast<long>(H.OldStart) - 1 : H.OldStart;
      // Leading context may reuse the previous hunk's trailing context (patch(1) allows it:
      // hunks of a file that lost lines between them come closer).
      size_t Overlap = std::min<size_t>(PrevSuffix, PH.Prefix);
      std::optional<size_t> Pos = locate(H, PH, Stated + Offset, Cursor - Overlap);
      if (!Pos)
        throw Error(std::string(PatchName) + ": " + FP.path() + ": hunk " + std::to_string(N + 1) +
                    " (" + H.Header + ") does not apply");
      Offset = static_cast<long>(*Pos) - Stated;
      if (*Pos > Cursor)
        Out.Lines.insert(Out.Lines.end(), Orig.Lines.begin() + Cursor, Orig.Lines.begin() + *Pos);
      size_t Reused = *Pos < Cursor ? Cursor - *Pos : 0; // context lines already copied
      size_t NewPos = Out.Lines.size() - Reused;
      size_t OldK = *Pos, AddedK = 0;
      for (const PatchLine &L : H.Lines) {
        if (L.Kind == ' ' && OldK >= Cursor)
          Out.Lines.push_back(Orig.Lines[OldK]); // the file's own text, line ending included
        if (L.Kind == '+')
          Out.Lines.push_back(PH.Added[AddedK++]);
        if (L.Kind != '+')
          ++OldK;
      }
      PrevSuffix = PH.Suffix;
      Cursor = OldK;
      if (Cursor == Orig.Lines.size()) {
        TouchedEnd = true;
        Out.FinalNewline = !H.NewNoNewlineAtEnd;
      }
      if (Map) {
        Hunk &A = Applied.emplace_back(H);
        A.OldStart = static_cast<unsigned>(H.OldCount ? *Pos + 1 : *Pos);
        A.NewStart = static_cast<unsigned>(H.NewCount ? NewPos + 1 : NewPos);
      }
    }
    Out.Lines.insert(Out.Lines.end(), Orig.Lines.begin() + Cursor, Orig.Lines.end());
    if (!TouchedEnd)
      Out.FinalNewline = Orig.FinalNewline;
    if (Map)
      *Map = LineMap::fromHunks(Applied);
    return join(Out);
  }

private:
  const FilePatch &FP;
  std::string_view PatchName;
  SplitText Orig, Out;
  Eol Convert = Eol::None; // the style patch lines are converted to, None to keep them

  bool matches(const Hunk &H, const PreparedHunk &PH, size_t Pos) const {
    size_t End = Pos + PH.Old.size();
    bool AtEnd = End == Orig.Lines.size();
    // "\ No newline at end of file" must agree with the file, as patch(1) and git apply want:
    // a hunk that reaches the end of a file without a final newline says so, and no other.
    bool NoNewlineAtEnd = AtEnd && !Orig.FinalNewline && !Orig.Lines.empty();
    if (H.OldNoNewlineAtEnd != NoNewlineAtEnd || (H.NewNoNewlineAtEnd && !AtEnd))
      return false;
    for (size_t K = 0; K < PH.Old.size(); ++K)
      if (Orig.Lines[Pos + K] != PH.Old[K])
        return false;
    return true;
  }

  // Where the hunk's old lines are, at or after Min: the stated place, else the nearest one
  // (later before earlier at equal distance, as patch(1)). With less context on one side the
  // hunk sits at that end of the file (patch(1) with fuzz 0 does the same).
  std::optional<size_t> locate(const Hunk &H, const PreparedHunk &PH, long Guess,
                               size_t Min) const {
    size_t Len = PH.Old.size(), Lines = Orig.Lines.size();
    if (Len > Lines)
      return std::nullopt;
    long Max = static_cast<long>(Lines - Len);
    auto tryAt = [&](long Pos) -> std::optional<size_t> {
      if (Pos < static_cast<long>(Min) || Pos > Max || !matches(H, PH, Pos))
        return std::nullopt;
      return static_cast<size_t>(Pos);
    };
    if (PH.HasChanges && PH.Prefix < PH.Suffix)
      return tryAt(0);
    if (PH.HasChanges && PH.Suffix < PH.Prefix)
      return tryAt(Max);
    if (Len == 0) // nothing to search by
      return tryAt(Guess);
    for (long D = 0; Guess + D <= Max || Guess - D >= static_cast<long>(Min); ++D) {
      if (auto Pos = tryAt(Guess + D))
        return Pos;
      if (auto Pos = D ? tryAt(Guess - D) : std::nullopt)
        return Pos;
    }
    return std::nullopt;
  }
};

} // namespace

std::string applyFilePatch(const std::string &Original, const FilePatch &FP,
                           std::string_view PatchName) {
  return Applier(Original, FP, PatchName).run(nullptr);
}

std::string applyFilePatch(const std::string &Original, const FilePatch &FP,
                           std::string_view PatchName, LineMap &Map) {
  return Applier(Original, FP, PatchName).run(&Map);
}

std::vector<FileChange> applyPatch(const Patch &P, const FileReader &Read) {
  std::vector<FileChange> Changes;
  std::vector<bool> Dropped;
  std::map<std::string, size_t> ChangeOf; // path -> the change that produced its content
  std::map<std::string, std::optional<std::string>> State; // contents after earlier entries
  auto current = [&](const std::string &Path) {
    auto It = State.find(Path);
    return It != State.end() ? It->second : Read(Path);
  };
  auto fail = [&](const std::string &Path, const std::string &What) {
    throw Error(P.Name + ": " + Path + ": " + What);
  };

  for (const FilePatch &FP : P.Files) {
    if (FP.IsBinary)
      continue;
    FileChange C{FP.path(), FP.path(), std::nullopt, std::nullopt, &FP, LineMap()};
    if (FP.IsNew) {
      std::optional<std::string> Existing = current(C.Path);
      if (Existing && !Existing->empty())
        fail(C.Path, "new file already exists in the tree");
      C.Original = Existing;
      C.Patched = applyFilePatch("", FP, P.Name, C.Lines);
    } else if (FP.IsDeleted) {
      C.Original = current(C.Path);
      if (!C.Original)
        fail(C.Path, "not found in the tree");
      if (!applyFilePatch(*C.Original, FP, P.Name, C.Lines).empty())
        fail(C.Path, "file to delete has lines the patch does not remove");
    } else if (FP.IsRename || FP.IsCopy) {
      C.OldPath = FP.OldPath;
      C.Original = current(C.OldPath);
      if (!C.Original)
        fail(C.OldPath, "not found in the tree");
      if (current(C.Path))
        fail(C.Path,
             std::string(FP.IsRename ? "rename" : "copy") + " target already exists in the tree");
      C.Patched = applyFilePatch(*C.Original, FP, P.Name, C.Lines);
    } else {
      // Plain diffs may name different files ("x.c.orig" and "x.c"): patch whichever exists.
      C.Original = current(C.Path);
      if (!C.Original && FP.OldPath != FP.NewPath) {
        C.Path = FP.OldPath;
        C.Original = current(C.Path);
      }
      if (!C.Original)
        fail(FP.NewPath, "not found in the tree");
      C.OldPath = C.Path;
      C.Patched = applyFilePatch(*C.Original, FP, P.Name, C.Lines);
    }

    if (FP.IsRename)
      State[C.OldPath] = std::nullopt;
    State[C.Path] = C.Patched;
    // A path an earlier entry already changed: one change from the tree's text to the end.
    auto Earlier = ChangeOf.find(FP.IsRename ? C.OldPath : C.Path);
    if (Earlier != ChangeOf.end()) {
      FileChange &Prev = Changes[Earlier->second];
      C.Original = Prev.Original;
      C.OldPath = Prev.OldPath;
      C.Lines = C.Original && C.Patched ? LineMap::fromTexts(*C.Original, *C.Patched) : LineMap();
      Dropped[Earlier->second] = true;
      ChangeOf.erase(Earlier);
    }
    if (!C.Original && !C.Patched) // created, then deleted again
      continue;
    ChangeOf[C.Path] = Changes.size();
    Changes.push_back(std::move(C));
    Dropped.push_back(false);
  }

  std::vector<FileChange> Result;
  for (size_t K = 0; K < Changes.size(); ++K)
    if (!Dropped[K])
      Result.push_back(std::move(Changes[K]));
  return Result;
}

} // namespace klp
