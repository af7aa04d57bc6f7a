// Baseline against fixture repositories built with libgit2 in a temporary directory: reads at
// pinned revisions, the changed-file set of the whole repository and of a subdirectory tree,
// disk and pristine-directory modes, every error message, concurrent reads.
#include "klp/baseline.h"
#include "klp/error.h"

#include <git2.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace fs = std::filesystem;

namespace klp {
namespace {

using Files = std::vector<std::string>;
using Text = std::optional<std::string>;

void check(int Err, const char *What) {
  if (Err < 0) {
    const git_error *E = git_error_last();
    throw std::runtime_error(std::string(What) + ": " + (E ? E->message : "libgit2"));
  }
}

// A work tree with an index and commits, written through libgit2 only.
class Repo {
public:
  explicit Repo(const fs::path &Dir) : Dir(Dir) {
    check(git_repository_init(&R, Dir.c_str(), 0), "init");
    check(git_repository_index(&Index, R), "index");
  }
  ~Repo() {
    git_index_free(Index);
    git_repository_free(R);
  }

  void write(const std::string &Rel, const std::string &Content) const {
    fs::create_directories((Dir / Rel).parent_path());
    std::ofstream(Dir / Rel, std::ios::binary) << Content;
  }
  void symlink(const std::string &Rel, const std::string &Target) const {
    fs::create_symlink(Target, Dir / Rel);
  }
  void add(const std::string &Rel) const {
    check(git_index_add_bypath(Index, Rel.c_str()), "add");
    check(git_index_write(Index), "write index");
  }
  // Commits the index on HEAD; returns the commit id in hex.
  std::string commit(const std::string &Message) const {
    git_oid TreeId, CommitId;
    check(git_index_write_tree(&TreeId, Index), "write tree");
    git_tree *Tree = nullptr;
    check(git_tree_lookup(&Tree, R, &TreeId), "tree");
    git_signature *Sig = nullptr;
    check(git_signature_new(&Sig, "Test", "test@example.org", 1700000000, 0), "signature");
    git_commit *Parent = nullptr;
    git_oid ParentId;
    bool HasParent = git_reference_name_to_id(&ParentId, R, "HEAD") == 0;
    if (HasParent)
      check(git_commit_lookup(&Parent, R, &ParentId), "parent");
    const git_commit *Parents[] = {Parent};
    check(git_commit_create(&CommitId, R, "HEAD", Sig, Sig, nullptr, Message.c_str(), Tree,
                            HasParent ? 1 : 0, Parents),
          "commit");
    git_commit_free(Parent);
    git_signature_free(Sig);
    git_tree_free(Tree);
    return hex(CommitId);
  }
  std::string revTree(const std::string &Rev) const {
    git_object *Obj = nullptr;
    check(git_revparse_single(&Obj, R, (Rev + "^{tree}").c_str()), "revparse");
    std::string H = hex(*git_object_id(Obj));
    git_object_free(Obj);
    return H;
  }
  git_repository *get() const { return R; }

private:
  static std::string hex(const git_oid &Id) {
    char Buf[GIT_OID_HEXSZ + 1];
    git_oid_tostr(Buf, sizeof Buf, &Id);
    return Buf;
  }
  fs::path Dir;
  git_repository *R = nullptr;
  git_index *Index = nullptr;
};

template <typename Fn> std::string errorOf(Fn F) {
  try {
    F();
  } catch (const Error &E) {
    return E.what();
  }
  return "(no error)";
}

// The fixture repository: two commits, then work-tree changes of every kind.
//   repo/              .gitignore "/vendor/", top.c, README
//   repo/kernel/       the kernel tree: a.c b.c c.c lib/d.h .gitignore "*.o" link.h up.h ...
//   repo/kernelx/e.c   a sibling whose name starts like the tree's
class BaselineTest : public ::testing::Test {
protected:
  void SetUp() override {
    git_libgit2_init();
    std::string Template = (fs::temp_directory_path() / "klp-baseline-XXXXXX").string();
    ASSERT_NE(::mkdtemp(Template.data()), nullptr);
    Tmp = fs::canonical(Template);
    RepoDir = Tmp / "repo";
    Tree = RepoDir / "kernel";
    G = std::make_unique<Repo>(RepoDir);

    G->write(".gitignore", "/vendor/\n");
    G->write("README", "readme\n");
    G->write("top.c", "top1\n");
    G->write("kernel/.gitignore", "*.o\n");
    G->write("kernel/a.c", "a1\n");
    G->write("kernel/b.c", "b1\n");
    G->write("kernel/lib/d.h", "d1\n");
    G->write("kernelx/e.c", "e1\n");
    G->symlink("kernel/link.h", "lib/d.h");
    G->symlink("kernel/up.h", "../top.c");
    G->symlink("kernel/out.h", "../../outside.h");
    G->symlink("kernel/loop.h", "loop.h");
    for (const char *P : {".gitignore", "README", "top.c", "kernel/.gitignore", "kernel/a.c",
                          "kernel/b.c", "kernel/lib/d.h", "kernelx/e.c", "kernel/link.h",
                          "kernel/up.h", "kernel/out.h", "kernel/loop.h"})
      G->add(P);
    First = G->commit("first");
    check(git_reference_create(&Ref, G->get(), "refs/tags/v1", &firstId(), 0, nullptr), "tag");
    git_reference_free(Ref);
    check(git_reference_create(&Ref, G->get(), "refs/heads/topic", &firstId(), 0, nullptr),
          "branch");
    git_reference_free(Ref);

    G->write("kernel/a.c", "a2\n");
    G->write("kernel/c.c", "c2\n");
    G->add("kernel/a.c");
    G->add("kernel/c.c");
    Second = G->commit("second");

    G->write("kernel/a.c", "a3\n");          // modified
    fs::remove(Tree / "b.c");                // deleted
    G->write("kernel/new.c", "new\n");       // untracked
    G->write("kernel/newdir/n.c", "n\n");    // untracked directory
    G->write("kernel/x.o", "object\n");      // ignored
    G->write("kernel/staged.c", "staged\n"); // added to the index only
    G->add("kernel/staged.c");
    G->write("kernel/lib/d.h", "d-staged\n"); // staged, then reverted in the work tree
    G->add("kernel/lib/d.h");
    G->write("kernel/lib/d.h", "d1\n");
    G->write("kernelx/e.c", "e3\n"); // outside the kernel tree
    G->write("top.c", "top3\n");
    G->write("vendor/linux/f.c", "f\n"); // an ignored checkout inside the repo
  }
  void TearDown() override {
    G.reset();
    fs::remove_all(Tmp);
  }

  const git_oid &firstId() {
    check(git_oid_fromstr(&FirstOid, First.c_str()), "oid");
    return FirstOid;
  }

  fs::path Tmp, RepoDir, Tree;
  std::unique_ptr<Repo> G;
  std::string First, Second;
  git_oid FirstOid;
  git_reference *Ref = nullptr;
};

TEST_F(BaselineTest, DefaultInsideGitIsHead) {
  Baseline B = Baseline::open(Tree.string());
  EXPECT_EQ(B.kind(), Baseline::Kind::Git);
  EXPECT_EQ(B.spec(), "git:HEAD");
  EXPECT_EQ(B.describe(), "git:HEAD (" + Second.substr(0, 8) + ")");
}

TEST_F(BaselineTest, ReadAtHead) {
  Baseline B = Baseline::open(Tree.string(), "git:HEAD");
  EXPECT_EQ(B.read("a.c"), Text("a2\n")); // modified in the work tree
  EXPECT_EQ(B.read("b.c"), Text("b1\n")); // deleted in the work tree
  EXPECT_EQ(B.read("c.c"), Text("c2\n"));
  EXPECT_EQ(B.read("./lib/../a.c"), Text("a2\n"));
  EXPECT_EQ(B.read("lib/d.h"), Text("d1\n"));
  EXPECT_EQ(B.read("new.c"), std::nullopt);    // untracked
  EXPECT_EQ(B.read("staged.c"), std::nullopt); // only in the index
  EXPECT_EQ(B.read("lib"), std::nullopt);      // a directory
  EXPECT_EQ(B.read("."), std::nullopt);
  EXPECT_EQ(B.read("a.c/x"), std::nullopt);
  // Symlinks are followed inside the repository, not out of it, not in circles.
  EXPECT_EQ(B.read("link.h"), Text("d1\n"));
  EXPECT_EQ(B.read("up.h"), Text("top1\n"));
  EXPECT_EQ(B.read("out.h"), std::nullopt);
  EXPECT_EQ(B.read("loop.h"), std::nullopt);
}

TEST_F(BaselineTest, ReadAtOtherRevisions) {
  Baseline Parent = Baseline::open(Tree.string(), "git:HEAD~1");
  EXPECT_EQ(Parent.read("a.c"), Text("a1\n"));
  EXPECT_EQ(Parent.read("c.c"), std::nullopt); // added by the second commit
  EXPECT_EQ(Parent.describe(), "git:HEAD~1 (" + First.substr(0, 8) + ")");
  for (const std::string &Rev : Files{"v1", "topic", First, First.substr(0, 10)}) {
    Baseline B = Baseline::open(Tree.string(), "git:" + Rev);
    EXPECT_EQ(B.read("a.c"), Text("a1\n")) << Rev;
    EXPECT_EQ(B.describe(), "git:" + Rev + " (" + First.substr(0, 8) + ")");
  }
  // A tree id is accepted; it is what describe then shows.
  Baseline T = Baseline::open(Tree.string(), "git:HEAD^{tree}");
  EXPECT_EQ(T.read("c.c"), Text("c2\n"));
  EXPECT_EQ(T.describe(), "git:HEAD^{tree} (" + G->revTree("HEAD").substr(0, 8) + ")");
}

TEST_F(BaselineTest, ChangedFilesOfWholeRepository) {
  Baseline B = Baseline::open(RepoDir.string(), "git:HEAD");
  EXPECT_EQ(B.changedFiles(),
            (Files{"kernel/a.c", "kernel/b.c", "kernel/new.c", "kernel/newdir/n.c",
                   "kernel/staged.c", "kernelx/e.c", "top.c"}));
  EXPECT_EQ(B.read("kernel/a.c"), Text("a2\n"));
}

TEST_F(BaselineTest, ChangedFilesOfSubdirectoryTree) {
  Baseline B = Baseline::open(Tree.string(), "git:HEAD");
  EXPECT_EQ(B.changedFiles(), (Files{"a.c", "b.c", "new.c", "newdir/n.c", "staged.c"}));
  Baseline Parent = Baseline::open(Tree.string(), "git:HEAD~1");
  EXPECT_EQ(Parent.changedFiles(), (Files{"a.c", "b.c", "c.c", "new.c", "newdir/n.c", "staged.c"}));
  Baseline Lib = Baseline::open((Tree / "lib").string(), "git:HEAD");
  EXPECT_EQ(Lib.changedFiles(), Files{});
  EXPECT_EQ(Lib.read("d.h"), Text("d1\n"));
}

// A commit after open does not move the baseline; refresh() does.
TEST_F(BaselineTest, PinnedUntilRefresh) {
  Baseline B = Baseline::open(Tree.string(), "git:HEAD");
  G->add("kernel/a.c");
  std::string Third = G->commit("third");
  EXPECT_EQ(B.read("a.c"), Text("a2\n"));
  EXPECT_EQ(B.changedFiles(), (Files{"a.c", "b.c", "new.c", "newdir/n.c", "staged.c"}));
  EXPECT_EQ(B.describe(), "git:HEAD (" + Second.substr(0, 8) + ")");
  EXPECT_TRUE(B.refresh());
  // The third commit took the whole index: a.c, staged.c and the staged d.h.
  EXPECT_EQ(B.read("a.c"), Text("a3\n"));
  EXPECT_EQ(B.read("staged.c"), Text("staged\n"));
  EXPECT_EQ(B.read("lib/d.h"), Text("d-staged\n"));
  EXPECT_EQ(B.changedFiles(), (Files{"b.c", "lib/d.h", "new.c", "newdir/n.c"}));
  EXPECT_EQ(B.describe(), "git:HEAD (" + Third.substr(0, 8) + ")");
  EXPECT_FALSE(B.refresh());
}

TEST_F(BaselineTest, RefreshFailureKeepsThePin) {
  Baseline B = Baseline::open(Tree.string(), "git:topic");
  git_reference *Branch = nullptr;
  check(git_branch_lookup(&Branch, G->get(), "topic", GIT_BRANCH_LOCAL), "lookup");
  check(git_branch_delete(Branch), "delete");
  git_reference_free(Branch);
  EXPECT_EQ(errorOf([&] { B.refresh(); }),
            "baseline 'git:topic': revision not found in " + RepoDir.string());
  EXPECT_EQ(B.read("a.c"), Text("a1\n"));
}

TEST_F(BaselineTest, TreeIgnoredByTheRepository) {
  fs::path Vendor = RepoDir / "vendor/linux";
  Baseline Default = Baseline::open(Vendor.string());
  EXPECT_EQ(Default.kind(), Baseline::Kind::Disk);
  EXPECT_EQ(Default.read("f.c"), Text("f\n"));
  Baseline Git = Baseline::open(Vendor.string(), "git:HEAD");
  EXPECT_EQ(Git.kind(), Baseline::Kind::Git);
  EXPECT_EQ(Git.read("f.c"), std::nullopt);
  EXPECT_EQ(Git.changedFiles(), Files{});
}

TEST_F(BaselineTest, DiskMode) {
  for (std::string Spec : {"disk", ""}) {
    fs::create_directories(Tmp / "plain/sub");
    std::ofstream(Tmp / "plain/sub/x.c") << "x\n";
    Baseline B = Baseline::open(Spec.empty() ? (Tmp / "plain").string() : Tree.string(), Spec);
    EXPECT_EQ(B.kind(), Baseline::Kind::Disk);
    EXPECT_EQ(B.spec(), "disk");
    EXPECT_EQ(B.describe(), "files on disk");
    EXPECT_EQ(B.changedFiles(), Files{});
    if (Spec.empty()) {
      EXPECT_EQ(B.read("sub/x.c"), Text("x\n"));
      EXPECT_EQ(B.read("sub"), std::nullopt);
    } else {
      EXPECT_EQ(B.read("a.c"), Text("a3\n")); // the saved file, not HEAD
      EXPECT_EQ(B.read("b.c"), std::nullopt);
      EXPECT_EQ(B.read("link.h"), Text("d1\n"));
      EXPECT_EQ(B.read("loop.h"), std::nullopt);
    }
  }
}

TEST_F(BaselineTest, DefaultWithoutCommitIsDisk) {
  fs::path Empty = Tmp / "unborn";
  Repo Unborn(Empty);
  Unborn.write("a.c", "a\n");
  Unborn.add("a.c");
  Baseline B = Baseline::open(Empty.string());
  EXPECT_EQ(B.kind(), Baseline::Kind::Disk);
  EXPECT_EQ(B.read("a.c"), Text("a\n"));
  EXPECT_EQ(errorOf([&] { Baseline::open(Empty.string(), "git:HEAD"); }),
            "baseline 'git:HEAD': revision not found in " + Empty.string());
}

TEST_F(BaselineTest, PathMode) {
  fs::path Pristine = Tmp / "pristine";
  fs::create_directories(Pristine / "lib");
  std::ofstream(Pristine / "a.c") << "pristine a\n";
  Baseline B = Baseline::open(Tree.string(), Pristine.string() + "/");
  EXPECT_EQ(B.kind(), Baseline::Kind::Path);
  EXPECT_EQ(B.spec(), Pristine.string());
  EXPECT_EQ(B.describe(), Pristine.string());
  EXPECT_EQ(B.read("a.c"), Text("pristine a\n"));
  EXPECT_EQ(B.read("c.c"), std::nullopt);
  EXPECT_EQ(B.read("lib"), std::nullopt);
  EXPECT_EQ(B.changedFiles(), Files{});
  EXPECT_FALSE(B.refresh());
}

TEST_F(BaselineTest, ErrorMessages) {
  std::string T = Tree.string(), R = RepoDir.string();
  fs::create_directories(Tmp / "plain");
  std::string Plain = (Tmp / "plain").string(), None = (Tmp / "none").string();
  auto openError = [](const std::string &Root, const std::string &Spec) {
    return errorOf([&] { Baseline::open(Root, Spec); });
  };
  EXPECT_EQ(openError(T, "git:nosuch"), "baseline 'git:nosuch': revision not found in " + R);
  EXPECT_EQ(openError(T, "git:HEAD~5"), "baseline 'git:HEAD~5': revision not found in " + R);
  EXPECT_EQ(openError(T, "git:HEAD:top.c"),
            "baseline 'git:HEAD:top.c': not a commit or a tree in " + R);
  EXPECT_EQ(openError(Plain, "git:HEAD"),
            "baseline 'git:HEAD': " + Plain + " is not in a git repository");
  EXPECT_EQ(openError(T, None), "baseline '" + None + "': not a directory");
  EXPECT_EQ(openError(T, R + "/top.c"), "baseline '" + R + "/top.c': not a directory");
  for (std::string Bad : {"foo:bar", "git:", "relative/dir", "Disk", "HEAD"})
    EXPECT_EQ(openError(T, Bad),
              "baseline '" + Bad + "': expected git:REV, disk or an absolute directory");
  EXPECT_EQ(openError(None, "disk"), "baseline 'disk': tree root " + None + " is not a directory");
  EXPECT_EQ(openError(None, ""), "baseline: tree root " + None + " is not a directory");

  Baseline B = Baseline::open(T, "git:HEAD");
  EXPECT_EQ(errorOf([&] { B.read("../top.c"); }),
            "baseline 'git:HEAD': path '../top.c' is not inside the tree");
  EXPECT_EQ(errorOf([&] { B.read("lib/../../top.c"); }),
            "baseline 'git:HEAD': path 'lib/../../top.c' is not inside the tree");
  EXPECT_EQ(errorOf([&] { B.read("/etc/passwd"); }),
            "baseline 'git:HEAD': path '/etc/passwd' is not inside the tree");
  EXPECT_EQ(errorOf([&] { B.read(""); }), "baseline 'git:HEAD': path '' is not inside the tree");
}

TEST_F(BaselineTest, ConcurrentReads) {
  Baseline B = Baseline::open(Tree.string(), "git:HEAD");
  const std::vector<std::pair<std::string, Text>> Expected = {{"a.c", "a2\n"},
                                                              {"b.c", "b1\n"},
                                                              {"c.c", "c2\n"},
                                                              {"new.c", std::nullopt},
                                                              {"link.h", "d1\n"}};
  std::atomic<int> Wrong = 0, Reads = 0;
  const Files Changed = {"a.c", "b.c", "new.c", "newdir/n.c", "staged.c"};
  std::vector<std::thread> Threads;
  Threads.reserve(4);
  for (int T = 0; T < 4; ++T)
    Threads.emplace_back([&, T] {
      for (int I = 0; I < 200; ++I) {
        const auto &[Path, Want] = Expected[(I + T) % Expected.size()];
        if (B.read(Path) != Want)
          ++Wrong;
        ++Reads;
        if (T == 0 && I % 100 == 0 && B.changedFiles() != Changed)
          ++Wrong;
      }
    });
  for (std::thread &Th : Threads)
    Th.join();
  EXPECT_EQ(Reads.load(), 800);
  EXPECT_EQ(Wrong.load(), 0);
}

} // namespace
} // namespace klp
