// Shared by the livepatch module kernel tests: a patched object compiled from the pinned tree
// outside the tree (the tree's own command plus function/data sections, then objtool as kbuild
// runs it), the target's symbols, and libelf views of the built module.
#pragma once
#include "../../../kbuild-integration/src/objbuild.h"
#include "klp/kernel_tree.h"
#include "klp/livepatch_module.h"
#include "vm_process.h"

#include <cstdlib>
#include <elf.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <gelf.h>
#include <libelf.h>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace klp::test {

inline std::string readText(const std::string &Path) {
  std::ifstream In(Path);
  if (!In)
    throw std::runtime_error("cannot read " + Path);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

inline std::string replaceOnce(std::string Text, const std::string &From, const std::string &To) {
  size_t P = Text.find(From);
  if (P == std::string::npos)
    throw std::runtime_error("patch anchor not found: " + From);
  return Text.replace(P, From.size(), To);
}

// Compiles Text as tree source Source into Dir/Source's .o and returns that path.
inline std::string compilePatchedObject(const KernelTree &Tree, const std::string &Source,
                                        const std::string &Text, const std::string &Dir) {
  namespace fs = std::filesystem;
  CompileCommand C = Tree.compileCommand(Source);
  fs::path Src = fs::path(Dir) / Source;
  fs::create_directories(Src.parent_path());
  std::ofstream(Src) << Text;
  std::string Obj = Src.string().substr(0, Src.string().size() - 2) + ".o";
  std::vector<std::string> Argv;
  for (size_t K = 0; K < C.Argv.size(); ++K) {
    const std::string &A = C.Argv[K];
    if (A.starts_with("-Wp,-MMD"))
      continue;
    if (A == "-o") {
      Argv.insert(Argv.end(), {"-o", Obj});
      ++K;
      continue;
    }
    if (K + 1 == C.Argv.size()) {
      Argv.insert(Argv.end(), {"-iquote", fs::path(Source).parent_path().string(),
                               "-ffile-prefix-map=" + Dir + "/=", "-ffunction-sections",
                               "-fdata-sections", Src.string()});
      continue;
    }
    Argv.push_back(A);
  }
  TimedRun R = runWithTimeout(Argv, std::chrono::seconds(300), C.Directory);
  if (R.ExitCode != 0)
    throw std::runtime_error("compiling " + Src.string() + " failed:\n" + R.Output);
  // objtool as scripts/Makefile.lib runs it for this configuration (a built-in object).
  std::vector<std::string> Tool = {Tree.root() + "/tools/objtool/objtool"};
  for (const std::string &Arg :
       objtoolArgs([&Tree](const std::string &Option) { return Tree.config(Option); },
                   /*PartOfModule=*/false))
    Tool.push_back(Arg);
  Tool.push_back(Obj);
  R = runWithTimeout(Tool, std::chrono::seconds(120), C.Directory);
  if (R.ExitCode != 0)
    throw std::runtime_error("objtool on " + Obj + " failed:\n" + R.Output);
  return Obj;
}

// The pinned target's kallsyms (scripts/target-symbols boots it once and caches the file).
inline std::string targetKallsyms() {
  TimedRun R = runWithTimeout({std::string(KLP_TEST_DATA) + "/../scripts/target-symbols"},
                              std::chrono::seconds(900));
  std::string Out = R.Output;
  while (!Out.empty() && Out.back() == '\n')
    Out.pop_back();
  std::string Path = Out.substr(Out.rfind('\n') == std::string::npos ? 0 : Out.rfind('\n') + 1);
  if (R.ExitCode != 0 || !std::filesystem::exists(Path))
    throw std::runtime_error("scripts/target-symbols failed:\n" + R.Output);
  return Path;
}

// What the tests look at in a built module.
struct KoView {
  std::map<std::string, GElf_Shdr> Sections;
  std::map<std::string, size_t> SectionIndex;
  std::map<std::string, GElf_Sym> Symbols; // by name (named symbols only)
  // Relocations of each relocation section: "OFFSET TYPE SYMBOL ADDEND".
  std::map<std::string, std::vector<std::string>> Relocations;
};

inline KoView readKo(const std::string &Path) {
  elf_version(EV_CURRENT);
  int Fd = ::open(Path.c_str(), O_RDONLY);
  if (Fd < 0)
    throw std::runtime_error("cannot open " + Path);
  Elf *E = elf_begin(Fd, ELF_C_READ, nullptr);
  size_t Shstr = 0;
  elf_getshdrstrndx(E, &Shstr);
  KoView V;
  std::vector<std::string> SymNames;
  std::map<size_t, std::string> SecNames;
  Elf_Scn *Scn = nullptr;
  while ((Scn = elf_nextscn(E, Scn))) {
    GElf_Shdr H;
    gelf_getshdr(Scn, &H);
    SecNames[elf_ndxscn(Scn)] = elf_strptr(E, Shstr, H.sh_name);
  }
  // Section symbols are named "section:NAME".
  while ((Scn = elf_nextscn(E, Scn))) {
    GElf_Shdr H;
    gelf_getshdr(Scn, &H);
    if (H.sh_type != SHT_SYMTAB)
      continue;
    Elf_Data *D = elf_getdata(Scn, nullptr);
    for (size_t K = 0; K < H.sh_size / H.sh_entsize; ++K) {
      GElf_Sym S;
      gelf_getsym(D, static_cast<int>(K), &S);
      SymNames.push_back(GELF_ST_TYPE(S.st_info) == STT_SECTION
                             ? "section:" + SecNames[S.st_shndx]
                             : std::string(elf_strptr(E, H.sh_link, S.st_name)));
      if (!SymNames.back().empty() && GELF_ST_TYPE(S.st_info) != STT_SECTION)
        V.Symbols[SymNames.back()] = S;
    }
  }
  Scn = nullptr;
  while ((Scn = elf_nextscn(E, Scn))) {
    GElf_Shdr H;
    gelf_getshdr(Scn, &H);
    std::string Name = elf_strptr(E, Shstr, H.sh_name);
    V.Sections[Name] = H;
    V.SectionIndex[Name] = elf_ndxscn(Scn);
    if (H.sh_type != SHT_RELA)
      continue;
    Elf_Data *D = elf_getdata(Scn, nullptr);
    for (size_t K = 0; K < H.sh_size / H.sh_entsize; ++K) {
      GElf_Rela R;
      gelf_getrela(D, static_cast<int>(K), &R);
      V.Relocations[Name].push_back(
          std::to_string(R.r_offset) + " " + std::to_string(GELF_R_TYPE(R.r_info)) + " " +
          SymNames.at(GELF_R_SYM(R.r_info)) + " " + std::to_string(R.r_addend));
    }
  }
  elf_end(E);
  ::close(Fd);
  return V;
}

inline std::string modinfoField(const std::string &Ko, const std::string &Field) {
  TimedRun R = runWithTimeout({"/sbin/modinfo", "-F", Field, Ko}, std::chrono::seconds(30));
  std::string Out = R.Output;
  while (!Out.empty() && Out.back() == '\n')
    Out.pop_back();
  return Out;
}

} // namespace klp::test
