// Baseline: the original side of an editing session, read from a git revision (libgit2), a
// pristine directory, or the files on disk.
#include "klp/baseline.h"
#include "klp/error.h"
#include "path_util.h"

#include <git2.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace klp {
namespace {

template <auto Free> struct GitFree {
  template <typename T> void operator()(T *P) const { Free(P); }
};
template <typename T, auto Free> using GitPtr = std::unique_ptr<T, GitFree<Free>>;
using RepoPtr = GitPtr<git_repository, git_repository_free>;
using TreePtr = GitPtr<git_tree, git_tree_free>;
using ObjectPtr = GitPtr<git_object, git_object_free>;
using EntryPtr = GitPtr<git_tree_entry, git_tree_entry_free>;
using BlobPtr = GitPtr<git_blob, git_blob_free>;
using DiffPtr = GitPtr<git_diff, git_diff_free>;

void initLibgit2() {
  static const int Init = git_libgit2_init(); // once per process; never shut down
  if (Init < 0)
    throw Error("libgit2 failed to initialise");
}

std::string gitMessage() {
  const git_error *E = git_error_last();
  return E && E->message ? E->message : "libgit2 error";
}

// "baseline 'git:HEAD'" (or "baseline" for the default spec): how every message starts.
std::string head(const std::string &Spec) {
  return Spec.empty() ? "baseline" : "baseline '" + Spec + "'";
}

bool isDirectory(const std::string &Path) {
  struct stat St;
  return ::stat(Path.c_str(), &St) == 0 && S_ISDIR(St.st_mode);
}

// The contents of a regular file (symlinks followed); nullopt when there is none at Path.
std::optional<std::string> readRegularFile(const std::string &Path, const std::string &Spec) {
  int Fd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
      return std::nullopt;
    throw Error(head(Spec) + ": cannot read " + Path + ": " + std::strerror(errno));
  }
  struct stat St;
  if (::fstat(Fd, &St) != 0 || !S_ISREG(St.st_mode)) {
    ::close(Fd);
    return std::nullopt;
  }
  std::string Text;
  char Buf[65536];
  for (;;) {
    ssize_t N = ::read(Fd, Buf, sizeof Buf);
    if (N < 0 && errno == EINTR)
      continue;
    if (N < 0) {
      int Err = errno;
      ::close(Fd);
      throw Error(head(Spec) + ": cannot read " + Path + ": " + std::strerror(Err));
    }
    if (N == 0)
      break;
    Text.append(Buf, static_cast<size_t>(N));
  }
  ::close(Fd);
  return Text;
}

// Opens the repository containing Dir (discovery upwards). Returns the libgit2 error code.
int openRepository(RepoPtr &Out, const std::string &Dir) {
  git_repository *R = nullptr;
  int Err = git_repository_open_ext(&R, Dir.c_str(), 0, nullptr);
  Out.reset(R);
  return Err;
}

// A change staged and then reverted in the work tree comes out of the index-based diff as
// "modified" although the file equals the baseline; the file's hash (checkout filters applied)
// settles it.
bool sameAsWorkTree(git_repository *R, const git_diff_delta &Delta) {
  if (Delta.old_file.mode != Delta.new_file.mode ||
      (Delta.old_file.mode != GIT_FILEMODE_BLOB &&
       Delta.old_file.mode != GIT_FILEMODE_BLOB_EXECUTABLE) ||
      !(Delta.old_file.flags & GIT_DIFF_FLAG_VALID_ID))
    return false;
  git_oid Work;
  if (Delta.new_file.flags & GIT_DIFF_FLAG_VALID_ID)
    git_oid_cpy(&Work, &Delta.new_file.id);
  else if (git_repository_hashfile(&Work, R, Delta.new_file.path, GIT_OBJECT_BLOB, nullptr) < 0)
    return false;
  return git_oid_equal(&Work, &Delta.old_file.id);
}

std::string withoutTrailingSlashes(std::string P) {
  while (P.size() > 1 && P.back() == '/')
    P.pop_back();
  return P;
}

} // namespace

struct Baseline::Impl {
  Kind K = Kind::Disk;
  std::string Spec;     // effective: "git:REV", "/PATH" or "disk"
  std::string TreeRoot; // canonical, absolute
  std::string Dir;      // Path: the pristine directory; Disk: TreeRoot

  // Git only. The shared repository handle and the pinned tree are guarded by M.
  std::string Rev;
  std::string WorkDir; // canonical work tree of the repository, no trailing slash
  std::string Prefix;  // repo-relative directory of TreeRoot with a trailing '/', or ""
  mutable std::mutex M;
  RepoPtr Repo;
  TreePtr Tree;      // the pinned tree
  git_oid ShownId{}; // the pinned commit (or the tree when REV names a tree)

  std::string fail(const std::string &What) const { return head(Spec) + ": " + What; }

  // Resolves Rev in Repo; throws without touching the pin when it does not name a commit/tree.
  std::pair<TreePtr, git_oid> resolve() const {
    git_object *Obj = nullptr;
    int Err = git_revparse_single(&Obj, Repo.get(), Rev.c_str());
    ObjectPtr Owned(Obj);
    if (Err == GIT_ENOTFOUND || Err == GIT_EUNBORNBRANCH || Err == GIT_EINVALIDSPEC)
      throw Error(fail("revision not found in " + WorkDir));
    if (Err == GIT_EAMBIGUOUS)
      throw Error(fail("revision is ambiguous in " + WorkDir));
    if (Err < 0)
      throw Error(fail("cannot resolve the revision in " + WorkDir + ": " + gitMessage()));
    git_object *Peeled = nullptr;
    git_oid Shown;
    if (git_object_peel(&Peeled, Obj, GIT_OBJECT_COMMIT) == 0) {
      git_oid_cpy(&Shown, git_object_id(Peeled));
      git_object_free(Peeled);
    } else {
      git_oid_cpy(&Shown, git_object_id(Obj));
    }
    if (git_object_peel(&Peeled, Obj, GIT_OBJECT_TREE) < 0)
      throw Error(fail("not a commit or a tree in " + WorkDir));
    return {TreePtr(reinterpret_cast<git_tree *>(Peeled)), Shown};
  }

  std::optional<std::string> readGit(const std::string &Rel) const {
    std::lock_guard<std::mutex> Lock(M);
    std::string Path = Prefix + Rel;
    // A symlink is followed inside the repository; a few hops at most (loops end here).
    for (int Hop = 0; Hop < 8; ++Hop) {
      git_tree_entry *E = nullptr;
      int Err = git_tree_entry_bypath(&E, Tree.get(), Path.c_str());
      EntryPtr Entry(E);
      if (Err == GIT_ENOTFOUND)
        return std::nullopt;
      if (Err < 0)
        throw Error(fail("cannot read " + Rel + ": " + gitMessage()));
      git_filemode_t Mode = git_tree_entry_filemode(E);
      if (Mode != GIT_FILEMODE_BLOB && Mode != GIT_FILEMODE_BLOB_EXECUTABLE &&
          Mode != GIT_FILEMODE_LINK)
        return std::nullopt; // a directory or a submodule
      git_blob *B = nullptr;
      if (git_blob_lookup(&B, Repo.get(), git_tree_entry_id(E)) < 0)
        throw Error(fail("cannot read " + Rel + ": " + gitMessage()));
      BlobPtr Blob(B);
      if (Mode == GIT_FILEMODE_LINK) {
        std::string Target(static_cast<const char *>(git_blob_rawcontent(B)),
                           static_cast<size_t>(git_blob_rawsize(B)));
        if (Target.empty() || Target[0] == '/')
          return std::nullopt;
        size_t Slash = Path.rfind('/');
        Path = normalizeRelPath((Slash == std::string::npos ? "" : Path.substr(0, Slash + 1)) +
                                Target);
        if (Path == "." || Path == ".." || Path.rfind("../", 0) == 0)
          return std::nullopt; // outside the repository
        continue;
      }
      // The text a checkout would write (end-of-line and other filters of .gitattributes).
      git_buf Out = GIT_BUF_INIT;
      git_blob_filter_options Opts = GIT_BLOB_FILTER_OPTIONS_INIT;
      if (git_blob_filter(&Out, B, Path.c_str(), &Opts) < 0)
        throw Error(fail("cannot read " + Rel + ": " + gitMessage()));
      std::string Text(Out.ptr ? Out.ptr : "", Out.size);
      git_buf_dispose(&Out);
      return Text;
    }
    return std::nullopt;
  }

  std::vector<std::string> changedGit() const {
    git_oid TreeId;
    {
      std::lock_guard<std::mutex> Lock(M);
      git_oid_cpy(&TreeId, git_tree_id(Tree.get()));
    }
    // A private handle: the work tree scan may take seconds and must not block reads.
    RepoPtr R;
    if (openRepository(R, TreeRoot) < 0)
      throw Error(fail("cannot open the repository of " + TreeRoot + ": " + gitMessage()));
    git_tree *T = nullptr;
    if (git_tree_lookup(&T, R.get(), &TreeId) < 0)
      throw Error(fail("cannot look up the tree: " + gitMessage()));
    TreePtr Base(T);
    git_diff_options Opts = GIT_DIFF_OPTIONS_INIT;
    Opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
                 GIT_DIFF_DISABLE_PATHSPEC_MATCH;
    Opts.ignore_submodules = GIT_SUBMODULE_IGNORE_ALL;
    std::string Sub = Prefix.empty() ? "" : Prefix.substr(0, Prefix.size() - 1);
    char *SubPtr = Sub.data();
    if (!Sub.empty()) {
      Opts.pathspec.strings = &SubPtr;
      Opts.pathspec.count = 1;
    }
    // Tree to work tree through the index, as `git diff REV` (the index's stat data spares
    // hashing unchanged files). Nothing is written, not even the index.
    git_diff *D = nullptr;
    if (git_diff_tree_to_workdir_with_index(&D, R.get(), Base.get(), &Opts) < 0)
      throw Error(fail("cannot compare with the work tree " + WorkDir + ": " + gitMessage()));
    DiffPtr Diff(D);
    std::vector<std::string> Changed;
    for (size_t I = 0, N = git_diff_num_deltas(D); I < N; ++I) {
      const git_diff_delta *Delta = git_diff_get_delta(D, I);
      if (Delta->status == GIT_DELTA_UNMODIFIED || Delta->status == GIT_DELTA_IGNORED)
        continue;
      if (Delta->status == GIT_DELTA_MODIFIED && sameAsWorkTree(R.get(), *Delta))
        continue;
      const char *P =
          Delta->status == GIT_DELTA_DELETED ? Delta->old_file.path : Delta->new_file.path;
      std::string Path = P ? P : "";
      if (Path.compare(0, Prefix.size(), Prefix) != 0)
        continue;
      Changed.push_back(Path.substr(Prefix.size()));
    }
    std::sort(Changed.begin(), Changed.end());
    Changed.erase(std::unique(Changed.begin(), Changed.end()), Changed.end());
    return Changed;
  }

  // Opens the repository for "git:REV" and pins REV. With Default, returns false instead of
  // throwing when TreeRoot is not a tracked part of a git work tree with a commit.
  bool openGit(bool Default) {
    int Err = openRepository(Repo, TreeRoot);
    if (Err == GIT_ENOTFOUND || (Err == 0 && git_repository_is_bare(Repo.get()))) {
      if (Default)
        return false;
      throw Error(fail(TreeRoot + " is not in a git repository"));
    }
    if (Err < 0)
      throw Error(fail("cannot open the git repository of " + TreeRoot + ": " + gitMessage()));
    std::error_code Ec;
    fs::path Work = fs::canonical(git_repository_workdir(Repo.get()), Ec);
    if (Ec)
      throw Error(fail("cannot resolve the work tree of " + TreeRoot + ": " + Ec.message()));
    WorkDir = Work.string();
    std::string Under = WorkDir == "/" ? WorkDir : WorkDir + "/";
    if (TreeRoot == WorkDir) {
      Prefix.clear();
    } else if (TreeRoot.compare(0, Under.size(), Under) == 0) {
      Prefix = TreeRoot.substr(Under.size()) + "/";
    } else {
      if (Default)
        return false;
      throw Error(fail(TreeRoot + " is outside the work tree " + WorkDir));
    }
    if (Default && git_repository_head_unborn(Repo.get()) == 1)
      return false; // no commit yet: nothing to compare with
    auto [T, Id] = resolve();
    if (Default && !Prefix.empty()) {
      // A tree inside a repository that does not track it (an ignored checkout) is not git's.
      git_tree_entry *E = nullptr;
      std::string Sub = Prefix.substr(0, Prefix.size() - 1);
      int Found = git_tree_entry_bypath(&E, T.get(), Sub.c_str());
      git_tree_entry_free(E);
      if (Found < 0)
        return false;
    }
    Tree = std::move(T);
    ShownId = Id;
    return true;
  }
};

Baseline::Baseline(std::unique_ptr<Impl> I) : I(std::move(I)) {}
Baseline::Baseline(Baseline &&) noexcept = default;
Baseline &Baseline::operator=(Baseline &&) noexcept = default;
Baseline::~Baseline() = default;

Baseline Baseline::open(const std::string &TreeRoot, const std::string &Spec) {
  initLibgit2();
  auto I = std::make_unique<Impl>();
  I->Spec = Spec;
  std::error_code Ec;
  fs::path Root = fs::canonical(TreeRoot, Ec);
  if (Ec || !isDirectory(Root.string()))
    throw Error(head(Spec) + ": tree root " + TreeRoot + " is not a directory");
  I->TreeRoot = Root.string();

  if (Spec.empty()) {
    I->Spec = "git:HEAD";
    I->Rev = "HEAD";
    if (I->openGit(/*Default=*/true)) {
      I->K = Kind::Git;
    } else {
      I->Repo.reset();
      I->Spec = "disk";
      I->Rev.clear();
      I->WorkDir.clear();
      I->Prefix.clear();
      I->K = Kind::Disk;
      I->Dir = I->TreeRoot;
    }
  } else if (Spec.rfind("git:", 0) == 0 && Spec.size() > 4) {
    I->K = Kind::Git;
    I->Rev = Spec.substr(4);
    I->openGit(/*Default=*/false);
  } else if (Spec == "disk") {
    I->K = Kind::Disk;
    I->Dir = I->TreeRoot;
  } else if (Spec[0] == '/') {
    I->K = Kind::Path;
    I->Spec = I->Dir = withoutTrailingSlashes(Spec);
    if (!isDirectory(I->Dir))
      throw Error(head(Spec) + ": not a directory");
  } else {
    throw Error(head(Spec) + ": expected git:REV, disk or an absolute directory");
  }
  return Baseline(std::move(I));
}

Baseline::Kind Baseline::kind() const { return I->K; }

const std::string &Baseline::spec() const { return I->Spec; }

std::string Baseline::describe() const {
  switch (I->K) {
  case Kind::Git: {
    char Hex[GIT_OID_HEXSZ + 1];
    {
      std::lock_guard<std::mutex> Lock(I->M);
      git_oid_tostr(Hex, sizeof Hex, &I->ShownId);
    }
    return I->Spec + " (" + std::string(Hex, 8) + ")";
  }
  case Kind::Path:
    return I->Dir;
  case Kind::Disk:
    break;
  }
  return "files on disk";
}

std::optional<std::string> Baseline::read(const std::string &RelPath) const {
  std::string Rel = normalizeRelPath(RelPath);
  if (RelPath.empty() || RelPath[0] == '/' || Rel == ".." || Rel.rfind("../", 0) == 0)
    throw Error(I->fail("path '" + RelPath + "' is not inside the tree"));
  if (Rel == ".")
    return std::nullopt; // the tree root itself is no file
  if (I->K == Kind::Git)
    return I->readGit(Rel);
  return readRegularFile(I->Dir + "/" + Rel, I->Spec);
}

std::vector<std::string> Baseline::changedFiles() const {
  if (I->K != Kind::Git)
    return {};
  return I->changedGit();
}

bool Baseline::refresh() {
  if (I->K != Kind::Git)
    return false;
  std::lock_guard<std::mutex> Lock(I->M);
  auto [T, Id] = I->resolve();
  bool Moved = !git_oid_equal(&Id, &I->ShownId) ||
               !git_oid_equal(git_tree_id(T.get()), git_tree_id(I->Tree.get()));
  I->Tree = std::move(T);
  I->ShownId = Id;
  return Moved;
}

} // namespace klp
