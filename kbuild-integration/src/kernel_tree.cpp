// KernelTree: opening and checking a prepared tree, its configuration, paths, and the kbuild
// environment and directory evaluations everything else is built on.
#include "kernel_tree_impl.h"

#include "klp/error.h"
#include "run_process.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace fs = std::filesystem;

namespace klp {
namespace {

const char *PrepareHint = "run `make olddefconfig && make prepare` in it (for the pinned test "
                          "tree: scripts/kernel-fixture)";

bool exists(const std::string &P) { return fs::exists(P); }

std::string mtimeNs(const std::string &P) {
  struct stat St;
  if (stat(P.c_str(), &St) != 0)
    return "-";
  return std::to_string(St.st_mtim.tv_sec) + "." + std::to_string(St.st_mtim.tv_nsec);
}

bool newer(const std::string &A, const std::string &B) {
  struct stat SA, SB;
  if (stat(A.c_str(), &SA) != 0 || stat(B.c_str(), &SB) != 0)
    return false;
  if (SA.st_mtim.tv_sec != SB.st_mtim.tv_sec)
    return SA.st_mtim.tv_sec > SB.st_mtim.tv_sec;
  return SA.st_mtim.tv_nsec > SB.st_mtim.tv_nsec;
}

// include/config/auto.conf (or .config): CONFIG_FOO=y, CONFIG_BAR="text".
std::map<std::string, std::string> readConfig(const std::string &Path) {
  std::map<std::string, std::string> C;
  std::ifstream In(Path);
  for (std::string Line; std::getline(In, Line);) {
    if (!Line.starts_with("CONFIG_"))
      continue;
    size_t Eq = Line.find('=');
    if (Eq == std::string::npos)
      continue;
    std::string V = Line.substr(Eq + 1);
    if (V.size() >= 2 && V.front() == '"' && V.back() == '"') {
      std::string U;
      for (size_t I = 1; I + 1 < V.size(); ++I) {
        if (V[I] == '\\' && I + 2 < V.size())
          ++I;
        U += V[I];
      }
      V = U;
    }
    C[Line.substr(0, Eq)] = V;
  }
  return C;
}

std::string firstLine(const std::string &S) { return S.substr(0, S.find('\n')); }

// kbuild's CC: the compiler whose `--version` is CONFIG_CC_VERSION_TEXT (else Kconfig would
// re-run syncconfig, and the flags would not be the tree's).
std::string findCompiler(const std::string &Root, const std::map<std::string, std::string> &Cfg) {
  auto It = Cfg.find("CONFIG_CC_VERSION_TEXT");
  std::string Text = It == Cfg.end() ? "" : It->second;
  std::vector<std::string> Candidates;
  if (!Text.empty())
    Candidates.push_back(Text.substr(0, Text.find(' ')));
  Candidates.push_back(Cfg.count("CONFIG_CC_IS_CLANG") ? "clang" : "gcc");
  for (const std::string &C : Candidates) {
    try {
      ProcessResult R = runProcess({C, "--version"}, Root, std::nullopt);
      if (R.ExitCode == 0 && (Text.empty() || firstLine(R.Out) == Text))
        return C;
    } catch (const Error &) {
    }
  }
  throw Error("kernel tree " + Root + " was configured with the compiler \"" + Text +
              "\", which is not in PATH; install it or re-configure the tree with " +
              "`make CC=<compiler> olddefconfig && make CC=<compiler> prepare`");
}

} // namespace

std::string dirName(const std::string &RelPath) {
  size_t Slash = RelPath.rfind('/');
  return Slash == std::string::npos ? "." : RelPath.substr(0, Slash);
}

std::string kbuildModName(const std::string &Obj) {
  std::string Base = Obj.substr(Obj.rfind('/') + 1);
  if (Base.ends_with(".o"))
    Base.resize(Base.size() - 2);
  for (char &C : Base)
    if (C == '-' || C == ',')
      C = '_';
  return Base;
}

KernelTree::KernelTree(std::unique_ptr<Impl> I) : I(std::move(I)) {}
KernelTree::~KernelTree() = default;

std::unique_ptr<KernelTree> KernelTree::open(const std::string &RootArg,
                                             const std::string &CacheDir) {
  std::error_code EC;
  if (RootArg.empty())
    throw Error("no kernel tree given");
  if (!fs::is_directory(RootArg, EC))
    throw Error("kernel tree " + RootArg +
                (fs::exists(RootArg, EC) ? " is not a directory" : " does not exist"));
  std::string Root = fs::canonical(RootArg, EC).string();
  for (const char *F : {"Makefile", "Kconfig", "scripts"})
    if (!exists(Root + "/" + F))
      throw Error(Root + " is not a kernel source tree: " + F + " is missing");
  for (const char *F : {".config", "include/config/auto.conf", "include/generated/autoconf.h",
                        "include/generated/utsrelease.h"})
    if (!exists(Root + "/" + F))
      throw Error("kernel tree " + Root + " is not prepared: " + F + " is missing; " + PrepareHint);
  if (newer(Root + "/.config", Root + "/include/config/auto.conf"))
    throw Error("kernel tree " + Root +
                " is not prepared: .config is newer than include/config/auto.conf; " + PrepareHint);
  auto Impl = std::make_unique<KernelTree::Impl>();
  Impl->Root = Root;
  Impl->Config = readConfig(Root + "/include/config/auto.conf");
  if (Impl->Config.empty())
    Impl->Config = readConfig(Root + "/.config");
  if (Impl->Config.count("CONFIG_MODVERSIONS") && !exists(Root + "/scripts/genksyms/genksyms"))
    throw Error(
        "kernel tree " + Root +
        " is not prepared: scripts/genksyms/genksyms is missing (CONFIG_MODVERSIONS is "
        "set); run `make scripts` in it (for the pinned test tree: scripts/kernel-fixture)");
  std::string Key = "klp-lsp tree cache 2\nroot=" + Root +
                    "\nauto.conf=" + mtimeNs(Root + "/include/config/auto.conf") +
                    "\nMakefile=" + mtimeNs(Root + "/Makefile") + "\n";
  Impl->Cache = TreeCache(CacheDir, Root, Key);
  return std::unique_ptr<KernelTree>(new KernelTree(std::move(Impl)));
}

const std::string &KernelTree::root() const { return I->Root; }

std::string KernelTree::absolute(const std::string &RelPath) const {
  if (!RelPath.empty() && RelPath[0] == '/')
    return RelPath;
  std::string N = normalizeRelPath(RelPath);
  return N == "." ? I->Root : I->Root + "/" + N;
}

std::optional<std::string> KernelTree::relative(const std::string &Path) const {
  std::string P = Path;
  if (!P.empty() && P[0] == '/') {
    std::error_code EC;
    std::string Canon = fs::weakly_canonical(P, EC).string();
    if (!EC)
      P = Canon;
    if (P == I->Root)
      return ".";
    if (!P.starts_with(I->Root + "/"))
      return std::nullopt;
    P = P.substr(I->Root.size() + 1);
  }
  std::string N = normalizeRelPath(P);
  if (N == ".." || N.starts_with("../"))
    return std::nullopt;
  return N;
}

std::string KernelTree::config(const std::string &Name) const {
  auto It = I->Config.find(Name.starts_with("CONFIG_") ? Name : "CONFIG_" + Name);
  return It == I->Config.end() ? "" : It->second;
}

std::string KernelTree::Impl::makefileOf(const std::string &Dir) const {
  std::string Base = Dir == "." ? "" : Dir + "/";
  return exists(Root + "/" + Base + "Kbuild") ? Base + "Kbuild" : Base + "Makefile";
}

const KbuildContext &KernelTree::Impl::kbuild() const {
  std::lock_guard<std::mutex> L(Mu);
  if (Ctx)
    return *Ctx;
  KbuildContext C;
  C.Root = Root;
  C.MkDir = Cache.dir() + "/mk";
  C.TmpOut = Cache.dir() + "/tmp";
  std::optional<std::string> Saved = Cache.read("kbuild-env");
  if (Saved && Saved->starts_with("CC=")) {
    std::istringstream In(*Saved);
    std::string Line;
    std::getline(In, Line);
    C.CC = Line.substr(3);
    while (std::getline(In, Line, '\0')) {
      size_t Eq = Line.find('=');
      if (Eq != std::string::npos)
        C.Env.emplace_back(Line.substr(0, Eq), Line.substr(Eq + 1));
    }
    captureKbuildEnv(C, /*MakefilesOnly=*/true);
  } else {
    C.CC = findCompiler(Root, Config);
    captureKbuildEnv(C, /*MakefilesOnly=*/false);
    std::string Text = "CC=" + C.CC + "\n";
    for (const auto &[K, V] : C.Env)
      Text += K + "=" + V + '\0';
    Cache.write("kbuild-env", Text);
  }
  Ctx = std::move(C);
  return *Ctx;
}

std::shared_ptr<const DirEval> KernelTree::Impl::dirEval(const std::string &Dir,
                                                         const DirEnv &Env) const {
  {
    std::lock_guard<std::mutex> L(Mu);
    auto It = Dirs.find(Dir);
    if (It != Dirs.end())
      return It->second;
  }
  std::string Name = "dirs/" + TreeCache::escape(Dir);
  std::shared_ptr<const DirEval> E;
  if (std::optional<std::string> Text = Cache.read(Name))
    E = std::make_shared<DirEval>(parseDirEval(Dir, *Text));
  else {
    E = std::make_shared<DirEval>(evaluateDir(kbuild(), Dir, Env));
    Cache.write(Name, E->Text);
  }
  std::lock_guard<std::mutex> L(Mu);
  return Dirs.emplace(Dir, E).first->second;
}

} // namespace klp
