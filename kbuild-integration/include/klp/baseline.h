// The baseline of an editing session: the original side the editor's buffers are compared
// with. Either a git revision (pinned to one commit at open), a pristine copy of the tree, or
// the files as last saved on disk.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace klp {

class Baseline {
public:
  enum class Kind { Git, Path, Disk };

  // Spec is one of
  //   "git:REV"  any revspec libgit2 understands (HEAD, a branch, a tag, a sha, HEAD~2), resolved
  //              once here to a commit (or a tree) in the repository containing TreeRoot, which
  //              may sit in a subdirectory of the work tree;
  //   "/PATH"    an absolute directory with the same layout as TreeRoot (a pristine copy);
  //   "disk"     the files as saved on disk (the patched side is then only unsaved buffers);
  //   ""         "git:HEAD" when TreeRoot is inside a git work tree whose HEAD has a commit,
  //              else "disk".
  // Throws klp::Error naming the spec and what is wrong (unknown form, revision not found, not
  // in a git repository, not a directory).
  static Baseline open(const std::string &TreeRoot, const std::string &Spec = "");

  Baseline(Baseline &&) noexcept;
  Baseline &operator=(Baseline &&) noexcept;
  ~Baseline();

  Kind kind() const;
  // The effective spec: "git:HEAD", "/srv/linux-pristine" or "disk" (never "").
  const std::string &spec() const;
  // For messages and hovers: "git:HEAD (3f2a1c9e)", "/srv/linux-pristine", "files on disk".
  std::string describe() const;

  // The baseline text of a tree-relative file; nullopt when the baseline has no such file (a
  // new file) or it is not a regular file. Git: the blob at the pinned revision, with the
  // repository's checkout filters applied (the text a checkout would write); a symlink is
  // followed inside the repository. Throws klp::Error for a path outside the tree and when a
  // file exists but cannot be read.
  std::optional<std::string> read(const std::string &RelPath) const;

  // Tree-relative paths (sorted) whose working-tree file differs from the baseline. Git: the
  // pinned tree against the work tree (modified, deleted, added including untracked files that
  // .gitignore does not exclude; submodules skipped), restricted to TreeRoot. Path and Disk:
  // empty, not computed; only the buffers and saved files the editor reports count as changed.
  std::vector<std::string> changedFiles() const;

  // Git: resolves REV again (after a commit or a checkout); returns true when the baseline moved
  // to another commit. Path and Disk: nothing to do, returns false. Throws klp::Error when REV
  // no longer resolves (the old pin is kept).
  bool refresh();

  // Thread safety: every const member and refresh() may be called concurrently from any number
  // of threads. The git objects are shared behind one mutex (a blob read holds it for the
  // lookup and the filter only); changedFiles() opens its own repository handle so a slow work
  // tree scan never blocks reads.

  struct Impl;

private:
  explicit Baseline(std::unique_ptr<Impl> I);
  std::unique_ptr<Impl> I;
};

} // namespace klp
