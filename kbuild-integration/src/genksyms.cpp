// Modversions CRCs the way kbuild computes them (scripts/Makefile.build, cmd_gensymtypes_c):
//   $(CPP) -D__GENKSYMS__ $(c_flags) $< | scripts/genksyms/genksyms -r /dev/null
// which prints "#SYMVER <name> 0x<crc>" per exported symbol (6.1; older kernels printed
// "__crc_<name> = 0x<crc>;", also understood).
#include "genksyms.h"
#include "kernel_tree_impl.h"
#include "path_util.h"

#include "klp/error.h"
#include "run_process.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace klp {
namespace {

// A private directory outside the tree, removed with its contents.
struct TempDir {
  std::string Path;
  explicit TempDir(const std::string &Root) {
    const char *T = getenv("TMPDIR");
    std::string Base = T && *T ? T : "/tmp";
    if (Base == Root || Base.starts_with(Root + "/"))
      Base = "/tmp";
    std::string Templ = Base + "/klp-genksyms-XXXXXX";
    if (!mkdtemp(Templ.data()))
      throw Error("cannot create a temporary directory in " + Base);
    Path = Templ;
  }
  ~TempDir() {
    std::error_code EC;
    fs::remove_all(Path, EC);
  }
};

} // namespace

std::map<std::string, unsigned long> parseGenksymsOutput(const std::string &Out) {
  std::map<std::string, unsigned long> R;
  std::istringstream In(Out);
  for (std::string Line; std::getline(In, Line);) {
    std::istringstream L(Line);
    std::string A, B, C, D;
    L >> A >> B >> C >> D;
    if (A == "#SYMVER" && !B.empty())
      R[B] = std::stoul(C, nullptr, 16);
    else if (A.starts_with("__crc_") && B == "=")
      R[A.substr(6)] = std::stoul(C, nullptr, 16);
  }
  return R;
}

std::map<std::string, unsigned long> symbolVersions(const KernelTree &Tree,
                                                    const CompileCommand &Cmd,
                                                    const std::optional<std::string> &PatchedText) {
  std::map<std::string, std::string> Files;
  if (PatchedText)
    Files[Cmd.Source] = *PatchedText;
  return symbolVersions(Tree, Cmd, Files);
}

std::map<std::string, unsigned long>
symbolVersions(const KernelTree &Tree, const CompileCommand &Cmd,
               const std::map<std::string, std::string> &PatchedFiles) {
  const std::string *PatchedText = nullptr;
  if (auto It = PatchedFiles.find(Cmd.Source); It != PatchedFiles.end())
    PatchedText = &It->second;
  bool Patched = !PatchedFiles.empty();
  if (Cmd.Argv.empty())
    throw Error("symbolVersions: empty compile command for " + Cmd.Source);
  std::string Genksyms = Tree.absolute("scripts/genksyms/genksyms");
  if (!fs::exists(Genksyms))
    throw Error("kernel tree " + Tree.root() +
                " has no scripts/genksyms/genksyms; run `make scripts` in it");
  // $(CPP) is "$(CC) -E"; c_flags are the compile flags without -c/-o and the depfile option,
  // which would write next to the object in the tree.
  // kbuild's command ends in "-c -o OBJ SRC" (SRC as kbuild spells it, maybe via "../").
  size_t End = Cmd.Argv.size();
  std::string Spelled = Cmd.Source;
  if (End >= 4 && Cmd.Argv[End - 3] == "-o")
    Spelled = Cmd.Argv[--End];
  std::optional<TempDir> Tmp;
  if (Patched) {
    // Patched files live in a private mirror of the tree: each -I directory that holds a
    // patched header gets its mirror searched first, and the source sits at its mirrored
    // path so its quoted includes see patched neighbours before the originals.
    Tmp.emplace(Tree.root());
    for (const auto &[Rel, Text] : PatchedFiles) {
      if (Rel == Cmd.Source)
        continue;
      fs::create_directories(fs::path(Tmp->Path) / dirName(Rel));
      std::ofstream(Tmp->Path + "/" + Rel, std::ios::binary) << Text;
    }
  }
  auto MirrorFirst = [&](const std::string &Dir) {
    std::string D = normalizeRelPath(Dir);
    for (const auto &[Rel, Text] : PatchedFiles)
      if (Rel != Cmd.Source && Rel.starts_with(D + "/"))
        return true;
    return false;
  };
  std::vector<std::string> Args = {Cmd.Argv[0], "-E", "-D__GENKSYMS__"};
  for (size_t K = 1; K < End; ++K) {
    const std::string &A = Cmd.Argv[K];
    if (A == "-o") {
      ++K;
      continue;
    }
    if (A == "-c" || A.starts_with("-Wp,-MMD,") || A.starts_with("-Wp,-MD,"))
      continue;
    if (Tmp && A.starts_with("-I") && A.size() > 2 && MirrorFirst(A.substr(2)))
      Args.push_back("-I" + Tmp->Path + "/" + normalizeRelPath(A.substr(2)));
    Args.push_back(A);
  }
  if (Tmp) {
    // __FILE__ still reads as the original path.
    std::string Dir = dirName(Cmd.Source);
    std::string Copy = Tmp->Path + "/" + Cmd.Source;
    fs::create_directories(fs::path(Tmp->Path) / Dir);
    if (PatchedText) {
      std::ofstream(Copy, std::ios::binary) << *PatchedText;
    } else {
      std::ifstream In(Tree.absolute(Cmd.Source), std::ios::binary);
      std::ofstream(Copy, std::ios::binary) << In.rdbuf();
    }
    Args.push_back("-iquote");
    Args.push_back(Tree.absolute(Dir));
    Args.push_back("-fmacro-prefix-map=" + Tmp->Path + "/=");
    Args.push_back(Copy);
  } else {
    Args.push_back(Spelled);
  }
  ProcessResult Cpp = runProcess(Args, Tree.root(), std::nullopt);
  if (Cpp.ExitCode != 0)
    throw Error(Cmd.Source + (Patched ? " (patched)" : "") +
                ": the preprocessor failed for genksyms: " + Cpp.Err.substr(0, 2000));
  ProcessResult G = runProcess({Genksyms, "-r", "/dev/null"}, Tree.root(), std::nullopt, Cpp.Out);
  if (G.ExitCode != 0)
    throw Error(Cmd.Source + (Patched ? " (patched)" : "") +
                ": genksyms failed: " + G.Err.substr(0, 2000));
  return parseGenksymsOutput(G.Out);
}

} // namespace klp
