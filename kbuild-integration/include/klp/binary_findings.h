// Binary findings: the ELF diff of one translation unit (klp/elf_diff.h) as findings with the
// rule ids the source analysis uses, placed on the definitions in the patched source so they
// join the source findings (`klp-lsp check --binary`, the language server).
//
// Positions come from a line search of the source text, not from debug information: a
// definition is found by name (kernel style: at the start of a line, or the line that opens it),
// so a function defined by a macro other than SYSCALL_DEFINE, or two definitions of one static
// name under different #ifdefs, land on the first match or, when nothing matches, on line 0 of
// the translation unit's source (the message then says the position is approximate).
#pragma once
#include "klp/elf_diff.h"
#include "klp/findings.h"
#include "klp/patch.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace klp {

struct BinaryFindings {
  std::vector<Finding> Findings;
  std::vector<FunctionChange> Functions; // statuses as in FunctionChange ("inline-caller", ...)
};

// Findings of one translation unit. Source is its tree-relative .c, Object "vmlinux" or the
// module name. Changes are the applied patch (original and patched texts); ReadTree reads files
// the patch does not change (Source itself when only a header it includes changed).
//  - New / Removed functions: new-function / removed-function;
//  - LineOnly: line-macro-shift;
//  - Changed whose definition text changed: changed-function;
//  - Changed whose definition text did not change: inline-callers, one finding per changed
//    callee (from FunctionDiff::InlinedChanged) on the callee's definition, relating every such
//    caller (status "inline-caller"); without a known callee, changed-function saying so;
//  - data: Changed -> data-change, New -> new-data, Removed -> removed-data (__func__ and
//    unnamed compiler data are left out).
BinaryFindings binaryFindings(const std::string &Source, const std::string &Object,
                              const ObjectDiff &Diff, const std::vector<FileChange> &Changes,
                              const FileReader &ReadTree);

// Adds B to R: a finding equal in rule, file and range to one of R's is dropped (its related
// locations R's finding lacks are added to it); a function already listed (name and file) is
// kept as R lists it.
void joinBinaryFindings(Report &R, BinaryFindings B);

// The name of a function's definition in Text (0-based line, byte columns of the name): a line
// search for NAME( whose parenthesis is followed by '{' (after attributes), not ';'. Functions
// made by SYSCALL_DEFINEn(name, ...) are found from __x64_sys_name / __se_sys_name /
// __do_sys_name / __ia32_sys_name. nullopt when there is none.
std::optional<Range> findFunctionDefinition(std::string_view Text, std::string_view Name);

// The text of that definition from its first line to its closing brace ("" when not found).
std::string functionDefinitionText(std::string_view Text, std::string_view Name);

// The name of a variable's definition in Text: NAME followed (after array bounds) by '=', ';'
// or ',' on a line that does not call or declare a function before it. Static locals match too.
std::optional<Range> findVariableDefinition(std::string_view Text, std::string_view Name);

} // namespace klp
