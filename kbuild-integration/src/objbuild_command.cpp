// The command lines of the changed-object build: one side's compile (kbuild's own command
// redirected out of the tree) and objtool's arguments (scripts/Makefile.lib, 6.1).
#include "objbuild.h"

#include "kernel_tree_impl.h"
#include "path_util.h"

#include "klp/error.h"

#include <algorithm>
#include <regex>
#include <sstream>

namespace klp {

std::string replaceAll(std::string Text, const std::string &From, const std::string &To) {
  if (From.empty())
    return Text;
  for (size_t Pos = Text.find(From); Pos != std::string::npos;
       Pos = Text.find(From, Pos + To.size()))
    Text.replace(Pos, From.size(), To);
  return Text;
}

namespace {

// kbuild's command ends in "-c -o OBJECT SOURCE" (findCompileArgv only returns such commands).
size_t flagsEnd(const CompileCommand &Cmd) {
  size_t N = Cmd.Argv.size();
  if (N < 5 || Cmd.Argv[N - 4] != "-c" || Cmd.Argv[N - 3] != "-o")
    throw Error(Cmd.Source + ": the compile command does not end in \"-c -o OBJECT SOURCE\"");
  return N - 4;
}

bool holdsMirrored(const CompileSide &Side, const std::string &Dir) {
  return std::any_of(Side.MirroredFiles.begin(), Side.MirroredFiles.end(),
                     [&](const std::string &F) { return F.starts_with(Dir + "/"); });
}

bool isMirrored(const CompileSide &Side, const std::string &File) {
  return std::find(Side.MirroredFiles.begin(), Side.MirroredFiles.end(), File) !=
         Side.MirroredFiles.end();
}

} // namespace

std::vector<std::string> sideCompileArgv(const CompileCommand &Cmd, const CompileSide &Side) {
  size_t End = flagsEnd(Cmd);
  const std::string &Spelled = Cmd.Argv.back();
  bool Patched = !Side.Mirror.empty();
  std::vector<std::string> Args;
  for (size_t K = 0; K < End; ++K) {
    const std::string &A = Cmd.Argv[K];
    if (A.starts_with("-Wp,-MMD,") || A.starts_with("-Wp,-MD,"))
      continue; // the depfile goes next to the object in the tree
    if (Patched && A == "-I" && K + 1 < End) {
      std::string Dir = normalizeRelPath(Cmd.Argv[K + 1]);
      if (holdsMirrored(Side, Dir))
        Args.insert(Args.end(), {"-I", Side.Mirror + "/" + Dir});
    } else if (Patched && A.starts_with("-I") && A.size() > 2) {
      std::string Dir = normalizeRelPath(A.substr(2));
      if (holdsMirrored(Side, Dir))
        Args.push_back("-I" + Side.Mirror + "/" + Dir);
    } else if (Patched && A == "-include" && K + 1 < End &&
               isMirrored(Side, normalizeRelPath(Cmd.Argv[K + 1]))) {
      Args.insert(Args.end(), {A, Side.Mirror + "/" + normalizeRelPath(Cmd.Argv[++K])});
      continue;
    }
    Args.push_back(A);
  }
  Args.insert(Args.end(), Side.ExtraFlags.begin(), Side.ExtraFlags.end());
  if (!Side.DumpDir.empty())
    Args.insert(Args.end(), {"-fdump-ipa-clones", "-dumpdir", Side.DumpDir});
  if (Patched) {
    // Quoted includes look next to the mirrored source first (patched neighbours), then in
    // the tree directory the source really lives in.
    Args.insert(Args.end(), {"-iquote", dirName(Spelled)});
    Args.push_back("-ffile-prefix-map=" + Side.Mirror + "/=");
  }
  Args.insert(Args.end(),
              {"-c", "-o", Side.Output, Patched ? Side.Mirror + "/" + Spelled : Spelled});
  return Args;
}

std::string owningDir(const CompileCommand &Cmd) {
  size_t End = flagsEnd(Cmd);
  std::string Obj = Cmd.Argv[End + 2];
  if (Obj.starts_with("./"))
    Obj = Obj.substr(2);
  size_t Up = Obj.find("/../");
  if (Up != std::string::npos)
    return normalizeRelPath(Obj.substr(0, Up));
  return dirName(normalizeRelPath(Obj));
}

bool isStandardObject(const std::string &MakefileText, const std::string &ObjectBase) {
  static const std::regex Assign(R"(^\s*OBJECT_FILES_NON_STANDARD(_\S+)?\s*[:?]?=\s*(\S*))");
  std::string DirValue, FileValue;
  std::istringstream In(MakefileText);
  for (std::string Line; std::getline(In, Line);) {
    std::smatch M;
    if (!std::regex_search(Line, M, Assign))
      continue;
    if (!M[1].matched)
      DirValue = M[2];
    else if (M[1].str() == "_" + ObjectBase)
      FileValue = M[2];
  }
  // $(filter-out y%, $(OBJECT_FILES_NON_STANDARD_$(basetarget).o)$(OBJECT_FILES_NON_STANDARD)n)
  return !(FileValue + DirValue + "n").starts_with("y");
}

std::vector<std::string> objtoolArgs(const std::function<std::string(const std::string &)> &Config,
                                     bool PartOfModule) {
  static const std::pair<const char *, const char *> ByOption[] = {
      {"CONFIG_HAVE_JUMP_LABEL_HACK", "--hacks=jump_label"},
      {"CONFIG_HAVE_NOINSTR_HACK", "--hacks=noinstr"},
      {"CONFIG_X86_KERNEL_IBT", "--ibt"},
      {"CONFIG_FTRACE_MCOUNT_USE_OBJTOOL", "--mcount"},
      {"CONFIG_UNWINDER_ORC", "--orc"},
      {"CONFIG_RETPOLINE", "--retpoline"},
      {"CONFIG_RETHUNK", "--rethunk"},
      {"CONFIG_SLS", "--sls"},
      {"CONFIG_STACK_VALIDATION", "--stackval"},
      {"CONFIG_HAVE_STATIC_CALL_INLINE", "--static-call"},
      {"CONFIG_HAVE_UACCESS_VALIDATION", "--uaccess"},
  };
  std::vector<std::string> Args;
  for (const auto &[Option, Arg] : ByOption)
    if (Config(Option) == "y")
      Args.push_back(Arg);
  if (Config("CONFIG_GCOV_KERNEL") == "y" || Config("CONFIG_KCOV") == "y")
    Args.push_back("--no-unreachable");
  if (Config("CONFIG_LTO_CLANG") == "y" || Config("CONFIG_X86_KERNEL_IBT") == "y")
    Args.push_back("--link");
  if (PartOfModule)
    Args.push_back("--module");
  return Args;
}

} // namespace klp
