// The patch-to-module pipeline: from an applied patch to a loadable livepatch .ko. It builds the
// changed translation units (original and patched), diffs them at ELF level and packages the
// changed and new functions per livepatch object (vmlinux or a module).
#pragma once
#include "klp/elf_diff.h"
#include "klp/error.h"
#include "klp/kernel_tree.h"
#include "klp/livepatch_module.h"
#include "klp/object_build.h"
#include "klp/patch.h"

#include <functional>
#include <string>
#include <vector>

namespace klp {

struct LivepatchBuildOptions {
  std::string ModuleName;    // default: "livepatch_" + sanitized first changed file stem
  std::string SymbolsFile;   // kallsyms/System.map; default $KLP_TARGET_SYMBOLS, else
                             // ~/.cache/klp-lsp/targets/<release>/kallsyms; missing -> klp::Error
                             // naming scripts/target-symbols
  std::string BuildDir;      // ObjectBuildOptions::BuildDir
  std::string TargetRelease; // `uname -r` of the target kernel; its headers must be at
                             // /usr/src/linux-headers-<release> (default: ModuleSpec's)
  bool Replace = true;
  std::function<bool()> Cancelled;
  std::function<void(const std::string &)> Progress;
};

struct ObjectResult {
  BuiltObject Object;
  ObjectDiff Diff;
};

struct LivepatchBuildResult {
  std::vector<ObjectResult> Objects; // one per built translation unit
  ModuleSpec Spec; // what was packaged (per livepatch object: functions, new functions)
  std::string Ko;  // written module path
};

// Changes: applied patch (FileChange from klp/patch.h). Builds the changed translation units
// (changed .c files and the built includers of changed headers), diffs them, packages the module
// to OutKo. Throws klp::Error (no output written) when nothing changed in machine code, a
// function cannot be patched, the compiler mismatches, etc.
LivepatchBuildResult buildLivepatch(const KernelTree &Tree, const std::vector<FileChange> &Changes,
                                    const std::string &OutKo, const LivepatchBuildOptions &Opts);

// The steps of buildLivepatch, for tests and callers that show them.

// Most translation units one build compiles (a changed header included everywhere is refused).
inline constexpr size_t MaxChangedUnits = 50;

// The tree-relative .c files to build, sorted: the changed ones built under the tree's config and
// the built includers of changed headers. Note gets one line per skipped file ("skipping
// fs/foo.c: CONFIG_FOO is not set"). Throws klp::Error when a built .c or .S is deleted, an
// assembly file changed, no built C source is affected, or more than MaxChangedUnits are.
std::vector<std::string>
changedTranslationUnits(const KernelTree &Tree, const std::vector<FileChange> &Changes,
                        const std::function<void(const std::string &)> &Note = {});

// "livepatch_" + the first changed file's stem, with characters outside [A-Za-z0-9_] as '_'.
std::string defaultModuleName(const std::vector<FileChange> &Changes);

// One PatchedObjectSpec per translation unit with something to patch: Changed functions ->
// Functions, New functions -> NewFunctions, New data -> NewData. A Changed read-only data object
// is copied as NewData and every function of the patched object that reads it is patched too.
// Line-only and removed functions are left alone. Throws klp::Error naming the file and symbol
// when changed writable data, or a changed function of a unit built without ftrace, cannot be
// live patched.
std::vector<PatchedObjectSpec> patchedObjects(const std::vector<ObjectResult> &Objects);

// The target symbols file: Opts.SymbolsFile, else $KLP_TARGET_SYMBOLS, else
// ~/.cache/klp-lsp/targets/<Release>/kallsyms. Throws klp::Error (naming scripts/target-symbols)
// when it does not exist.
std::string targetSymbolsFile(const LivepatchBuildOptions &Opts, const std::string &Release);

} // namespace klp
