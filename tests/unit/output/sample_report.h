// A fixed report with every kind of content the writers print: all severities, related
// locations, a quick fix, a Markdown detail, a compile failure, text that needs escaping, every
// function status.
#pragma once
#include "klp/analysis/check.h"

namespace klp::test {

inline Range range(unsigned L1, unsigned C1, unsigned L2, unsigned C2) {
  return Range{{L1, C1}, {L2, C2}};
}

inline analysis::CheckResult sampleResult() {
  analysis::CheckResult R;
  Finding Layout;
  Layout.Rule = "struct-layout-change";
  Layout.Sev = Severity::Error;
  Layout.File = "fs/ext4/ext4.h";
  Layout.Where = range(1051, 7, 1051, 22);
  Layout.Message = "struct ext4_inode_info changes size (1096 -> 1104 bytes) and the offset of "
                   "i_flags; unchanged code uses it: ext4_iget (fs/ext4/inode.c:4720), "
                   "ext4_evict_inode; use a shadow variable";
  Layout.Symbol = "ext4_inode_info";
  Layout.Detail = "`struct ext4_inode_info`: 1096 -> 1104 bytes\n\n"
                  "| field | type | old offset | old size | new offset | new size | change |\n"
                  "|---|---|---|---|---|---|---|\n"
                  "| `i_flags` | `__u32` | 48 | 4 | 56 | 4 | moved |\n";
  Layout.Related = {{"fs/ext4/inode.c", range(4719, 13, 4719, 22), "ext4_iget uses i_flags"},
                    {"fs/ext4/inode.c", range(169, 5, 169, 21), "ext4_evict_inode uses i_flags"}};
  Fix Shadow;
  Shadow.Title = "Move the new member to a shadow variable";
  Shadow.Edits = {{"fs/ext4/ext4.h", range(1060, 0, 1061, 0), ""},
                  {"fs/ext4/inode.c", range(4730, 1, 4730, 1),
                   "klp_shadow_get_or_alloc(ei, KLP_SHADOW_ID, sizeof(u32), GFP_NOFS, NULL, "
                   "NULL);\n\t"}};
  Layout.Fixes = {Shadow};

  Finding Inline;
  Inline.Rule = "inline-callers";
  Inline.Sev = Severity::Warning;
  Inline.File = "fs/ext4/inode.c";
  Inline.Where = range(99, 19, 99, 37);
  Inline.Message = "static function \"ext4_inode_csum\" is likely inlined into 2 callers "
                   "(line 120, lines 300-310): patch them\tinstead";
  Inline.Symbol = "ext4_inode_csum";
  Inline.Related = {{"fs/ext4/inode.c", range(119, 4, 119, 19), "called from ext4_inode_csum_set"}};

  Finding Compile;
  Compile.Rule = "compile-error";
  Compile.Sev = Severity::Error;
  Compile.File = "fs/ext4/super.c";
  Compile.Where = range(119, 4, 119, 4);
  Compile.Message = "patched code does not compile: use of undeclared identifier 'foo'";

  Finding Changed;
  Changed.Rule = "changed-function";
  Changed.Sev = Severity::Info;
  Changed.File = "fs/ext4/inode.c";
  Changed.Where = range(4719, 13, 4719, 22);
  Changed.Message = "ext4_iget changes; it goes into the livepatch";
  Changed.Symbol = "ext4_iget";

  Finding Fanout;
  Fanout.Rule = "header-fanout";
  Fanout.Sev = Severity::Info;
  Fanout.File = "include/linux/fs.h";
  Fanout.Where = range(0, 0, 0, 0);
  Fanout.Message = "the header change reaches 3 translation units";

  R.Result.Findings = {Layout, Inline, Changed, Compile, Fanout}; // Report::sort order
  R.Result.Functions = {
      {"ext4_iget", "fs/ext4/inode.c", "changed", range(4719, 13, 4719, 22)},
      {"ext4_helper", "fs/ext4/inode.c", "new", range(4800, 12, 4800, 23)},
      {"ext4_old_helper", "fs/ext4/inode.c", "removed", range(4810, 12, 4810, 27)},
      {"ext4_da_write_end", "fs/ext4/inode.c", "line-shift", range(3100, 11, 3100, 28)},
      {"ext4_inode_csum_set", "fs/ext4/inode.c", "inline-caller", range(119, 4, 119, 19)},
  };
  R.Failures = {{"fs/ext4/super.c",
                 true,
                 {"fs/ext4/super.c:120:5: error: use of undeclared identifier 'foo'"}}};
  return R;
}

} // namespace klp::test
