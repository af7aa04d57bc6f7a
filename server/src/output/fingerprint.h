// Stable identities for findings, used as SARIF partialFingerprints so that code scanning keeps
// tracking an alert when unrelated edits move it to another line.
#pragma once
#include "klp/findings.h"
#include <string>
#include <string_view>

namespace klp::output {

// Message with the line and column numbers removed: ":123" after a path and the number after
// "line"/"lines" become empty, so "called from foo.c:12" and "foo.c:40" hash the same.
std::string withoutLineNumbers(std::string_view Message);

// Hex SHA-256 prefix (32 digits) of rule, file, symbol and the line-free message.
std::string findingFingerprint(const Finding &F);

} // namespace klp::output
