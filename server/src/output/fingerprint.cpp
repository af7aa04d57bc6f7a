#include "output/fingerprint.h"
#include <cctype>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/SHA256.h>

namespace klp::output {

static bool isDigit(char C) { return std::isdigit(static_cast<unsigned char>(C)); }
static bool isWordChar(char C) { return std::isalnum(static_cast<unsigned char>(C)) || C == '_'; }

// Length of "line " or "lines " (any case) starting a word at I, else 0.
static size_t lineWordAt(std::string_view S, size_t I) {
  if (I > 0 && isWordChar(S[I - 1]))
    return 0;
  for (std::string_view W : {"lines ", "line "})
    if (S.size() - I >= W.size() && llvm::StringRef(S.substr(I, W.size())).equals_insensitive(W))
      return W.size();
  return 0;
}

static size_t skipDigits(std::string_view S, size_t I) {
  while (I < S.size() && isDigit(S[I]))
    ++I;
  return I;
}

std::string withoutLineNumbers(std::string_view S) {
  std::string Out;
  size_t I = 0;
  while (I < S.size()) {
    if (S[I] == ':' && I + 1 < S.size() && isDigit(S[I + 1])) {
      Out += ':';
      I = skipDigits(S, I + 1);
      continue;
    }
    if (size_t W = lineWordAt(S, I)) {
      Out.append(S.substr(I, W));
      I += W;
      if (I < S.size() && isDigit(S[I])) {
        I = skipDigits(S, I);
        // A range: "lines 10-12".
        if (I + 1 < S.size() && S[I] == '-' && isDigit(S[I + 1]))
          I = skipDigits(S, I + 1);
      }
      continue;
    }
    Out += S[I++];
  }
  return Out;
}

std::string findingFingerprint(const Finding &F) {
  llvm::SHA256 H;
  // NUL separators keep ("ab","c") and ("a","bc") apart.
  for (const std::string &Part : {F.Rule, F.File, F.Symbol, withoutLineNumbers(F.Message)}) {
    H.update(Part);
    H.update(llvm::StringRef("\0", 1));
  }
  std::array<uint8_t, 32> Digest = H.final();
  return llvm::toHex(llvm::ArrayRef<uint8_t>(Digest.data(), 16), /*LowerCase=*/true);
}

} // namespace klp::output
