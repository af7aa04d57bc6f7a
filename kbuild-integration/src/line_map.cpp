// LineMap: line correspondence between an original and a patched text, built from hunks or from
// a libgit2 line diff of the two texts.
#include "klp/error.h"
#include "klp/patch.h"

#include <git2.h>

namespace klp {

LineMap LineMap::fromHunks(const std::vector<Hunk> &Hunks) {
  LineMap M;
  for (const Hunk &H : Hunks) {
    // A zero count means the hunk sits after line Start, i.e. before 0-based line Start.
    unsigned Old = H.OldCount ? H.OldStart - 1 : H.OldStart;
    unsigned New = H.NewCount ? H.NewStart - 1 : H.NewStart;
    Segment *Open = nullptr; // the block the current run of '-'/'+' lines extends
    for (const PatchLine &L : H.Lines) {
      if (L.Kind == ' ') {
        ++Old;
        ++New;
        Open = nullptr;
        continue;
      }
      if (!Open)
        Open = &M.Changed.emplace_back(Segment{Old, 0, New, 0});
      if (L.Kind == '-') {
        ++Open->OldLen;
        ++Old;
      } else {
        ++Open->NewLen;
        ++New;
      }
    }
  }
  return M;
}

std::vector<LineBlock> changedLineBlocks(const std::string &Original, const std::string &Patched) {
  static const int Init = git_libgit2_init(); // once per process; never shut down
  if (Init < 0)
    throw Error("libgit2 failed to initialise");
  git_diff_options Opts = GIT_DIFF_OPTIONS_INIT;
  Opts.context_lines = 0;
  Opts.interhunk_lines = 0;
  Opts.flags = GIT_DIFF_FORCE_TEXT; // NUL bytes must not turn the diff into "binary differs"
  std::vector<LineBlock> Blocks;
  // Without context every libgit2 hunk is one changed block.
  auto OnHunk = [](const git_diff_delta *, const git_diff_hunk *H, void *Payload) -> int {
    unsigned Old = H->old_lines ? H->old_start - 1 : H->old_start;
    unsigned New = H->new_lines ? H->new_start - 1 : H->new_start;
    static_cast<std::vector<LineBlock> *>(Payload)->push_back(LineBlock{
        Old, static_cast<unsigned>(H->old_lines), New, static_cast<unsigned>(H->new_lines)});
    return 0;
  };
  if (git_diff_buffers(Original.data(), Original.size(), nullptr, Patched.data(), Patched.size(),
                       nullptr, &Opts, nullptr, nullptr, OnHunk, nullptr, &Blocks) < 0) {
    const git_error *E = git_error_last();
    throw Error(std::string("line diff failed: ") + (E && E->message ? E->message : "libgit2"));
  }
  return Blocks;
}

LineMap LineMap::fromTexts(const std::string &Original, const std::string &Patched) {
  LineMap M;
  for (const LineBlock &B : changedLineBlocks(Original, Patched))
    M.Changed.push_back(Segment{B.OldStart, B.OldLen, B.NewStart, B.NewLen});
  return M;
}

unsigned LineMap::toPatched(unsigned OriginalLine) const {
  long Delta = 0;
  for (const Segment &S : Changed) {
    if (OriginalLine < S.OldStart)
      break;
    if (OriginalLine < S.OldStart + S.OldLen) {
      unsigned Into = OriginalLine - S.OldStart;
      return Into < S.NewLen ? S.NewStart + Into : S.NewStart + S.NewLen;
    }
    Delta += static_cast<long>(S.NewLen) - static_cast<long>(S.OldLen);
  }
  return static_cast<unsigned>(static_cast<long>(OriginalLine) + Delta);
}

unsigned LineMap::toOriginal(unsigned PatchedLine) const {
  long Delta = 0;
  for (const Segment &S : Changed) {
    if (PatchedLine < S.NewStart)
      break;
    if (PatchedLine < S.NewStart + S.NewLen) {
      unsigned Into = PatchedLine - S.NewStart;
      return Into < S.OldLen ? S.OldStart + Into : S.OldStart + S.OldLen;
    }
    Delta += static_cast<long>(S.OldLen) - static_cast<long>(S.NewLen);
  }
  return static_cast<unsigned>(static_cast<long>(PatchedLine) + Delta);
}

} // namespace klp
