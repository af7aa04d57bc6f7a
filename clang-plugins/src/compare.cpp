#include "compare.h"
#include "finding_details.h"
#include "klp/rules.h"
#include "quick_fixes.h"
#include <algorithm>
#include <sstream>

namespace klp::analysis {

namespace {

std::string joinNames(const std::vector<std::string> &Names, size_t Max = 8) {
  std::string S;
  for (size_t I = 0; I < Names.size() && I < Max; ++I)
    S += (I ? ", " : "") + Names[I];
  if (Names.size() > Max)
    S += " and " + std::to_string(Names.size() - Max) + " more";
  return S;
}

// Macros that keep "done once" state next to the code (a static flag or a bug-table flag):
// READ_ONCE/WRITE_ONCE and min/max's __careful_cmp_once are not among them.
bool isOnceMacro(std::string_view V) {
  static const std::set<std::string_view> Exact = {
      "WARN_ONCE",         "WARN_ON_ONCE",  "WARN_TAINT_ONCE",
      "DO_ONCE",           "DO_ONCE_LITE",  "DO_ONCE_LITE_IF",
      "DO_ONCE_SLEEPABLE", "printk_once",   "printk_deferred_once",
      "pr_warn_once",      "pr_err_once",   "pr_info_once",
      "pr_notice_once",    "pr_debug_once", "pr_emerg_once",
      "pr_alert_once",     "pr_crit_once",  "pr_cont_once",
      "pr_devel_once"};
  if (Exact.count(V))
    return true;
  for (std::string_view P : {"dev_", "netdev_", "net_", "drm_", "ext4_", "btrfs_"})
    if (V.starts_with(P) && V.ends_with("_once"))
      return true;
  return false;
}

// Byte offset, or bit offset for a bit-field that does not start on a byte.
std::string offsetName(uint64_t Bits) {
  return Bits % 8 ? "bit " + std::to_string(Bits) : std::to_string(Bits / 8);
}

bool isHeader(const std::string &P) { return P.size() > 2 && P.ends_with(".h"); }

class Comparer {
public:
  Comparer(const TuSummary &O, const TuSummary &P, const CompareContext &C, Report &Out)
      : O(O), P(P), C(C), Out(Out) {}

  TuDelta run() {
    functions();
    records();
    vars();
    initcalls();
    exports();
    return Delta;
  }

private:
  Finding &add(const char *Rule, const Loc &Where, std::string Msg, std::string Symbol = "") {
    const RuleInfo *RI = findRule(Rule);
    Finding F;
    F.Rule = Rule;
    F.Sev = RI ? RI->DefaultSeverity : Severity::Warning;
    F.File = Where.File;
    F.Where = Where.Where;
    F.Message = std::move(Msg);
    F.Symbol = std::move(Symbol);
    Out.Findings.push_back(std::move(F));
    return Out.Findings.back();
  }

  void addFunction(const FunctionSummary &F, const char *Status) {
    Out.Functions.push_back({F.Name, F.NameLoc.File, Status, F.NameLoc.Where});
  }

  // Where a removed entity was, in the patched file's coordinates.
  Loc mapToPatched(const Loc &L) const {
    Loc R = L;
    auto It = C.LineMaps.find(L.File);
    unsigned Line =
        It == C.LineMaps.end() ? L.Where.Start.Line : It->second.toPatched(L.Where.Start.Line);
    R.Where = Range{{Line, 0}, {Line, 0}};
    return R;
  }

  bool changed(const FunctionSummary &PF) const {
    auto It = O.Functions.find(PF.Name);
    return It == O.Functions.end() || It->second.SemHashNoLine != PF.SemHashNoLine;
  }

  std::vector<std::string> callersOf(const std::string &Name) const {
    std::vector<std::string> R;
    for (const auto &[N, F] : P.Functions)
      if (F.Callees.count(Name) && N != Name)
        R.push_back(N);
    return R;
  }

  void functions() {
    for (const auto &[Name, PF] : P.Functions) {
      auto It = O.Functions.find(Name);
      if (It == O.Functions.end()) {
        newFunction(PF);
        continue;
      }
      const FunctionSummary &OF = It->second;
      if (OF.SemHash == PF.SemHash)
        continue;
      Delta.Anything = true;
      if (OF.SemHashNoLine == PF.SemHashNoLine) {
        lineShift(PF);
        continue;
      }
      changedFunction(OF, PF);
    }
    for (const auto &[Name, OF] : O.Functions) {
      if (P.Functions.count(Name))
        continue;
      Delta.Anything = true;
      Loc Where = mapToPatched(OF.NameLoc);
      add("removed-function", Where,
          "function '" + Name +
              "' is removed: the original stays in the running kernel and callers outside "
              "the patch keep calling it",
          Name);
      Out.Functions.push_back({Name, Where.File, "removed", Where.Where});
    }
  }

  void newFunction(const FunctionSummary &PF) {
    Delta.Anything = true;
    addFunction(PF, "new");
    add("new-function", PF.NameLoc,
        "new function '" + PF.Name + "': it is added with the livepatch module (" + C.Object +
            ") and reached only through patched functions",
        PF.Name);
    initCode(PF, "new ");
  }

  void lineShift(const FunctionSummary &PF) {
    addFunction(PF, "line-shift");
    std::vector<std::string> Uses;
    for (const LineUse &U : PF.LineUses) {
      std::string S = (U.Macro.empty() ? std::string("__LINE__") : U.Macro) + " at line " +
                      std::to_string(U.Line + 1);
      if (std::find(Uses.begin(), Uses.end(), S) == Uses.end())
        Uses.push_back(S);
    }
    Finding &F =
        add("line-macro-shift", PF.NameLoc,
            "function '" + PF.Name + "' changes only through __LINE__ (" + joinNames(Uses, 4) +
                "): an edit above it shifts its line numbers, so its code or "
                "bug-table entries differ; keep the line numbers stable or include '" +
                PF.Name + "' in the livepatch",
            PF.Name);
    auto Map = C.LineMaps.find(PF.NameLoc.File);
    F.Detail = lineShiftDetail(PF, Map == C.LineMaps.end() ? nullptr : &Map->second);
    std::vector<TextEdit> Edits = lineDirectives(PF.NameLoc.File);
    if (!Edits.empty())
      F.Fixes.push_back({"Keep line numbers of the code below stable", std::move(Edits)});
  }

  // The #line directives that give every __LINE__ use of an otherwise unchanged function in
  // File its original number (all of them: one directive can shift uses further down).
  const std::vector<TextEdit> &lineDirectives(const std::string &File) {
    auto [It, New] = LineDirectives.try_emplace(File);
    auto Map = C.LineMaps.find(File);
    if (!New || Map == C.LineMaps.end())
      return It->second;
    std::vector<unsigned> Sites;
    for (const auto &[Name, PF] : P.Functions)
      if (PF.NameLoc.File == File && !changed(PF))
        for (const LineUse &U : PF.LineUses)
          Sites.push_back(U.Line);
    auto Spans = P.MultiLineSpans.find(File);
    It->second = lineDirectiveEdits(File, Map->second, std::move(Sites),
                                    Spans == P.MultiLineSpans.end() ? nullptr : &Spans->second);
    return It->second;
  }

  void changedFunction(const FunctionSummary &OF, const FunctionSummary &PF) {
    addFunction(PF, "changed");
    std::string How = OF.TokenHash == PF.TokenHash
                          ? "function '" + PF.Name +
                                "' changes through a macro, type or inline function it uses "
                                "(its own text is unchanged): the livepatch replaces it"
                          : "function '" + PF.Name + "' changed: the livepatch replaces it";
    add("changed-function", PF.NameLoc, How + " (object " + C.Object + ")", PF.Name).Detail =
        functionDetail(OF, PF);
    initCode(PF, "");
    noFentry(PF);
    inlineCallers(PF);
    signature(OF, PF);
    staticLocals(OF, PF);
    macroRules(PF);
    syscallWrapper(PF);
    alwaysOnStack(PF);
  }

  void initCode(const FunctionSummary &PF, const std::string &Kind) {
    if (PF.Section.starts_with(".init.") || PF.Section.starts_with(".exit.")) {
      bool Exit = PF.Section.starts_with(".exit.");
      add("init-code", PF.NameLoc,
          Kind + (Exit ? "__exit" : "__init") + " function '" + PF.Name + "' (section " +
              PF.Section + ") " + (Kind.empty() ? "changed" : "added") + ": " +
              (Exit ? "exit code runs only when the module unloads and cannot be live-patched"
                    : "init code has already run, and been freed, when the livepatch loads; "
                      "the change has no effect") +
              ". Move the fix into runtime code, or apply it from a livepatch callback",
          PF.Name);
    }
  }

  void noFentry(const FunctionSummary &PF) {
    std::string Why;
    if (PF.Section == ".noinstr.text" || PF.Section == ".entry.text" ||
        PF.Section == ".cpuidle.text")
      Why = "is in section " + PF.Section + " (noinstr/entry code)";
    // The kernel's `inline` macro adds notrace to every inline function: there the missing
    // fentry is not the problem, its callers carry the code (inline-callers reports them).
    else if (PF.NoTrace && !PF.IsInline)
      Why = "is notrace (no_instrument_function)";
    else if (!C.Ftrace && !isHeader(PF.NameLoc.File))
      Why = "is in " + PF.NameLoc.File + ", which kbuild compiles without the ftrace flags";
    if (Why.empty())
      return;
    add("no-fentry", PF.NameLoc,
        "function '" + PF.Name + "' " + Why +
            ": it has no ftrace call site, so livepatch cannot redirect it; patch its callers "
            "instead",
        PF.Name);
  }

  // Why F's body is likely copied into its callers ("" when it is not).
  static std::string inlineKind(const FunctionSummary &F, size_t Callers) {
    if (F.AlwaysInline)
      return "__always_inline";
    if (F.IsInline)
      return "inline";
    // A static function without direct callers (unused, or only its address is taken as for
    // initcalls, ops tables and kthreads) has no inlined copies.
    if (F.IsStatic && !F.NoInline && Callers && (Callers == 1 || F.Statements <= 40))
      return "a static function the compiler likely inlines";
    return "";
  }

  // Callers reached through callers that are themselves inlined: SYSCALL_DEFINE's
  // __do_sys_x -> __se_sys_x -> __x64_sys_x, where only the last one can be patched.
  std::vector<std::pair<std::string, std::string>>
  transitiveCallers(const std::vector<std::string> &Direct) const {
    std::vector<std::pair<std::string, std::string>> Out; // (caller, through)
    std::set<std::string> Seen(Direct.begin(), Direct.end());
    std::vector<std::string> Work = Direct;
    while (!Work.empty()) {
      std::string Via = Work.back();
      Work.pop_back();
      std::vector<std::string> Up = callersOf(Via);
      if (inlineKind(P.Functions.at(Via), Up.size()).empty())
        continue;
      for (const std::string &U : Up)
        if (Seen.insert(U).second) {
          Out.push_back({U, Via});
          Work.push_back(U);
        }
    }
    std::sort(Out.begin(), Out.end());
    return Out;
  }

  void inlineCallers(const FunctionSummary &PF) {
    std::vector<std::string> Callers = callersOf(PF.Name);
    std::string Kind = inlineKind(PF, Callers.size());
    if (Kind.empty())
      return;
    std::vector<std::pair<std::string, std::string>> Further = transitiveCallers(Callers);
    size_t TUs =
        isHeader(PF.NameLoc.File) && C.IncluderCount ? C.IncluderCount(PF.NameLoc.File) : 0;
    std::string Msg = "'" + PF.Name + "' is " + Kind + ": its change is compiled into ";
    if (Callers.empty())
      Msg += "its callers (none in this file)";
    else
      Msg += "its callers, which the livepatch must replace too: " + joinNames(Callers);
    if (!Further.empty()) {
      std::vector<std::string> Names;
      for (const auto &[Caller, Via] : Further)
        Names.push_back(Caller);
      Msg += "; they are inlined in turn into " + joinNames(Names);
    }
    if (TUs) {
      Msg += "; it is defined in a header included by " + std::to_string(TUs) +
             " translation units, each with its own callers";
      if (C.Includers)
        Msg += " (" + joinNames(C.Includers(PF.NameLoc.File), 5) + ")";
    }
    Msg += ". Mark it noinline in the patch to keep the change in one function";
    Finding &F = add("inline-callers", PF.NameLoc, Msg, PF.Name);
    std::vector<const FunctionSummary *> Direct;
    std::vector<std::pair<const FunctionSummary *, std::string>> Through;
    Direct.reserve(Callers.size());
    Through.reserve(Further.size());
    for (const std::string &Caller : Callers)
      Direct.push_back(&P.Functions.at(Caller));
    for (const auto &[Caller, Via] : Further)
      Through.push_back({&P.Functions.at(Caller), Via});
    F.Detail = inlineDetail(PF, Kind, Direct, Through);
    if (std::optional<Fix> X = noinlineFix(PF, isHeader(PF.NameLoc.File)))
      F.Fixes.push_back(std::move(*X));
    for (const std::string &Caller : Callers) {
      const FunctionSummary &CF = P.Functions.at(Caller);
      F.Related.push_back({CF.NameLoc.File, CF.NameLoc.Where,
                           "'" + PF.Name + "' is inlined into '" + Caller + "'", Caller});
      if (!changed(CF))
        addFunction(CF, "inline-caller");
    }
    for (const auto &[Caller, Via] : Further) {
      const FunctionSummary &CF = P.Functions.at(Caller);
      F.Related.push_back(
          {CF.NameLoc.File, CF.NameLoc.Where,
           "'" + PF.Name + "' reaches '" + Caller + "' through inlined '" + Via + "'", Caller});
      if (!changed(CF))
        addFunction(CF, "inline-caller");
    }
    // The livepatch must replace every inline caller; one a task never leaves blocks the
    // transition just as if it had changed itself.
    std::vector<std::string> All = Callers;
    for (const auto &[Caller, Via] : Further)
      All.push_back(Caller);
    for (const std::string &Caller : All) {
      const FunctionSummary &CF = P.Functions.at(Caller);
      std::string Why = changed(CF) ? "" : foreverReason(CF);
      if (Why.empty())
        continue;
      Finding &A =
          add("always-on-stack", PF.NameLoc,
              "'" + PF.Name + "' is inlined into '" + Caller + "', which " + Why +
                  ": the livepatch must replace '" + Caller +
                  "', a task can stay in it forever, so the transition may never finish; mark '" +
                  PF.Name + "' noinline so only it is replaced",
              PF.Name);
      if (std::optional<Fix> X = noinlineFix(PF, isHeader(PF.NameLoc.File)))
        A.Fixes.push_back(std::move(*X));
    }
  }

  void signature(const FunctionSummary &OF, const FunctionSummary &PF) {
    if (OF.IsStatic && PF.IsStatic)
      return;
    std::string What;
    if (OF.IsStatic != PF.IsStatic)
      What = std::string("linkage of '") + PF.Name + "' changes (" +
             (OF.IsStatic ? "static" : "global") + " -> " + (PF.IsStatic ? "static" : "global") +
             ")";
    else if (OF.Type != PF.Type)
      What = "prototype of '" + PF.Name + "' changes (" + OF.Type + " -> " + PF.Type + ")";
    if (What.empty())
      return;
    std::string Exported;
    if (P.Exports.count(PF.Name) || O.Exports.count(PF.Name))
      Exported = "; it is exported (EXPORT_SYMBOL), so modules call it too";
    add("signature-change", PF.NameLoc,
        What + ": callers outside the patch still use the old one" + Exported +
            ". Keep the prototype and put the new behaviour in a new function",
        PF.Name);
  }

  void staticLocals(const FunctionSummary &OF, const FunctionSummary &PF) {
    // Only locals the running kernel already has need correlating; a static local the patch
    // adds (e.g. the flag of a new pr_warn_once) starts fresh in the module by design.
    std::vector<std::string> Names;
    for (const std::string &L : PF.StaticLocals)
      if (OF.StaticLocals.count(L))
        Names.push_back(L);
    if (!Names.empty()) {
      add("static-local", PF.NameLoc,
          "function '" + PF.Name + "' owns static locals (" + joinNames(Names) +
              "): the patched copy must use the running kernel's variables, correlate them "
              "(klp relocations to the originals) rather than start from zero",
          PF.Name);
    }
    for (const std::string &L : OF.StaticLocals) {
      if (PF.StaticLocals.count(L))
        continue;
      add("static-local-removed", PF.NameLoc,
          "static local '" + L + "' of '" + PF.Name +
              "' is removed or renamed: its state in the running kernel is lost or diverges "
              "from the patched code; keep the variable",
          PF.Name);
    }
  }

  void macroRules(const FunctionSummary &PF) {
    std::vector<std::string> Once, Jump;
    for (const std::string &M : PF.Macros) {
      std::string_view V(M);
      if (isOnceMacro(V))
        Once.push_back(M);
      if (V.starts_with("static_branch_") || V.starts_with("static_key_") ||
          V.starts_with("static_call") || V.starts_with("DEFINE_STATIC_KEY") ||
          V.starts_with("DEFINE_STATIC_CALL"))
        Jump.push_back(M);
    }
    for (const std::string &Callee : PF.Tracepoints)
      Jump.push_back(Callee);
    if (!Once.empty())
      add("once-macro", PF.NameLoc,
          "changed function '" + PF.Name + "' uses " + joinNames(Once) +
              ": the patched copy has its own 'once' flag, so it fires once more after the "
              "livepatch loads",
          PF.Name);
    if (!Jump.empty())
      add("jump-label", PF.NameLoc,
          "changed function '" + PF.Name + "' uses static keys, static calls or tracepoints (" +
              joinNames(Jump) +
              "): the module's copy needs its own jump-label/static-call entries bound to the "
              "running kernel's keys; check the keys are reachable from a module",
          PF.Name);
  }

  void syscallWrapper(const FunctionSummary &PF) {
    std::string_view N(PF.Name);
    std::string Sys;
    for (std::string_view Prefix :
         {"__do_sys_", "__se_sys_", "__do_compat_sys_", "__se_compat_sys_"})
      if (N.starts_with(Prefix))
        Sys = std::string(N.substr(Prefix.size()));
    if (Sys.empty())
      return;
    bool Compat = N.find("compat") != std::string_view::npos;
    std::string Entry = Compat ? "__x64_compat_sys_" + Sys + "/__ia32_compat_sys_" + Sys
                               : "__x64_sys_" + Sys + " (and __ia32_sys_" + Sys + ")";
    add("syscall-wrapper", PF.NameLoc,
        "'" + PF.Name + "' is the body of " +
            (PF.DefiningMacro.empty() ? std::string("SYSCALL_DEFINE") : PF.DefiningMacro) + "(" +
            Sys + "): it is inlined into the arch wrapper, so the function to patch is " + Entry,
        PF.Name);
  }

  // Why a task can stay in F forever ("" when it cannot).
  std::string foreverReason(const FunctionSummary &F) const {
    static const std::set<std::string> Known = {
        "__schedule",     "schedule",          "do_idle",           "cpu_startup_entry",
        "cpu_idle_poll",  "default_idle_call", "worker_thread",     "rescuer_thread",
        "kthread",        "kthreadd",          "smpboot_thread_fn", "kthread_worker_fn",
        "rcu_gp_kthread", "do_exit",           "do_wait",           "schedule_timeout",
        "io_schedule",    "ret_from_fork"};
    if (P.KthreadFunctions.count(F.Name))
      return "is a kernel thread's main function (passed to kthread_create/kthread_run)";
    if (Known.count(F.Name))
      return "is on the stack of every task sleeping or idling in it";
    if (F.SleepingInfiniteLoop)
      return "loops forever around a sleeping call";
    return "";
  }

  void alwaysOnStack(const FunctionSummary &PF) {
    std::string Why = foreverReason(PF);
    if (Why.empty())
      return;
    add("always-on-stack", PF.NameLoc,
        "changed function '" + PF.Name + "' " + Why +
            ": a task can stay in it forever, so the livepatch transition may never finish; "
            "patch the functions it calls instead",
        PF.Name);
  }

  void records() {
    for (const auto &[Name, PR] : P.Records) {
      auto It = O.Records.find(Name);
      if (It == O.Records.end() || It->second.layoutEquals(PR))
        continue;
      Delta.Anything = true;
      recordChange(It->second, PR);
    }
  }

  void recordChange(const RecordSummary &OR, const RecordSummary &PR) {
    std::string What;
    Loc Where = PR.NameLoc;
    if (OR.Size != PR.Size)
      What = "size " + std::to_string(OR.Size) + " -> " + std::to_string(PR.Size) + " bytes";
    std::map<std::string, const FieldSummary *> Old;
    for (const FieldSummary &F : OR.Fields)
      Old[F.Name] = &F;
    bool Located = false;
    for (const FieldSummary &F : PR.Fields) {
      auto It = Old.find(F.Name);
      std::string D;
      if (It == Old.end())
        D = "field '" + F.Name + "' added at offset " + std::to_string(F.OffsetBits / 8);
      else if (It->second->Type != F.Type)
        D = "field '" + F.Name + "' type " + It->second->Type + " -> " + F.Type;
      else if (It->second->SizeBits != F.SizeBits)
        D = "field '" + F.Name + "' size " + std::to_string(It->second->SizeBits) + " -> " +
            std::to_string(F.SizeBits) + " bits";
      else if (It->second->OffsetBits != F.OffsetBits)
        D = "field '" + F.Name + "' moves from offset " + offsetName(It->second->OffsetBits) +
            " to " + offsetName(F.OffsetBits);
      if (D.empty())
        continue;
      What += (What.empty() ? "" : "; ") + D;
      if (!Located && !F.NameLoc.File.empty()) {
        Where = F.NameLoc;
        Located = true;
      }
    }
    std::set<std::string> New;
    for (const FieldSummary &F : PR.Fields)
      New.insert(F.Name);
    for (const FieldSummary &F : OR.Fields)
      if (!New.count(F.Name))
        What += (What.empty() ? "" : "; ") + std::string("field '") + F.Name + "' removed";
    if (Where.File.empty())
      return; // defined outside the files we see: its users' changes report it
    std::vector<std::string> Users;
    for (const auto &[N, F] : P.Functions)
      if (F.Records.count(PR.Name) && !changed(F))
        Users.push_back(N);
    std::string Msg = "layout of '" + PR.Name + "' changes (" + What +
                      "): instances that already exist in the running kernel keep the old "
                      "layout";
    if (!Users.empty())
      Msg += ", and unchanged code uses it: " + joinNames(Users);
    if (isHeader(PR.NameLoc.File) && C.IncluderCount)
      Msg += "; its header is included by " + std::to_string(C.IncluderCount(PR.NameLoc.File)) +
             " translation units";
    Msg += ". Keep the struct as it is and attach new state with a shadow variable "
           "(klp_shadow_get_or_alloc/klp_shadow_free)";
    Finding &F = add("struct-layout-change", Where, Msg, PR.Name);
    F.Detail = layoutDetail(OR, PR);
    shadowFixes(OR, PR, F);
    for (const std::string &U : Users) {
      const FunctionSummary &UF = P.Functions.at(U);
      F.Related.push_back(
          {UF.NameLoc.File, UF.NameLoc.Where, "'" + U + "' uses '" + PR.Name + "'"});
    }
  }

  // Fields the patch only adds (every old field keeps its type, size and order) can move to
  // shadow variables, one fix each.
  void shadowFixes(const RecordSummary &OR, const RecordSummary &PR, Finding &F) const {
    std::map<std::string, const FieldSummary *> Old;
    for (const FieldSummary &OF : OR.Fields)
      Old[OF.Name] = &OF;
    std::vector<const FieldSummary *> Added;
    size_t Kept = 0;
    for (const FieldSummary &PF : PR.Fields) {
      auto It = Old.find(PF.Name);
      if (It == Old.end()) {
        Added.push_back(&PF);
        continue;
      }
      const FieldSummary &OF = *It->second;
      if (Kept >= OR.Fields.size() || OR.Fields[Kept].Name != PF.Name || OF.Type != PF.Type ||
          OF.SizeBits != PF.SizeBits)
        return;
      ++Kept;
    }
    if (Kept != OR.Fields.size())
      return;
    auto Inc = P.Includes.find(PR.NameLoc.File);
    for (const FieldSummary *A : Added)
      if (std::optional<Fix> X =
              shadowFieldFix(PR, *A, Inc == P.Includes.end() ? nullptr : &Inc->second))
        F.Fixes.push_back(std::move(*X));
  }

  void vars() {
    for (const auto &[Key, PV] : P.Vars) {
      auto It = O.Vars.find(Key);
      if (It == O.Vars.end())
        continue;
      const VarSummary &OV = It->second;
      if (OV.Type == PV.Type && OV.InitHash == PV.InitHash && OV.Section == PV.Section)
        continue;
      Delta.Anything = true;
      std::string Kind =
          PV.Owner.empty() ? (PV.IsStatic ? "static variable" : "global variable") : "static local";
      std::string Name = PV.Owner.empty() ? PV.Name : PV.Owner + "::" + PV.Name;
      std::string What =
          OV.Type != PV.Type ? "type " + OV.Type + " -> " + PV.Type : std::string("initializer");
      if (PV.Section.starts_with(".init.") || PV.Section.starts_with(".exit.")) {
        add("init-code", PV.NameLoc,
            Kind + " '" + Name + "' (section " + PV.Section + ") changes (" + What +
                "): init data has been used and freed before the livepatch loads; the change "
                "has no effect",
            PV.Name);
        continue;
      }
      add("data-change", PV.NameLoc,
          Kind + " '" + Name + "' changes (" + What +
              "): a livepatch replaces code, not data that already exists in the running "
              "kernel, so the old value stays. Set the new value from a pre-patch callback, "
              "or keep the variable and add new state beside it",
          PV.Name);
    }
  }

  // An EXPORT_SYMBOL that disappears: the livepatch cannot take the symbol away from modules
  // that already link to it (the signature-change rule covers "stops being exported").
  void exports() {
    for (const auto &[Sym, Where] : O.Exports) {
      if (P.Exports.count(Sym))
        continue;
      Delta.Anything = true;
      Loc At = mapToPatched(Where);
      if (auto F = P.Functions.find(Sym); F != P.Functions.end())
        At = F->second.NameLoc;
      else if (auto V = P.Vars.find(Sym); V != P.Vars.end())
        At = V->second.NameLoc;
      add("signature-change", At,
          "'" + Sym +
              "' is no longer exported: modules loaded against the running kernel link "
              "to it, and a livepatch cannot withdraw an export. Keep the EXPORT_SYMBOL",
          Sym);
    }
  }

  void initcalls() {
    if (O.Initcalls == P.Initcalls)
      return;
    Delta.Anything = true;
    std::vector<std::string> Added, Removed;
    std::set_difference(P.Initcalls.begin(), P.Initcalls.end(), O.Initcalls.begin(),
                        O.Initcalls.end(), std::back_inserter(Added));
    std::set_difference(O.Initcalls.begin(), O.Initcalls.end(), P.Initcalls.begin(),
                        P.Initcalls.end(), std::back_inserter(Removed));
    std::string What;
    if (!Added.empty())
      What += joinNames(Added) + " added";
    if (!Removed.empty())
      What += std::string(What.empty() ? "" : ", ") + joinNames(Removed) + " removed";
    Loc Where{P.MainFile, Range{}};
    if (!Added.empty())
      Where = P.InitcallLocs.at(Added.front());
    else if (!Removed.empty())
      Where = mapToPatched(O.InitcallLocs.at(Removed.front()));
    add("init-code", Where,
        "initcalls change (" + What +
            "): initcalls ran at boot or module load; a livepatch never runs them");
  }

  const TuSummary &O, &P;
  const CompareContext &C;
  Report &Out;
  TuDelta Delta;
  std::map<std::string, std::vector<TextEdit>> LineDirectives; // by file, see lineDirectives
};

} // namespace

TuDelta compareTu(const TuSummary &Orig, const TuSummary &Patched, const CompareContext &Ctx,
                  Report &Out) {
  return Comparer(Orig, Patched, Ctx, Out).run();
}

bool RecordSummary::layoutEquals(const RecordSummary &O) const {
  if (Size != O.Size || Align != O.Align || Fields.size() != O.Fields.size())
    return false;
  for (size_t I = 0; I < Fields.size(); ++I) {
    const FieldSummary &A = Fields[I], &B = O.Fields[I];
    if (A.Name != B.Name || A.Type != B.Type || A.OffsetBits != B.OffsetBits ||
        A.SizeBits != B.SizeBits)
      return false;
  }
  return true;
}

} // namespace klp::analysis
