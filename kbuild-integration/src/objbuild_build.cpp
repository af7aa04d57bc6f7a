// buildChangedObjects: both sides of each unit compiled from the tree root with kbuild's own
// command, outputs and the patched mirror under a staging directory that replaces the build
// directory only when everything is built (BuildArea). Nothing is written into the tree: the
// depfile option is dropped and -o, -dumpdir and objtool's object point into the staging area.
#include "klp/livepatch_module.h"
#include "klp/object_build.h"

#include "kernel_tree_impl.h"
#include "objbuild.h"
#include "path_util.h"
#include "run_process.h"
#include "tree_cache.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;

namespace klp {
namespace {

std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    throw Error("cannot read " + Path);
  std::ostringstream S;
  S << In.rdbuf();
  return S.str();
}

void writeFile(const std::string &Path, const std::string &Text) {
  std::error_code EC;
  fs::create_directories(fs::path(Path).parent_path(), EC);
  std::ofstream Out(Path, std::ios::binary | std::ios::trunc);
  Out << Text;
  Out.close();
  if (!Out)
    throw Error("cannot write " + Path);
}

std::string defaultBuildDir(const KernelTree &Tree, const std::vector<std::string> &Sources,
                            const std::map<std::string, std::string> &PatchedFiles,
                            const ObjectBuildOptions &Opts) {
  std::string Key = Tree.root();
  for (const std::string &S : Sources)
    Key += std::string("\0S", 2) + S;
  for (const auto &[Path, Text] : PatchedFiles)
    Key += std::string("\0P", 2) + Path + "=" + hashHex(Text);
  for (const std::string &F : Opts.ExtraFlags)
    Key += std::string("\0F", 2) + F;
  Key += Opts.IpaClones ? "\0C" : "";
  return TreeCache::defaultBase() + "/build/" + hashHex(Key);
}

// gcc names the dump after the source and the pass: "cmdline.c.000i.ipa-clones".
std::string findClonesDump(const std::string &Dir, const std::string &SourceBase) {
  std::error_code EC;
  for (const fs::directory_entry &E : fs::directory_iterator(Dir, EC)) {
    std::string N = E.path().filename().string();
    if (N.starts_with(SourceBase + ".") && N.ends_with(".ipa-clones"))
      return E.path().string();
  }
  return "";
}

struct Unit {
  std::string Source;
  CompileCommand Cmd;
  BuildInfo Info;
  std::vector<std::string> Objtool; // objtool and its arguments, without the object; or empty
  bool RecordMcount = false;
};

Unit planUnit(const KernelTree &Tree, const std::string &Source) {
  Unit U;
  U.Source = Source;
  U.Cmd = Tree.compileCommand(Source);
  U.Info = Tree.buildInfo(Source);
  if (Tree.config("CONFIG_OBJTOOL") == "y") {
    std::string Owner = owningDir(U.Cmd);
    std::string Kbuild = Tree.absolute((Owner == "." ? "" : Owner + "/") + "Kbuild");
    std::string Makefile = fs::exists(Kbuild) ? Kbuild : Tree.absolute(Owner + "/Makefile");
    std::string Base = U.Cmd.Object.substr(U.Cmd.Object.rfind('/') + 1);
    bool PartOfModule = !U.Info.BuiltIn && !U.Info.Module.empty();
    bool Delayed =
        Tree.config("CONFIG_LTO_CLANG") == "y" || Tree.config("CONFIG_X86_KERNEL_IBT") == "y";
    bool SingleObjM = PartOfModule && kbuildModName(U.Cmd.Object) == U.Info.Module;
    bool Standard = !fs::exists(Makefile) || isStandardObject(readFile(Makefile), Base);
    if (Standard && (!Delayed || SingleObjM)) {
      std::string Binary = Tree.absolute("tools/objtool/objtool");
      if (!fs::exists(Binary))
        throw Error("kernel tree " + Tree.root() +
                    " has no tools/objtool/objtool (CONFIG_OBJTOOL=y); run `make prepare` in it");
      U.Objtool = objtoolArgs([&](const std::string &N) { return Tree.config(N); }, PartOfModule);
      U.Objtool.insert(U.Objtool.begin(), Binary);
    }
  }
  // Makefile.build's cmd_record_mcount, for compilers that cannot emit __mcount_loc.
  U.RecordMcount = Tree.config("CONFIG_FTRACE_MCOUNT_USE_RECORDMCOUNT") == "y" &&
                   std::find(U.Cmd.Argv.begin(), U.Cmd.Argv.end(), "-pg") != U.Cmd.Argv.end();
  return U;
}

// Compiles one side and post-processes the object as kbuild does. Messages name the source
// as the tree spells it (mirror paths stripped from the compiler's output).
void buildSide(const KernelTree &Tree, const Unit &U, const CompileSide &Side,
               const std::string &Label, const std::function<bool()> &Cancelled) {
  std::error_code EC;
  fs::create_directories(fs::path(Side.Output).parent_path(), EC);
  auto clean = [&](const std::string &Text) {
    return Side.Mirror.empty() ? Text : replaceAll(Text, Side.Mirror + "/", "");
  };
  std::vector<std::string> Argv = sideCompileArgv(U.Cmd, Side);
  ProcessResult R = runProcess(Argv, Tree.root(), std::nullopt, "", Cancelled);
  if (R.Cancelled)
    throw BuildCancelled(); // the compiler was killed: do not wait for a unit to finish
  if (R.ExitCode != 0)
    throw Error(U.Source + " (" + Label + "): " + Argv[0] + " failed with exit code " +
                std::to_string(R.ExitCode) + ":\n" + clean(R.Err).substr(0, 8000));
  auto post = [&](std::vector<std::string> Cmd, const std::string &What) {
    Cmd.push_back(Side.Output);
    ProcessResult P = runProcess(Cmd, Tree.root(), std::nullopt, "", Cancelled);
    if (P.Cancelled)
      throw BuildCancelled();
    if (P.ExitCode != 0)
      throw Error(U.Source + " (" + Label + "): " + What + " failed on the object with exit code " +
                  std::to_string(P.ExitCode) + ":\n" + clean(P.Err + P.Out).substr(0, 8000));
  };
  if (U.RecordMcount)
    post({Tree.absolute("scripts/recordmcount")}, "recordmcount");
  if (!U.Objtool.empty())
    post(U.Objtool, "objtool");
}

} // namespace

std::vector<BuiltObject> buildChangedObjects(const KernelTree &Tree,
                                             const std::vector<std::string> &SourcesArg,
                                             const std::map<std::string, std::string> &PatchedFiles,
                                             const ObjectBuildOptions &Opts) {
  auto cancelled = [&] {
    if (Opts.Cancelled && Opts.Cancelled())
      throw BuildCancelled();
  };
  auto progress = [&](const std::string &Msg) {
    if (Opts.Progress)
      Opts.Progress(Msg);
  };
  std::vector<std::string> Sources;
  for (const std::string &S : SourcesArg) {
    std::optional<std::string> Rel = Tree.relative(S);
    if (!Rel)
      throw Error(S + " is not inside the kernel tree " + Tree.root());
    if (std::find(Sources.begin(), Sources.end(), *Rel) == Sources.end())
      Sources.push_back(*Rel);
  }
  std::map<std::string, std::string> Patched;
  for (const auto &[Path, Text] : PatchedFiles) {
    std::optional<std::string> Rel = Tree.relative(Path);
    if (!Rel || *Rel == "." || Rel->starts_with("../"))
      throw Error("patched file " + Path + " is not inside the kernel tree " + Tree.root());
    Patched[*Rel] = Text;
  }

  std::vector<Unit> Units;
  for (const std::string &S : Sources) {
    cancelled();
    Units.push_back(planUnit(Tree, S));
  }

  std::string Dir =
      Opts.BuildDir.empty() ? defaultBuildDir(Tree, Sources, Patched, Opts) : Opts.BuildDir;
  std::string AbsDir = fs::absolute(Dir).lexically_normal().string();
  if (std::optional<std::string> InTree = Tree.relative(AbsDir);
      InTree && !InTree->starts_with("../"))
    throw Error("build directory " + AbsDir + " is inside the kernel tree " + Tree.root() +
                "; the tree is never written: choose a directory outside it");
  BuildArea Area(AbsDir);
  const std::string &Stage = Area.staging();
  std::string Mirror = Stage + "/mirror";
  std::vector<std::string> Mirrored;
  for (const auto &[Rel, Text] : Patched) {
    writeFile(Mirror + "/" + Rel, Text);
    Mirrored.push_back(Rel);
  }
  for (const Unit &U : Units) {
    if (!Patched.count(U.Source))
      writeFile(Mirror + "/" + U.Source, readFile(Tree.absolute(U.Source)));
    // A source kbuild spells through "../" is compiled under that spelling, so its directory
    // must exist in the mirror as well.
    std::error_code EC;
    fs::create_directories(Mirror + "/" + dirName(U.Cmd.Argv.back()), EC);
  }

  std::vector<BuiltObject> Result;
  bool Checked = false;
  for (const Unit &U : Units) {
    cancelled();
    std::string ObjDir = dirName(U.Cmd.Object);
    std::string Base = U.Source.substr(U.Source.rfind('/') + 1);
    std::string ObjName = U.Cmd.Object.substr(U.Cmd.Object.rfind('/') + 1);
    CompileSide Orig, Patch;
    Orig.Output = Stage + "/original/" + ObjDir + "/" + ObjName;
    Patch.Output = Stage + "/patched/" + ObjDir + "/" + ObjName;
    if (Opts.IpaClones) {
      Orig.DumpDir = Stage + "/original/" + ObjDir + "/";
      Patch.DumpDir = Stage + "/patched/" + ObjDir + "/";
    }
    Orig.ExtraFlags = Patch.ExtraFlags = Opts.ExtraFlags;
    // Patched sources may include the authors' header <klp_lsp.h> (callbacks, shadow variables).
    Patch.ExtraFlags.push_back("-I" + authorIncludeDir());
    Patch.Mirror = Mirror;
    Patch.MirroredFiles = Mirrored;

    progress("compiling " + U.Source + " (original)");
    if (Opts.Jobs >= 2) {
      progress("compiling " + U.Source + " (patched)");
      std::exception_ptr OrigError;
      std::thread T([&] {
        try {
          buildSide(Tree, U, Orig, "original", Opts.Cancelled);
        } catch (...) {
          OrigError = std::current_exception();
        }
      });
      std::exception_ptr PatchError;
      try {
        buildSide(Tree, U, Patch, "patched", Opts.Cancelled);
      } catch (...) {
        PatchError = std::current_exception();
      }
      T.join();
      if (OrigError)
        std::rethrow_exception(OrigError);
      if (PatchError)
        std::rethrow_exception(PatchError);
    } else {
      buildSide(Tree, U, Orig, "original", Opts.Cancelled);
      cancelled();
      progress("compiling " + U.Source + " (patched)");
      buildSide(Tree, U, Patch, "patched", Opts.Cancelled);
    }
    if (!Checked) {
      checkCompilerMatches(Tree, Orig.Output);
      Checked = true;
    }

    BuiltObject B;
    B.Source = U.Source;
    B.Info = U.Info;
    B.Original = Area.finalPath(Orig.Output);
    B.Patched = Area.finalPath(Patch.Output);
    if (Opts.IpaClones) {
      std::string OrigDump = findClonesDump(Orig.DumpDir, Base);
      std::string PatchDump = findClonesDump(Patch.DumpDir, Base);
      // The patched dump names mirrored files by their mirror path: make it name tree paths
      // like the original's, so the two compare.
      if (!PatchDump.empty())
        writeFile(PatchDump, replaceAll(readFile(PatchDump), Mirror + "/", ""));
      B.OriginalClones = Area.finalPath(OrigDump);
      B.PatchedClones = Area.finalPath(PatchDump);
    }
    Result.push_back(B);
  }
  cancelled();
  Area.publish();
  return Result;
}

} // namespace klp
