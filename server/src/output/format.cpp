#include "output/format.h"

namespace klp::output {

std::optional<Format> parseFormat(std::string_view Name) {
  if (Name == "text")
    return Format::Text;
  if (Name == "json")
    return Format::Json;
  if (Name == "sarif")
    return Format::Sarif;
  return std::nullopt;
}

std::string formatReport(Format F, const analysis::CheckResult &R, const OutputContext &Ctx) {
  switch (F) {
  case Format::Text:
    return formatText(R);
  case Format::Json:
    return formatJson(R, Ctx);
  case Format::Sarif:
    return formatSarif(R, Ctx);
  }
  return formatText(R);
}

} // namespace klp::output
