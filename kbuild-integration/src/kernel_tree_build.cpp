// Where a file stands in kbuild's descent: built into vmlinux, into which module, or not at
// all and why; and the whole set of objects kbuild compiles under the configuration.
#include "kernel_tree_impl.h"

#include "klp/error.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace klp {
namespace {

bool contains(const std::vector<std::string> &V, const std::string &X) {
  return std::find(V.begin(), V.end(), X) != V.end();
}

// The subdirectory of Eval that leads to Dir (Dir itself or an ancestor), the longest one.
std::string nextStep(const DirEval &Eval, const std::string &Dir) {
  std::string Best;
  for (const std::string &S : Eval.SubdirYm)
    if ((Dir == S || Dir.starts_with(S + "/")) && S.size() > Best.size())
      Best = S;
  return Best;
}

// The logical lines (continuations joined, comments dropped) of a Makefile.
std::vector<std::string> logicalLines(const std::string &Path) {
  std::vector<std::string> Lines;
  std::ifstream In(Path);
  std::string Cur;
  for (std::string L; std::getline(In, L);) {
    if (!L.empty() && L.back() == '\\') {
      Cur += L.substr(0, L.size() - 1) + " ";
      continue;
    }
    Cur += L;
    size_t Hash = Cur.find('#');
    Lines.push_back(Hash == std::string::npos ? Cur : Cur.substr(0, Hash));
    Cur.clear();
  }
  return Lines;
}

// Word occurs in Line as a whole make word (possibly after a directory prefix).
bool mentions(const std::string &Line, const std::string &Word) {
  for (size_t P = Line.find(Word); P != std::string::npos; P = Line.find(Word, P + 1)) {
    bool Start = P == 0 || std::string(" \t=/,(").find(Line[P - 1]) != std::string::npos;
    size_t E = P + Word.size();
    bool End = E == Line.size() || std::string(" \t),").find(Line[E]) != std::string::npos;
    if (Start && End)
      return true;
  }
  return false;
}

// Why Word (an object "x.o" or a subdirectory "x/") of a Makefile is not built: the unset
// CONFIG_ options on the lines that add it, following composite objects (foo-y += x.o, then
// obj-$(CONFIG_FOO) += foo.o). Empty when the Makefile does not mention it at all.
std::string whyNot(const std::string &Root, const std::map<std::string, std::string> &Config,
                   const std::string &MakefileRel, const std::string &Word) {
  std::vector<std::string> Lines = logicalLines(Root + "/" + MakefileRel);
  std::set<std::string> Unset, Seen;
  bool Mentioned = false;
  std::vector<std::string> Todo = {Word};
  static const std::regex ConfigRe("CONFIG_[A-Za-z0-9_]+");
  static const std::regex CompositeRe(
      R"(^\s*([A-Za-z0-9_.,-]+)-(y|objs|m|\$\(CONFIG_[A-Za-z0-9_]+\))\s*[:+]?=)");
  for (size_t I = 0; I < Todo.size() && I < 4; ++I) {
    for (const std::string &L : Lines) {
      if (!mentions(L, Todo[I]))
        continue;
      Mentioned = true;
      for (std::sregex_iterator M(L.begin(), L.end(), ConfigRe), E; M != E; ++M)
        if (!Config.count(M->str()))
          Unset.insert(M->str());
      std::smatch C;
      if (std::regex_search(L, C, CompositeRe)) {
        std::string Name = C[1].str();
        if (Name != "obj" && Name != "lib" && Name != "subdir" && Seen.insert(Name).second)
          Todo.push_back(Name + ".o");
      }
    }
  }
  if (!Unset.empty()) {
    std::string R;
    for (const std::string &U : Unset)
      R += (R.empty() ? "" : ", ") + U;
    return R + (Unset.size() == 1 ? " is" : " are") + " not set (" + MakefileRel + ")";
  }
  if (Mentioned)
    return Word + " is not selected under this configuration (" + MakefileRel + ")";
  return "";
}

} // namespace

std::vector<ChainLink> KernelTree::Impl::descendToward(const std::string &Dir) const {
  std::vector<ChainLink> Chain;
  DirEnv Env = rootDirEnv(kbuild());
  Chain.push_back({Env, dirEval(".", Env)});
  while (Chain.back().Eval->Dir != Dir) {
    std::string Next = nextStep(*Chain.back().Eval, Dir);
    if (Next.empty())
      break;
    DirEnv Sub = Chain.back().Eval->childEnv(Next);
    Chain.push_back({Sub, dirEval(Next, Sub)});
  }
  return Chain;
}

namespace {

// The built-in/module facts of Object in its owner directory.
void settle(Placement &P) {
  const DirEval &E = *P.owner()->Eval;
  P.BuiltIn = (contains(E.RealObjY, P.Object) && E.NeedBuiltin) || contains(E.LibY, P.Object);
  if (contains(E.RealObjM, P.Object)) {
    std::string Composite;
    for (const auto &[M, Parts] : E.MultiM)
      if (contains(Parts, P.Object))
        Composite = M;
    P.Module = kbuildModName(Composite.empty() ? P.Object : Composite);
  }
  if (!P.built())
    P.Reason = "directory " + E.Dir + " is descended into for modules only, so its obj-y " +
               "objects are not built";
}

} // namespace

Placement KernelTree::Impl::place(const std::string &Source) const {
  Placement P;
  P.Source = Source;
  P.Object = Source.substr(0, Source.rfind('.')) + ".o";
  P.KbuildSource = Source;
  std::string Dir = dirName(Source);
  P.Chain = descendToward(Dir);
  for (int K = static_cast<int>(P.Chain.size()) - 1; K >= 0 && P.OwnerIndex < 0; --K) {
    const DirEval &E = *P.Chain[K].Eval;
    if (contains(E.RealObjY, P.Object) || contains(E.RealObjM, P.Object) ||
        contains(E.LibY, P.Object))
      P.OwnerIndex = K;
  }
  if (P.owner()) {
    settle(P);
    return P;
  }
  // Makefiles may list objects of other directories through "../" (arch/x86/kvm/Makefile
  // builds virt/kvm/*.c into kvm.ko): only the whole descent knows those.
  for (const BuiltUnit &O : builtObjects()) {
    if (O.Source != Source)
      continue;
    std::vector<ChainLink> Chain = descendToward(O.Dir);
    if (Chain.back().Eval->Dir != O.Dir)
      continue;
    P.Chain = std::move(Chain);
    P.OwnerIndex = static_cast<int>(P.Chain.size()) - 1;
    P.Object = O.Object;
    P.KbuildSource = O.Object.substr(0, O.Object.size() - 2) + ".c";
    settle(P);
    return P;
  }
  // Listed nowhere: the deepest directory kbuild reaches is either the file's own (whose
  // Makefile does not add the object under this configuration) or an ancestor that does not
  // descend further.
  const DirEval &Deepest = *P.Chain.back().Eval;
  std::string Base = Deepest.Dir == "." ? "" : Deepest.Dir + "/";
  std::string Mk = makefileOf(Deepest.Dir);
  std::string Rel = P.Object.substr(Base.size());
  std::string Arch = kbuild().env("SRCARCH");
  if (Source.starts_with("arch/") && !Arch.empty() && !Source.starts_with("arch/" + Arch + "/")) {
    std::string Other = Source.substr(5, Source.find('/', 5) - 5);
    P.Reason = "arch/" + Other + " is another architecture (this tree builds arch/" + Arch + ")";
    return P;
  }
  P.Reason = whyNot(Root, Config, Mk, Rel);
  if (P.Reason.empty() && Deepest.Dir != Dir) {
    std::string Step = Dir.substr(Base.size());
    std::string First = Step.substr(0, Step.find('/'));
    std::string Why = whyNot(Root, Config, Mk, First + "/");
    P.Reason = "directory " + Base + First + " is not descended into" +
               (Why.empty() ? " under this configuration (" + Mk + ")" : ": " + Why);
  }
  if (P.Reason.empty())
    P.Reason = Rel + " is not an object in " + Mk +
               " (a file #included by another one, or built by a rule of its own)";
  return P;
}

BuildInfo KernelTree::buildInfo(const std::string &Source) const {
  BuildInfo B;
  std::optional<std::string> Rel = relative(Source);
  if (!Rel)
    throw Error(Source + " is not inside the kernel tree " + root());
  if (!std::filesystem::exists(absolute(*Rel))) {
    B.Reason = *Rel + " does not exist in the kernel tree";
    return B;
  }
  if (!Rel->ends_with(".c") && !Rel->ends_with(".S")) {
    B.Reason = *Rel + " is not a source file kbuild compiles (.c or .S)";
    return B;
  }
  Placement P = I->place(*Rel);
  B.Built = P.built();
  B.BuiltIn = P.BuiltIn;
  B.Module = P.Module;
  B.Reason = P.Reason;
  if (B.Built && Rel->ends_with(".c")) {
    CompileCommand C = compileCommand(*Rel);
    // -mfentry alone emits no __fentry__ call: CFLAGS_REMOVE_x.o = -pg keeps it (tsc.c).
    for (const std::string &A : C.Argv)
      if (A == "-pg" || A.starts_with("-fpatchable-function-entry"))
        B.Ftrace = true;
  }
  return B;
}

std::vector<BuiltUnit> KernelTree::Impl::builtObjects() const {
  {
    std::lock_guard<std::mutex> L(Mu);
    if (Objects)
      return *Objects;
  }
  std::vector<BuiltUnit> All;
  if (std::optional<std::string> Saved = Cache.read("objects")) {
    std::istringstream In(*Saved);
    for (std::string S, O, D; In >> S >> O >> D;)
      All.push_back({S, O, D});
  } else {
    // Breadth first, as kbuild descends, a level at a time with a couple of make processes.
    DirEnv RootEnv = rootDirEnv(kbuild());
    std::vector<ChainLink> Level = {{RootEnv, nullptr}};
    std::vector<std::string> Names = {"."};
    unsigned Jobs = std::max(1u, std::min(2u, std::thread::hardware_concurrency()));
    if (const char *J = getenv("KLP_JOBS"))
      Jobs = std::max(1, atoi(J));
    while (!Names.empty()) {
      std::atomic<size_t> Next{0};
      std::vector<std::exception_ptr> Errors(Jobs);
      auto Work = [&](unsigned W) {
        try {
          for (size_t K; (K = Next++) < Names.size();)
            Level[K].Eval = dirEval(Names[K], Level[K].Env);
        } catch (...) {
          Errors[W] = std::current_exception();
        }
      };
      std::vector<std::thread> Threads;
      for (unsigned W = 1; W < Jobs; ++W)
        Threads.emplace_back(Work, W);
      Work(0);
      for (std::thread &T : Threads)
        T.join();
      for (std::exception_ptr &E : Errors)
        if (E)
          std::rethrow_exception(E);
      std::vector<ChainLink> NextLevel;
      std::vector<std::string> NextNames;
      for (const ChainLink &L : Level) {
        const DirEval &E = *L.Eval;
        auto add = [&](const std::string &Obj) {
          if (!Obj.ends_with(".o"))
            return;
          std::string Src = normalizeRelPath(Obj.substr(0, Obj.size() - 2) + ".c");
          if (std::filesystem::exists(Root + "/" + Src))
            All.push_back({Src, Obj, E.Dir});
        };
        if (E.NeedBuiltin)
          for (const std::string &O : E.RealObjY)
            add(O);
        for (const std::string &O : E.RealObjM)
          add(O);
        for (const std::string &O : E.LibY)
          add(O);
        for (const std::string &S : E.SubdirYm) {
          NextLevel.push_back({E.childEnv(S), nullptr});
          NextNames.push_back(S);
        }
      }
      Level = std::move(NextLevel);
      Names = std::move(NextNames);
    }
    std::sort(All.begin(), All.end(),
              [](const BuiltUnit &A, const BuiltUnit &B) { return A.Source < B.Source; });
    All.erase(
        std::unique(All.begin(), All.end(),
                    [](const BuiltUnit &A, const BuiltUnit &B) { return A.Source == B.Source; }),
        All.end());
    std::string Text;
    for (const BuiltUnit &O : All)
      Text += O.Source + " " + O.Object + " " + O.Dir + "\n";
    Cache.write("objects", Text);
  }
  std::lock_guard<std::mutex> L(Mu);
  Objects = All;
  return All;
}

std::vector<std::string> KernelTree::builtSources() const {
  std::vector<std::string> R;
  for (const BuiltUnit &O : I->builtObjects())
    R.push_back(O.Source);
  return R;
}

} // namespace klp
