// The changed-object build: the original and the patched object of each changed translation
// unit, compiled with the kernel tree's own command (plus function/data sections) and run
// through objtool as kbuild does, in a build area outside the tree.
#pragma once
#include "klp/error.h"
#include "klp/kernel_tree.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace klp {

struct ObjectBuildOptions {
  std::string BuildDir; // where objects go; empty = ~/.cache/klp-lsp/build/<hash of inputs>
  std::vector<std::string> ExtraFlags = {"-ffunction-sections", "-fdata-sections"};
  bool IpaClones = true;           // add -fdump-ipa-clones; the dump path is returned
  std::function<bool()> Cancelled; // polled between compiles; true -> throws BuildCancelled
  std::function<void(const std::string &)> Progress; // "compiling fs/proc/cmdline.c (original)"
  unsigned Jobs = 2; // compiles run at once (the original and patched side of a unit)
};

struct BuiltObject {             // one translation unit, both sides
  std::string Source;            // tree-relative .c
  BuildInfo Info;                // from KernelTree::buildInfo (object(): "vmlinux" or module)
  std::string Original, Patched; // absolute paths of the .o files (objtool run, as kbuild does)
  std::string OriginalClones, PatchedClones; // -fdump-ipa-clones dumps ("" if none)
};

// Thrown by buildChangedObjects when Options.Cancelled returned true.
class BuildCancelled : public Error {
public:
  BuildCancelled() : Error("the object build was cancelled") {}
};

// Builds original and patched objects of Sources (tree-relative .c) with the tree's own compile
// command (KernelTree::compileCommand) + ExtraFlags, outside the tree. PatchedFiles maps
// tree-relative path -> patched text (sources and headers). Throws klp::Error naming the file
// and showing the compiler's stderr on failure. Never writes into the tree. The build area is
// replaced as a whole by rename once every object is built, so a killed run leaves either the
// previous complete area or none.
std::vector<BuiltObject> buildChangedObjects(const KernelTree &Tree,
                                             const std::vector<std::string> &Sources,
                                             const std::map<std::string, std::string> &PatchedFiles,
                                             const ObjectBuildOptions &Opts);

// Throws klp::Error when the object's .comment compiler does not match the tree's
// CONFIG_CC_VERSION_TEXT (message shows both).
void checkCompilerMatches(const KernelTree &Tree, const std::string &ObjectPath);

// The comparison behind checkCompilerMatches. Comments are the .comment section's strings
// ("GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"); CcVersionText is the first line of
// `$(CC) --version` as Kconfig records it ("gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0").
// Returns a description of the mismatch, or nullopt when every compiler entry matches.
std::optional<std::string> compilerMismatch(const std::vector<std::string> &Comments,
                                            const std::string &CcVersionText);

// The strings of an object's .comment section (libelf). Throws klp::Error naming the file when
// it is not a readable ELF file.
std::vector<std::string> objectComments(const std::string &ObjectPath);

} // namespace klp
