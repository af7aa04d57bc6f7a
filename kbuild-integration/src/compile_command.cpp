// KernelTree::compileCommand: the .o.cmd kbuild saved when the tree was built, else kbuild's
// own rule asked for that one object (see makefile_query.h); memoized per object.
#include "kernel_tree_impl.h"

#include "klp/error.h"
#include "shell_words.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace klp {

// The compile command recorded in a .o.cmd file ("cmd_<obj> := ..." in 6.1, "savedcmd_<obj>
// := ..." since 6.3; <obj> as kbuild spells it, maybe through "../"). The value is make text:
// "$$" stands for "$" and "$(pound)" for "#".
std::vector<std::string> parseDotCmd(const std::string &Text, const std::string &Object,
                                     const std::string &Source) {
  std::string Wanted = normalizeRelPath(Object);
  std::istringstream In(Text);
  for (std::string Line; std::getline(In, Line);) {
    size_t Assign = Line.find(" := ");
    if (Assign == std::string::npos)
      continue;
    std::string Name;
    for (const char *Prefix : {"cmd_", "savedcmd_"})
      if (Line.starts_with(Prefix))
        Name = Line.substr(strlen(Prefix), Assign - strlen(Prefix));
    if (Name.empty() || !Name.ends_with(".o") || normalizeRelPath(Name) != Wanted)
      continue;
    std::string Value = Line.substr(Assign + 4), Unescaped;
    for (size_t I = 0; I < Value.size(); ++I) {
      if (Value.compare(I, 8, "$(pound)") == 0) {
        Unescaped += '#';
        I += 7;
      } else if (Value.compare(I, 2, "$$") == 0) {
        Unescaped += '$';
        ++I;
      } else {
        Unescaped += Value[I];
      }
    }
    std::string Spelled = Name == Wanted ? Source : Name.substr(0, Name.size() - 2) + ".c";
    return findCompileArgv(Unescaped, Name, Spelled);
  }
  return {};
}

CompileCommand KernelTree::compileCommand(const std::string &SourceArg) const {
  std::optional<std::string> Rel = relative(SourceArg);
  if (!Rel)
    throw Error(SourceArg + " is not inside the kernel tree " + root());
  const std::string &Source = *Rel;
  if (!Source.ends_with(".c"))
    throw Error(Source + ": only .c files have a compile command");
  if (!std::filesystem::exists(absolute(Source)))
    throw Error(Source + " does not exist in the kernel tree " + root());
  {
    std::lock_guard<std::mutex> L(I->Mu);
    auto It = I->Commands.find(Source);
    if (It != I->Commands.end())
      return It->second;
  }
  CompileCommand C;
  C.Directory = root();
  C.Source = Source;
  C.Object = Source.substr(0, Source.size() - 2) + ".o";
  std::string Dir = dirName(Source);
  std::string Base = C.Object.substr(C.Object.rfind('/') + 1);
  std::string DotCmd = absolute((Dir == "." ? "" : Dir + "/") + "." + Base + ".cmd");
  std::string CacheName = "commands/" + TreeCache::escape(C.Object);
  if (std::filesystem::exists(DotCmd)) {
    std::ifstream In(DotCmd);
    std::stringstream S;
    S << In.rdbuf();
    C.Argv = parseDotCmd(S.str(), C.Object, Source);
  }
  if (C.Argv.empty()) {
    if (std::optional<std::string> Saved = I->Cache.read(CacheName)) {
      std::istringstream In(*Saved);
      for (std::string A; std::getline(In, A);)
        C.Argv.push_back(A);
    }
  }
  if (C.Argv.empty()) {
    Placement P = I->place(Source);
    if (!P.built())
      throw Error(Source + " is not compiled under the configuration of " + root() + ": " +
                  P.Reason);
    const ChainLink &Owner = *P.owner();
    C.Argv = kbuildCompileArgv(I->kbuild(), Owner.Eval->Dir, Owner.Env, P.Object, P.KbuildSource);
    std::string Text;
    for (const std::string &A : C.Argv)
      Text += A + "\n";
    I->Cache.write(CacheName, Text);
  }
  std::lock_guard<std::mutex> L(I->Mu);
  I->Commands[Source] = C;
  return C;
}

} // namespace klp
