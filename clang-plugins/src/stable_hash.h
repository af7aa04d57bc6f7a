// A deterministic 64-bit FNV-1a hash: summaries are compared across two parses (and may be
// cached across runs), so no per-process seed and no pointer values may enter it.
#pragma once
#include <cstdint>
#include <string_view>

namespace klp::analysis {

class StableHash {
public:
  void add(std::string_view S) {
    addRaw(S);
    addByte(0xff); // separator so "ab"+"c" != "a"+"bc"
  }
  void add(uint64_t V) {
    for (int I = 0; I < 8; ++I)
      addByte(static_cast<unsigned char>(V >> (I * 8)));
  }
  uint64_t value() const { return H; }

private:
  void addRaw(std::string_view S) {
    for (unsigned char C : S)
      addByte(C);
  }
  void addByte(unsigned char C) {
    H ^= C;
    H *= 1099511628211ULL;
  }
  uint64_t H = 14695981039346656037ULL;
};

} // namespace klp::analysis
