// The patch model: a unified-diff reader (git format and plain `diff -u`, several files, new,
// deleted and renamed files, "\ No newline at end of file") and an applier that produces
// in-memory patched copies. Nothing here writes a file: the kernel tree is only ever read.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace klp {

struct PatchLine {
  char Kind;        // ' ' context, '-' removed, '+' added
  std::string Text; // without the prefix and without the trailing newline
};

struct Hunk {
  unsigned OldStart = 0, OldCount = 0; // as in "@@ -OldStart,OldCount +NewStart,NewCount @@"
  unsigned NewStart = 0, NewCount = 0;
  std::vector<PatchLine> Lines;
  bool OldNoNewlineAtEnd = false; // "\ No newline at end of file" after the last old line
  bool NewNoNewlineAtEnd = false; // ... after the last new line
  unsigned PatchLineNo = 0;       // 1-based line of the "@@" header in the patch text
  std::string Header; // "@@ -1,3 +1,4 @@" as written, without the section heading after it
};

struct FilePatch {
  std::string OldPath; // tree-relative, prefix (a/) stripped; empty when the file is new
  std::string NewPath; // tree-relative, prefix (b/) stripped; empty when the file is deleted
  bool IsNew = false, IsDeleted = false, IsRename = false, IsBinary = false;
  bool IsCopy = false;          // git "copy from/to": NewPath is created from OldPath, which stays
  std::string OldMode, NewMode; // git file modes ("100644") when the patch states them
  std::vector<Hunk> Hunks;
  unsigned PatchLineNo = 0; // 1-based line where this file's header starts
  // The path the change is about: NewPath, or OldPath for a deletion.
  const std::string &path() const { return IsDeleted ? OldPath : NewPath; }
};

struct Patch {
  std::string Name; // file name or "<stdin>", used in every message
  std::vector<FilePatch> Files;
};

// Parses a unified diff. Throws klp::Error "NAME:LINE: what is wrong" on malformed input
// (bad hunk header, hunk line counts that do not match its body, no file headers at all).
// Paths: a leading "a/" / "b/" is stripped when both sides carry it (git style); plain
// `diff -u` paths are kept as written (use stripComponents to adjust).
// Git format (with extended headers, binary markers, mode-only changes), plain `diff -u` and
// `diff -ruN` (a single "@@ -0,0 +1,N @@" hunk is a new file; "@@ -1,N +0,0 @@" with an epoch
// date or /dev/null on the new side is a deletion). Mail headers, commit messages, diffstats,
// "Only in" lines and "-- " signatures around the diffs are skipped. Hunk lines keep a '\r'
// that precedes the newline, so CRLF content survives.
Patch parsePatch(std::string_view Text, std::string Name);

// Removes N leading path components from every OldPath/NewPath of P (like patch -pN).
// Throws klp::Error "NAME: cannot strip N leading components from 'PATH'" when a path has
// too few.
void stripComponents(Patch &P, unsigned N);

// One changed block of a line diff (0-based lines): old lines [OldStart, OldStart + OldLen) are
// replaced by new lines [NewStart, NewStart + NewLen). A zero length is a pure insertion
// (removal); its start is then the line before which the other side's lines go.
struct LineBlock {
  unsigned OldStart = 0, OldLen = 0, NewStart = 0, NewLen = 0;
  bool operator==(const LineBlock &) const = default;
};

// The changed blocks of a line diff of two texts (libgit2, no context lines), in order: the
// blocks LineMap::fromTexts maps along, and the '-'/'+' runs a patch between them would hold.
// Throws klp::Error when libgit2 fails.
std::vector<LineBlock> changedLineBlocks(const std::string &Original, const std::string &Patched);

// Maps lines between the original and the patched text of one file (0-based lines).
class LineMap {
public:
  LineMap() = default;
  // Uses each hunk's OldStart/NewStart as its position; every run of '-'/'+' lines between
  // context lines is one changed block.
  static LineMap fromHunks(const std::vector<Hunk> &Hunks);
  // Diffs two texts line by line (libgit2, no context) and maps along the changed blocks.
  static LineMap fromTexts(const std::string &Original, const std::string &Patched);
  // Lines outside changed blocks map one to one (shifted). Inside a changed block the i-th old
  // line maps to the i-th new line of the block; lines beyond the other side's length (all of
  // them for a pure removal/insertion) map to the first line after the block.
  unsigned toPatched(unsigned OriginalLine) const;
  unsigned toOriginal(unsigned PatchedLine) const;
  bool isIdentity() const { return Changed.empty(); }

private:
  struct Segment {
    unsigned OldStart, OldLen, NewStart, NewLen;
  };                            // one changed block
  std::vector<Segment> Changed; // sorted, non-overlapping
};

// One file of a patch, applied: the original text (nullopt for a new file) and the patched
// text (nullopt for a deleted file).
struct FileChange {
  std::string Path;    // tree-relative path of the patched file
  std::string OldPath; // differs from Path for renames and copies (FilePatch::IsCopy)
  std::optional<std::string> Original;
  std::optional<std::string> Patched;
  const FilePatch *Source = nullptr; // the patch entry it came from (null for text diffs)
  LineMap Lines; // Original <-> Patched lines (from the hunks where they actually applied)
};

// Reads a tree-relative file; nullopt when it does not exist.
using FileReader = std::function<std::optional<std::string>(const std::string &RelPath)>;

// Applies one file's hunks to Original. Hunks must apply at their stated line or else at the
// nearest offset where all their lines match (like patch(1) without fuzz); throws klp::Error
// naming the patch, the file and the hunk otherwise
// ("PATCH: FILE: hunk 2 (@@ -10,7 +10,8 @@) does not apply", hunks counted from 1).
// A hunk with less leading than trailing context must match at the start of the file, one with
// less trailing context at its end; a hunk's leading context may overlap the previous hunk's
// trailing context (all as patch(1) does). "\ No newline at end of file" must agree with the
// file. Line endings: when the file is consistently CRLF and the patch lines LF (or the
// reverse), the patch lines are converted to the file's style; otherwise lines must match byte
// for byte. Context lines are copied from the file.
std::string applyFilePatch(const std::string &Original, const FilePatch &FP,
                           std::string_view PatchName);
// The same, also returning the line map of the hunks at the positions they applied at (which
// differ from the stated ones when a hunk applied with an offset).
std::string applyFilePatch(const std::string &Original, const FilePatch &FP,
                           std::string_view PatchName, LineMap &Map);

// Applies every file of P, reading originals through Read. Throws klp::Error when a file to
// modify is missing ("PATCH: FILE: not found in the tree"), a new file already exists, or a
// hunk does not apply. A new file may replace an existing empty one (plain diffs cannot tell
// the two apart). Renames and copies read OldPath and fail when NewPath exists. A path the patch
// changes twice (a mailbox of several commits) yields one FileChange with the combined result.
// Binary files cannot be applied and yield no FileChange (they stay visible in P.Files).
std::vector<FileChange> applyPatch(const Patch &P, const FileReader &Read);

} // namespace klp
