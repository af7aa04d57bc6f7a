#include "lsp/framing.h"
#include <algorithm>
#include <cctype>
#include <charconv>

namespace klp::lsp {

namespace {

std::string lower(std::string_view S) {
  std::string Out(S);
  std::transform(Out.begin(), Out.end(), Out.begin(),
                 [](unsigned char C) { return std::tolower(C); });
  return Out;
}

std::string_view trim(std::string_view S) {
  while (!S.empty() && (S.front() == ' ' || S.front() == '\t'))
    S.remove_prefix(1);
  while (!S.empty() && (S.back() == ' ' || S.back() == '\t' || S.back() == '\r'))
    S.remove_suffix(1);
  return S;
}

} // namespace

void FrameReader::compact() {
  if (Consumed > 0 && (Consumed > 4096 || Consumed * 2 > Buffer.size())) {
    Buffer.erase(0, Consumed);
    Consumed = 0;
  }
}

std::optional<Frame> FrameReader::next() {
  for (;;) {
    std::string_view Avail(Buffer.data() + Consumed, Buffer.size() - Consumed);
    if (SkipBytes) {
      size_t N = std::min(SkipBytes, Avail.size());
      Consumed += N;
      SkipBytes -= N;
      compact();
      if (SkipBytes)
        return std::nullopt;
      continue;
    }
    if (PendingLength) {
      if (Avail.size() < *PendingLength)
        return std::nullopt;
      Frame F{std::string(Avail.substr(0, *PendingLength)), ""};
      Consumed += *PendingLength;
      PendingLength.reset();
      compact();
      return F;
    }
    // Header block: lines up to an empty line. Accept "\n" line ends as well as "\r\n".
    size_t End = std::string_view::npos, BodyStart = 0;
    for (size_t I = Avail.find('\n'); I != std::string_view::npos; I = Avail.find('\n', I + 1)) {
      if (I + 1 < Avail.size() && Avail[I + 1] == '\n') {
        End = I;
        BodyStart = I + 2;
        break;
      }
      if (I + 2 < Avail.size() && Avail[I + 1] == '\r' && Avail[I + 2] == '\n') {
        End = I;
        BodyStart = I + 3;
        break;
      }
    }
    if (End == std::string_view::npos && Avail.size() <= MaxHeader)
      return std::nullopt;
    if (End == std::string_view::npos || End > MaxHeader) {
      // No header ends within the limit: drop everything up to a later "Content-Length".
      size_t Again = lower(Avail.substr(1)).find("content-length:");
      size_t Drop = Again == std::string::npos ? Avail.size() : Again + 1;
      Consumed += Drop;
      compact();
      return Frame{"", "header block larger than " + std::to_string(MaxHeader) +
                           " bytes without an end (expected \"\\r\\n\\r\\n\")"};
    }
    std::string_view Header = Avail.substr(0, End);
    Consumed += BodyStart;
    std::optional<size_t> Length;
    std::string Problem;
    size_t Pos = 0;
    while (Pos <= Header.size() && Problem.empty()) {
      size_t Eol = Header.find('\n', Pos);
      std::string_view Line = trim(
          Header.substr(Pos, Eol == std::string_view::npos ? std::string_view::npos : Eol - Pos));
      Pos = Eol == std::string_view::npos ? Header.size() + 1 : Eol + 1;
      if (Line.empty())
        continue;
      size_t Colon = Line.find(':');
      if (Colon == std::string_view::npos) {
        Problem = "malformed header line '" + std::string(Line.substr(0, 80)) + "'";
        break;
      }
      std::string Name = lower(trim(Line.substr(0, Colon)));
      std::string_view Value = trim(Line.substr(Colon + 1));
      if (Name == "content-length") {
        size_t N = 0;
        auto [Ptr, Ec] = std::from_chars(Value.data(), Value.data() + Value.size(), N);
        if (Ec != std::errc() || Ptr != Value.data() + Value.size() || Value.empty())
          Problem = "invalid Content-Length '" + std::string(Value.substr(0, 40)) + "'";
        else
          Length = N;
      }
    }
    if (Problem.empty() && !Length)
      Problem = "missing Content-Length header";
    if (!Problem.empty()) {
      compact();
      return Frame{"", Problem};
    }
    if (*Length > MaxBody) {
      SkipBytes = *Length;
      return Frame{"", "message of " + std::to_string(*Length) + " bytes exceeds the limit of " +
                           std::to_string(MaxBody) + " bytes"};
    }
    PendingLength = *Length;
  }
}

std::string frameMessage(std::string_view Body) {
  std::string Out = "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n";
  Out.append(Body);
  return Out;
}

} // namespace klp::lsp
