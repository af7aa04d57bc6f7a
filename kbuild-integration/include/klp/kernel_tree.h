// The kernel workspace model: what kbuild does with each file of a prepared tree under its
// .config, found without building the kernel and without writing to the tree.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace klp {

// The exact command kbuild runs to compile one object, as an argv vector (no shell), run
// from Directory (the tree root). Source and Object are tree-relative and normalized; Argv is
// kbuild's own, which names them as the owning Makefile does (arch/x86/kvm/Makefile builds
// virt/kvm/kvm_main.c as "arch/x86/kvm/../../../virt/kvm/kvm_main.c").
struct CompileCommand {
  std::string Directory;
  std::vector<std::string> Argv; // Argv[0] is the compiler (e.g. "gcc-12")
  std::string Source;            // "fs/proc/cmdline.c"
  std::string Object;            // "fs/proc/cmdline.o"
};

// How a source file is built under the tree's configuration.
struct BuildInfo {
  bool Built = false;   // compiled at all under this .config
  bool BuiltIn = false; // linked into vmlinux
  std::string Module;   // module name when built as a module ("ext4"), else empty
  std::string Reason;   // when !Built: why (e.g. "CONFIG_FOO is not set (fs/foo/Makefile)")
  bool Ftrace = false;  // compiled with -pg (ftrace call sites): its functions are patchable
  // The livepatch object name: "vmlinux" or the module name.
  std::string object() const { return BuiltIn ? "vmlinux" : Module; }
};

class KernelTree {
public:
  // Opens a prepared tree. Throws klp::Error when Root is not a kernel tree, or is not prepared
  // (the message names the command that prepares it). CacheDir holds derived data (compile
  // commands, include index) outside the tree; empty means ~/.cache/klp-lsp.
  static std::unique_ptr<KernelTree> open(const std::string &Root,
                                          const std::string &CacheDir = "");
  ~KernelTree();

  const std::string &root() const; // absolute path, no trailing slash
  std::string absolute(const std::string &RelPath) const;
  // Tree-relative form of Path (absolute or relative to the root); nullopt if outside the tree.
  std::optional<std::string> relative(const std::string &Path) const;

  // The compile command of a .c file (tree-relative), from its .o.cmd file when the tree was
  // built, else by asking kbuild for that one object (read-only). Throws klp::Error when the
  // file is not built under this config.
  CompileCommand compileCommand(const std::string &Source) const;
  BuildInfo buildInfo(const std::string &Source) const;

  // Translation units (tree-relative .c files built under this config) that include Header,
  // directly or indirectly, as seen by a conditional-blind scan of #include lines.
  std::vector<std::string> includers(const std::string &Header) const;

  // Every .c file kbuild compiles under this config (tree-relative, sorted). The first call
  // walks kbuild's whole descent (about 15 s on two cores); the result is cached.
  std::vector<std::string> builtSources() const;

  // The value of a CONFIG_ option in .config ("y", "m", a string, or "" when not set).
  std::string config(const std::string &Name) const;

  class Impl;

private:
  explicit KernelTree(std::unique_ptr<Impl> I);
  std::unique_ptr<Impl> I;
};

// gcc-to-clang flag translation: the compile command of a gcc-configured kernel, turned into
// arguments Clang 19 parses with zero spurious errors (gcc-only flags dropped, a target
// added, -Wp,-MMD dependency output and -o removed so nothing is written).
// The result is a full command line: Argv[0] is "clang" (callers substitute their binary),
// then --target= and -Wno-unknown-warning-option, the kernel's flags in their order, the
// warning options kbuild itself adds when CC is clang, and Cmd.Source last (tree-relative: run
// from Cmd.Directory). No -c, -o or -fsyntax-only: what to produce is the caller's business.
std::vector<std::string> clangArgsFor(const CompileCommand &Cmd);

// Symbol versions (modversions CRCs) of the symbols a .c file exports, computed the way kbuild
// does it: the kernel's compiler preprocesses the source with -D__GENKSYMS__ and the tree's
// scripts/genksyms/genksyms reads it. PatchedText replaces the file's contents (it is written
// to a private temporary copy, never into the tree; headers next to the original still resolve
// and __FILE__ keeps the original path). Returns symbol -> CRC; empty when nothing is exported.
// Throws klp::Error when the preprocessor or genksyms fails.
std::map<std::string, unsigned long> symbolVersions(const KernelTree &Tree,
                                                    const CompileCommand &Cmd,
                                                    const std::optional<std::string> &PatchedText);
// The same with several patched files (tree-relative path -> text): the source, if patched,
// and headers it includes, seen through a private mirror searched before the tree.
std::map<std::string, unsigned long>
symbolVersions(const KernelTree &Tree, const CompileCommand &Cmd,
               const std::map<std::string, std::string> &PatchedFiles);

} // namespace klp
