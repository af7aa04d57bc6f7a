// Derived properties of a Report: the severity names, the verdict and a deterministic order.
#include "klp/findings.h"
#include <algorithm>
#include <tuple>

namespace klp {

const char *severityName(Severity S) {
  switch (S) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Info:
    return "info";
  }
  return "info";
}

static bool hasSeverity(const Report &R, Severity S) {
  return std::any_of(R.Findings.begin(), R.Findings.end(),
                     [S](const Finding &F) { return F.Sev == S; });
}

std::string Report::verdict() const {
  if (hasSeverity(*this, Severity::Error))
    return "unsafe";
  if (hasSeverity(*this, Severity::Warning))
    return "needs-care";
  return "safe";
}

bool Report::hasError() const { return hasSeverity(*this, Severity::Error); }

void Report::sort() {
  // stable_sort keeps the analysis' order between findings that compare equal, so two runs
  // over the same input print the same thing.
  std::stable_sort(Findings.begin(), Findings.end(), [](const Finding &A, const Finding &B) {
    return std::tie(A.File, A.Where.Start, A.Where.End, A.Rule, A.Message) <
           std::tie(B.File, B.Where.Start, B.Where.End, B.Rule, B.Message);
  });
}

} // namespace klp
