// The pieces of the changed-object build (klp/object_build.h) that are pure functions of their
// inputs: the compile argv of one side, objtool's arguments, and the build area's naming.
#pragma once
#include "klp/kernel_tree.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace klp {

// One side of a translation unit's build.
struct CompileSide {
  std::string Output;  // absolute path of the .o
  std::string DumpDir; // -dumpdir prefix for -fdump-ipa-clones ("" = no dump)
  // The patched side: the private mirror holding every patched file and a copy of the source
  // at its tree-relative path ("" = the original side, compiling the tree's file as is).
  std::string Mirror;
  std::vector<std::string> MirroredFiles; // tree-relative paths present in Mirror
  std::vector<std::string> ExtraFlags;
};

// kbuild's compile command (run from the tree root) turned into this side's: the depfile
// option (-Wp,-MMD, which writes into the tree) dropped; for the patched side the mirror's
// include directories searched before the tree's, -iquote for the source's tree directory,
// -ffile-prefix-map=MIRROR/= so __FILE__ and debug info name tree paths, the mirrored source
// compiled; ExtraFlags and -fdump-ipa-clones added; "-c -o Output SOURCE" last.
std::vector<std::string> sideCompileArgv(const CompileCommand &Cmd, const CompileSide &Side);

// The directory whose Makefile lists the object ($(obj)): the -o path as kbuild spells it up
// to its first "..": "arch/x86/kvm" for "arch/x86/kvm/../../../virt/kvm/kvm_main.o".
std::string owningDir(const CompileCommand &Cmd);

// Whether objtool processes the object (Makefile.build's is-standard-object): false when the
// owning Makefile says OBJECT_FILES_NON_STANDARD := y for the directory (unless
// OBJECT_FILES_NON_STANDARD_<base>.o := n) or for the object. Assignments are read literally,
// whatever conditional they sit in.
bool isStandardObject(const std::string &MakefileText, const std::string &ObjectBase);

// objtool's arguments before the object (scripts/Makefile.lib's objtool-args) from the
// config (name -> value, "" when unset). PartOfModule adds --module.
std::vector<std::string> objtoolArgs(const std::function<std::string(const std::string &)> &Config,
                                     bool PartOfModule);

// Replaces every occurrence of From in Text by To.
std::string replaceAll(std::string Text, const std::string &From, const std::string &To);

} // namespace klp

namespace klp {

// A build directory replaced as a whole: objects are built under a private staging directory
// next to it and renamed into place by publish(), so the final directory is either a previous
// complete build or this one, never a mix, whenever the process dies. Concurrent builds of the
// same directory are serialized by a lock file next to it; stale staging directories of killed
// runs are removed under that lock.
class BuildArea {
public:
  explicit BuildArea(const std::string &Final);
  ~BuildArea(); // removes the staging directory unless published, releases the lock
  BuildArea(const BuildArea &) = delete;
  BuildArea &operator=(const BuildArea &) = delete;

  const std::string &staging() const { return Staging; }
  const std::string & final() const { return Final; }
  // Where a path under staging() will be once published.
  std::string finalPath(const std::string &StagingPath) const;
  void publish();

private:
  std::string Final, Staging;
  int LockFd = -1;
  bool Published = false;
};

} // namespace klp
