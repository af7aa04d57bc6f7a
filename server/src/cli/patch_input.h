#pragma once
#include "klp/kernel_tree.h"
#include "klp/patch.h"
#include <memory>
#include <string>
#include <vector>

namespace klp::cli {

// Reads and parses one PATCH argument: a file, or "-" for standard input (named "<stdin>").
// Throws klp::Error "cannot read patch 'PATH': reason", or parsePatch's "NAME:LINE: ..." error.
Patch loadPatch(const std::string &Arg);

// A prepared tree opened for a command, with a series of patches applied to its text.
struct PatchedTree {
  std::vector<Patch> Patches; // Changes point into them (FileChange::Source)
  std::unique_ptr<KernelTree> Tree;
  FileReader ReadTree; // reads the unmodified tree; nullopt for a missing file
  std::vector<FileChange> Changes;
};

// The shared front of `check` and `build`: loads every PATCH argument (none means "-") before
// opening the tree at Root (so a bad patch fails fast), then applySeries. Throws klp::Error from
// loadPatch, KernelTree::open, a tree file that cannot be read, or applySeries.
PatchedTree openPatchedTree(const std::string &Root, const std::string &CacheDir,
                            std::vector<std::string> PatchArgs);

} // namespace klp::cli
