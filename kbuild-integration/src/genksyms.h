// Reading genksyms' output (see genksyms.cpp).
#pragma once
#include <map>
#include <string>

namespace klp {

// "#SYMVER name 0xcrc" lines (and the older "__crc_name = 0xcrc;") -> name -> CRC.
std::map<std::string, unsigned long> parseGenksymsOutput(const std::string &Out);

} // namespace klp
