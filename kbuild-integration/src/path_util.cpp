#include "path_util.h"
#include <sstream>
#include <vector>

namespace klp {

std::string normalizeRelPath(const std::string &P) {
  std::vector<std::string> Parts;
  std::istringstream In(P);
  for (std::string Part; std::getline(In, Part, '/');) {
    if (Part.empty() || Part == ".")
      continue;
    if (Part == ".." && !Parts.empty() && Parts.back() != "..")
      Parts.pop_back();
    else
      Parts.push_back(Part);
  }
  std::string R;
  for (const std::string &Part : Parts)
    R += (R.empty() ? "" : "/") + Part;
  return R.empty() ? "." : R;
}

} // namespace klp
