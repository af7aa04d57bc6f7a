// The rule registry. Summary and Help are written for livepatch authors: what goes wrong at
// runtime when the patch is loaded as a livepatch, and what to do about it. The long form of
// each rule is docs/rules/<id>.md; keep both in sync.
#include "klp/rules.h"
#include <algorithm>

namespace klp {

namespace {

constexpr RuleInfo Rules[] = {
    {"changed-function", Severity::Info,
     "A function whose generated code changes; it is replaced by the livepatch.",
     "The function goes into the livepatch (klp_func) and every call to it is redirected to the "
     "patched copy through ftrace. Nothing to do unless another rule reports it; check that its "
     "callers and the data it touches stay compatible with both versions while the transition "
     "is in progress."},
    {"new-function", Severity::Info,
     "A function that only exists in the patched code; it lives in the livepatch module.",
     "New functions are not replaced but compiled into the livepatch module. They can only be "
     "reached from patched functions. If the new function is static and has no patched caller "
     "it is dead code in the livepatch; if it must be callable from unpatched code, patch those "
     "callers too."},
    {"removed-function", Severity::Info,
     "A function that the patch deletes; the original stays in the running kernel.",
     "A livepatch cannot remove code: the original function stays loaded and stays reachable "
     "from every caller that is not patched. Make sure every caller is patched (they show up as "
     "changed functions), or keep the function and change its body instead."},
    {"struct-layout-change", Severity::Error,
     "The size, a member offset or a member type of a struct/union used by unchanged code "
     "changes.",
     "Existing objects in memory keep the old layout and unpatched code keeps using the old "
     "offsets, so the patched code and the running kernel would disagree on the data. Keep the "
     "layout unchanged and attach the new state with a shadow variable (klp_shadow_alloc / "
     "klp_shadow_get_or_alloc, freed with klp_shadow_free), or reuse padding/reserved fields "
     "without moving any existing member."},
    {"inline-callers", Severity::Warning,
     "A changed function that is (or is likely) inlined; its callers carry the old code.",
     "Inline, __always_inline and small static functions are compiled into their callers, so "
     "patching the function's symbol does not change those copies. Patch every listed caller "
     "(for a header, the functions of every listed translation unit that use it), or make sure "
     "the out-of-line copy is the only one (check the object with objdump/klp-build)."},
    {"init-code", Severity::Error,
     "Code or data in __init/__exit sections (or an initcall) changes; a livepatch cannot "
     "change it.",
     "__init code has already run and its memory is freed after boot or module load; __exit "
     "code of built-in code is discarded. A livepatch never re-runs initialisation. Move the "
     "change into code that runs after init, or apply the one-time effect from the livepatch's "
     "pre_patch/post_patch callbacks (struct klp_callbacks)."},
    {"data-change", Severity::Error,
     "The initializer or the type of an existing global or static variable changes.",
     "A livepatch replaces functions, not data: the running kernel keeps the variable with its "
     "current value and type, and the patched code would use a new copy in the livepatch "
     "module. Keep the variable as it is; set the new value from a post_patch callback (and "
     "restore it in pre_unpatch), or keep extra state in a shadow variable."},
    {"static-local", Severity::Info,
     "A changed function owns static local variables; they must be correlated with the "
     "originals.",
     "A patched copy of the function gets its own static locals unless the livepatch tooling "
     "correlates them with the running kernel's symbols (klp-build/kpatch do it by name; "
     "hand-written patches must reference the original through a klp relocation). Check that "
     "each static local keeps its name and type so the correlation works."},
    {"static-local-removed", Severity::Error,
     "A static local variable of a changed function is removed or renamed.",
     "The running kernel's static local holds state (a counter, a cached pointer, a once flag) "
     "that the patched function would silently stop using, and correlation by name fails. Keep "
     "the variable (unused if need be) with its name and type, or move its state deliberately "
     "with callbacks."},
    {"line-macro-shift", Severity::Warning,
     "Unchanged functions below an edit change only through __LINE__ (WARN/BUG, might_sleep, "
     "helpers taking __LINE__).",
     "Lines added or removed above a function change the __LINE__ values compiled into it and "
     "its bug-table entries, so binary diffing tools treat it as changed and pull it into the "
     "livepatch. Keep __LINE__ stable: put the edit on existing lines or compensate with blank "
     "lines removed/added after the change, so unrelated functions stay out of the patch."},
    {"signature-change", Severity::Error,
     "The prototype or the linkage of a non-static function changes.",
     "Unpatched callers keep calling the function with the old arguments and expect the old "
     "return type; exported symbols are also called by modules the livepatch does not touch. "
     "Keep the prototype; add a new function with the new signature and call it from the "
     "patched callers, leaving the old one working for everybody else."},
    {"no-fentry", Severity::Error,
     "A changed function cannot be patched: it has no ftrace entry (notrace, noinstr, "
     ".noinstr.text/.entry.text, object built without ftrace flags).",
     "Livepatch redirects a function through its fentry call site; functions without one can "
     "never be replaced. Patch the closest traceable caller instead (and everything it inlines), "
     "or move the fix out of the non-instrumentable code."},
    {"assembly-file", Severity::Error,
     "An assembly source (.S) changes; livepatch tooling cannot patch it.",
     "Assembly routines have no fentry call and are outside the source analysis. Patch the C "
     "callers to use a new implementation in C (in the livepatch), or ship the fix as a kernel "
     "update instead of a livepatch."},
    {"once-macro", Severity::Warning,
     "DO_ONCE/WARN_ONCE/pr_*_once/printk_once in changed code: the patched copy has its own "
     "once state.",
     "The once flag is a static variable of the patched function, so a message or action that "
     "already fired in the running kernel fires again after patching (and again after each "
     "replace). Accept the extra message, or correlate the once variable with the original."},
    {"jump-label", Severity::Warning, "Static keys, static calls or tracepoints in changed code.",
     "A livepatch module's jump-table and static-call entries are set up when it loads, but its "
     "references to symbols of other modules are only resolved later by klp relocations, so a "
     "static key, static call or tracepoint defined in a module does not work from patched code "
     "(keys in vmlinux do). Use static_key_enabled() for module keys and add no tracepoints to "
     "module code in a livepatch."},
    {"syscall-wrapper", Severity::Warning,
     "A changed SYSCALL_DEFINE body lives in an inlined __do_sys_* helper.",
     "SYSCALL_DEFINE expands to __se_sys_*/__do_sys_* helpers that are inlined into the "
     "architecture wrapper, so the patchable function is __x64_sys_* (and __ia32_sys_* for "
     "compat). Patch the wrapper(s), not __do_sys_*."},
    {"header-fanout", Severity::Info,
     "A header change reaches many translation units of this configuration.",
     "Every translation unit that includes a changed header is recompiled and may change (inline "
     "functions, macros, struct layouts). The more there are, the larger and riskier the "
     "livepatch. Move the change into a .c file if possible, and review the listed units."},
    {"always-on-stack", Severity::Warning,
     "A changed function can stay on a task's stack forever (kthread main loop, idle loop, "
     "__schedule); the transition may never finish.",
     "The consistency model switches a task only when no patched function is on its stack. A "
     "function that never returns keeps its tasks in the old universe, so the transition hangs "
     "until it is forced. Patch the functions it calls instead, or make the loop exit and "
     "restart (e.g. via a callback that wakes the kthread)."},
    {"not-built", Severity::Warning,
     "The file is not compiled under this configuration; its changes have no effect here.",
     "The kernel this tree is configured for does not contain the file, so the livepatch does "
     "not change it. Check that the tree's .config matches the kernel you patch, or drop the "
     "change from this livepatch."},
    {"no-functional-change", Severity::Warning,
     "Nothing in the patch reaches generated code (comments, whitespace, compiled-out code).",
     "A livepatch built from this patch would be empty or only carry unrelated noise. Check the "
     "configuration (the changed code may be #ifdef'd out) or drop the patch."},
    {"symbol-version-change", Severity::Error,
     "The patch changes modversions CRCs of exported symbols (genksyms).",
     "Modules were built against the old symbol versions; a livepatch cannot change exported "
     "CRCs, and a changed CRC means a type that exported functions use has changed. Keep the "
     "exported types unchanged (use shadow variables for new state) so genksyms produces the "
     "old CRCs."},
    {"new-data", Severity::Info,
     "A variable (or static local) exists only in the patched machine code; the livepatch module "
     "brings its own copy.",
     "The copy in the livepatch module is initialised when the module loads and only patched "
     "functions use it; nothing of the running kernel's state is carried over. If the new state "
     "belongs to existing objects, attach it with a shadow variable instead."},
    {"removed-data", Severity::Info,
     "A variable (or static local) is gone from the patched machine code; the original stays in "
     "the running kernel.",
     "A livepatch cannot remove data: the running kernel keeps the variable and every unpatched "
     "user (other translation units for a global) keeps reading and writing it, while the "
     "patched functions no longer do. Check that no state kept there is still needed."},
    {"compile-error", Severity::Error,
     "The patched or original code does not compile (Clang's own diagnostics).",
     "The analysis needs both versions of the file to compile. Fix the reported errors; if the "
     "original does not compile, the tree's configuration or preparation does not match the "
     "code."},
};

} // namespace

std::span<const RuleInfo> allRules() { return Rules; }

const RuleInfo *findRule(std::string_view Id) {
  auto *It = std::find_if(std::begin(Rules), std::end(Rules),
                          [Id](const RuleInfo &R) { return R.Id == Id; });
  return It == std::end(Rules) ? nullptr : It;
}

std::string ruleDocUrl(std::string_view Id) {
  return "https://github.com/klp-lsp/klp-lsp/blob/main/docs/rules/" + std::string(Id) + ".md";
}

} // namespace klp
