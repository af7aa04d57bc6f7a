// The pinned prepared tree (env KLP_KERNEL_TREE) opened once per test process, with a cache
// under the build directory shared by the kernel tests.
#pragma once
#include "klp/kernel_tree.h"
#include "klp/patch.h"
#include "text_edits.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>

namespace klp::test {

inline std::string kernelTreePath() {
  const char *T = getenv("KLP_KERNEL_TREE");
  return T ? T : "";
}

inline std::string sharedCacheDir() { return std::string(KLP_BINARY_DIR) + "/kbuild-test-cache"; }

inline const KernelTree &pinnedTree() {
  static std::unique_ptr<KernelTree> T = KernelTree::open(kernelTreePath(), sharedCacheDir());
  return *T;
}

// The text of a tree-relative file of the pinned tree.
inline std::string treeText(const std::string &Rel) { return fileText(pinnedTree().absolute(Rel)); }

// What the language server builds from an edited buffer of a tree file.
inline FileChange bufferChange(const std::string &Rel, const std::string &Patched) {
  FileChange C;
  C.Path = Rel;
  C.Original = treeText(Rel);
  C.Patched = Patched;
  C.Lines = LineMap::fromTexts(*C.Original, Patched);
  return C;
}

} // namespace klp::test

#define KLP_REQUIRE_KERNEL_TREE()                                                                  \
  do {                                                                                             \
    if (klp::test::kernelTreePath().empty())                                                       \
      GTEST_SKIP() << "KLP_KERNEL_TREE is not set (scripts/kernel-fixture prints the tree)";       \
  } while (0)
