// Several patches given to one `check` form a series (as from `git format-patch` or quilt):
// each applies on top of the result of the ones before it, and the analysis sees one change per
// file, from the tree's text to the text after the last patch.
#pragma once
#include "klp/patch.h"
#include <vector>

namespace klp::cli {

// Applies Patches in order. ReadTree reads the unmodified tree. A single patch gives exactly
// applyPatch's result. In a series, a file only one patch touches keeps that patch's change
// (Source, Lines); a file several patches touch gets Source null and Lines diffed from the two
// texts; a file the series changes back to the tree's text is left out; a rename chain
// a -> b -> c is one rename a -> c.
// Throws klp::Error from applyPatch, naming the patch whose hunk does not apply.
std::vector<FileChange> applySeries(const std::vector<Patch> &Patches, const FileReader &ReadTree);

} // namespace klp::cli
