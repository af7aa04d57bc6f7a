// Building, storing and querying the include graph (see include_index.h).
//
// Resolution: a quoted include is looked up next to the including file first; then every
// configuration's search list starts with the same directories (LINUXINCLUDE), so a name
// found there resolves the same for all of them and gets the "every configuration" label.
// Only names found nowhere in that common prefix (driver-local -I directories, -iquote) are
// resolved per configuration, and their edges carry the set of configurations they hold for.
// A query walks the reverse graph from the header, propagating configuration sets.
#include "include_index.h"
#include "path_util.h"

#include <algorithm>
#include <deque>
#include <dirent.h>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <unordered_set>

namespace klp {

class IncludeIndexBuilder {
public:
  IncludeIndexBuilder(const std::string &Root, IncludeIndex &X) : Root(Root), X(X) {}

  void run(const std::vector<IncludeTu> &Tus) {
    std::map<std::string, unsigned> ConfigIds;
    for (const IncludeTu &T : Tus) {
      auto [It, New] = ConfigIds.emplace(T.Search.key(), Configs.size());
      if (New)
        Configs.push_back(T.Search);
      TuConfig.emplace_back(T.Source, It->second);
    }
    X.Configs = Configs.size();
    Words = (X.Configs + 63) / 64;
    X.Labels.push_back(Bits(Words, ~0ULL)); // label 0: every configuration
    X.Edges.clear();
    commonPrefix();
    std::deque<uint32_t> Queue;
    auto reach = [&](uint32_t Id) {
      if (Id >= Visited.size())
        Visited.resize(Id + 1, false);
      if (!Visited[Id]) {
        Visited[Id] = true;
        Queue.push_back(Id);
      }
    };
    // Translation units, with their forced includes as edges under their own configuration.
    for (const auto &[Source, C] : TuConfig) {
      uint32_t F = X.intern(Source);
      X.Tus.emplace_back(F, C);
      reach(F);
      Bits Only(Words, 0);
      Only[C / 64] |= 1ULL << (C % 64);
      uint32_t L = X.internLabel(Only);
      for (const std::string &Forced : Configs[C].Forced) {
        std::optional<uint32_t> T = exists(Forced);
        if (!T)
          T = searchFor(Configs[C], Forced, /*Quoted=*/true, Prefix.size());
        if (T) {
          edgesOf(F).push_back({*T, L});
          reach(*T);
        }
      }
    }
    while (!Queue.empty()) {
      uint32_t F = Queue.front();
      Queue.pop_front();
      std::string Path = X.Paths[F];
      for (const IncludeDirective &D : directivesOf(Path)) {
        for (const IncludeIndex::Edge &E : resolve(Path, D)) {
          edgesOf(F).push_back(E);
          reach(E.Target);
        }
      }
    }
    X.Edges.resize(X.Paths.size());
  }

private:
  using Bits = std::vector<uint64_t>;
  std::string Root;
  IncludeIndex &X;
  std::vector<SearchConfig> Configs;
  std::vector<std::pair<std::string, unsigned>> TuConfig;
  size_t Words = 1;
  std::vector<std::string> Prefix; // the search directories every configuration starts with
  bool AnyQuote = false;
  std::vector<bool> Visited;
  std::unordered_map<std::string, std::unordered_set<std::string>> Listings;
  std::map<std::pair<bool, std::string>, std::vector<IncludeIndex::Edge>> Memo;

  std::vector<IncludeIndex::Edge> &edgesOf(uint32_t F) {
    if (F >= X.Edges.size())
      X.Edges.resize(F + 1);
    return X.Edges[F];
  }

  void commonPrefix() {
    if (Configs.empty())
      return;
    Prefix = Configs[0].Angle;
    for (const SearchConfig &C : Configs) {
      size_t N = 0;
      while (N < Prefix.size() && N < C.Angle.size() && Prefix[N] == C.Angle[N])
        ++N;
      Prefix.resize(N);
      AnyQuote |= !C.Quote.empty();
    }
  }

  // The regular files of a tree directory, read once.
  const std::unordered_set<std::string> &listing(const std::string &Dir) {
    auto It = Listings.find(Dir);
    if (It != Listings.end())
      return It->second;
    std::unordered_set<std::string> Names;
    std::string Abs = Dir.empty() ? Root : Root + "/" + Dir;
    if (DIR *D = opendir(Abs.c_str())) {
      while (dirent *E = readdir(D)) {
        bool Reg = E->d_type == DT_REG;
        if (E->d_type == DT_LNK || E->d_type == DT_UNKNOWN) {
          struct stat St;
          Reg = stat((Abs + "/" + E->d_name).c_str(), &St) == 0 && S_ISREG(St.st_mode);
        }
        if (Reg)
          Names.insert(E->d_name);
      }
      closedir(D);
    }
    return Listings.emplace(Dir, std::move(Names)).first->second;
  }

  std::optional<uint32_t> exists(const std::string &RelPath) {
    std::string P = normalizeRelPath(RelPath);
    if (P.empty() || P.starts_with("../") || P == "..")
      return std::nullopt;
    size_t Slash = P.rfind('/');
    std::string Dir = Slash == std::string::npos ? "" : P.substr(0, Slash);
    if (!listing(Dir).count(P.substr(Slash + 1)))
      return std::nullopt;
    return X.intern(P);
  }

  std::optional<uint32_t> findIn(const std::string &Dir, const std::string &Name) {
    return exists(Dir == "." ? Name : Dir + "/" + Name);
  }

  // The search of one configuration from position From of its -I list (quote dirs first for a
  // quoted include).
  std::optional<uint32_t> searchFor(const SearchConfig &C, const std::string &Name, bool Quoted,
                                    size_t From) {
    if (Quoted)
      for (const std::string &D : C.Quote)
        if (std::optional<uint32_t> T = findIn(D, Name))
          return T;
    for (size_t K = From; K < C.Angle.size(); ++K)
      if (std::optional<uint32_t> T = findIn(C.Angle[K], Name))
        return T;
    return std::nullopt;
  }

  std::vector<IncludeDirective> directivesOf(const std::string &Path) {
    std::ifstream In(Root + "/" + Path, std::ios::binary);
    std::stringstream S;
    S << In.rdbuf();
    return scanIncludes(S.str());
  }

  // Groups per-configuration results into labelled edges.
  std::vector<IncludeIndex::Edge> group(const std::vector<std::optional<uint32_t>> &PerConfig) {
    std::map<uint32_t, Bits> By;
    for (size_t C = 0; C < PerConfig.size(); ++C)
      if (PerConfig[C]) {
        Bits &B = By.try_emplace(*PerConfig[C], Bits(Words, 0)).first->second;
        B[C / 64] |= 1ULL << (C % 64);
      }
    std::vector<IncludeIndex::Edge> R;
    for (const auto &[T, B] : By)
      R.push_back({T, X.internLabel(B)});
    return R;
  }

  std::vector<IncludeIndex::Edge> resolve(const std::string &Path, const IncludeDirective &D) {
    size_t Slash = Path.rfind('/');
    std::string Dir = Slash == std::string::npos ? "." : Path.substr(0, Slash);
    if (D.Next) {
      // #include_next: continue each configuration's search after the directory this file
      // was found in.
      std::vector<std::optional<uint32_t>> Per(Configs.size());
      for (size_t C = 0; C < Configs.size(); ++C) {
        const std::vector<std::string> &A = Configs[C].Angle;
        size_t From = 0;
        for (size_t K = 0; K < A.size(); ++K)
          if (normalizeRelPath(A[K] + "/" + D.Name) == Path)
            From = K + 1;
        Per[C] = searchFor(Configs[C], D.Name, false, From);
      }
      return group(Per);
    }
    if (!D.Angled)
      if (std::optional<uint32_t> T = findIn(Dir, D.Name))
        return {{*T, 0}};
    auto Key = std::make_pair(D.Angled, D.Name);
    auto It = Memo.find(Key);
    if (It != Memo.end())
      return It->second;
    std::optional<uint32_t> Common;
    for (const std::string &P : Prefix)
      if ((Common = findIn(P, D.Name)))
        break;
    std::vector<IncludeIndex::Edge> R;
    if (Common && (D.Angled || !AnyQuote)) {
      R = {{*Common, 0}};
    } else {
      std::vector<std::optional<uint32_t>> Per(Configs.size());
      for (size_t C = 0; C < Configs.size(); ++C) {
        if (!D.Angled)
          for (const std::string &Q : Configs[C].Quote)
            if ((Per[C] = findIn(Q, D.Name)))
              break;
        if (!Per[C])
          Per[C] = Common ? Common : searchFor(Configs[C], D.Name, false, Prefix.size());
      }
      R = group(Per);
    }
    Memo.emplace(Key, R);
    return R;
  }
};

uint32_t IncludeIndex::intern(const std::string &Path) {
  auto [It, New] = Ids.emplace(Path, Paths.size());
  if (New)
    Paths.push_back(Path);
  return It->second;
}

uint32_t IncludeIndex::internLabel(const Bits &B) {
  for (uint32_t K = 0; K < Labels.size(); ++K)
    if (Labels[K] == B)
      return K;
  Labels.push_back(B);
  return Labels.size() - 1;
}

std::unique_ptr<IncludeIndex> IncludeIndex::build(const std::string &Root,
                                                  const std::vector<IncludeTu> &Tus) {
  auto X = std::make_unique<IncludeIndex>();
  IncludeIndexBuilder(Root, *X).run(Tus);
  return X;
}

size_t IncludeIndex::edgeCount() const {
  size_t N = 0;
  for (const auto &E : Edges)
    N += E.size();
  return N;
}

// Text form: a header line, the configuration count, the labels (hex words), the files with
// their edges ("target:label"), the translation units ("file config").
std::string IncludeIndex::save() const {
  std::ostringstream O;
  O << "klp-include-index 1\n"
    << Configs << " " << Labels.size() << " " << Paths.size() << " " << Tus.size() << "\n";
  for (const Bits &B : Labels) {
    for (uint64_t W : B)
      O << std::hex << W << std::dec << " ";
    O << "\n";
  }
  for (size_t F = 0; F < Paths.size(); ++F) {
    O << Paths[F];
    if (F < Edges.size())
      for (const Edge &E : Edges[F])
        O << " " << E.Target << ":" << E.Label;
    O << "\n";
  }
  for (const auto &[F, C] : Tus)
    O << F << " " << C << "\n";
  return O.str();
}

std::unique_ptr<IncludeIndex> IncludeIndex::load(const std::string &Text) {
  auto X = std::make_unique<IncludeIndex>();
  std::istringstream In(Text);
  std::string Magic;
  std::getline(In, Magic);
  if (Magic != "klp-include-index 1")
    return nullptr;
  size_t NLabels = 0, NFiles = 0, NTus = 0;
  In >> X->Configs >> NLabels >> NFiles >> NTus;
  size_t Words = (X->Configs + 63) / 64;
  for (size_t K = 0; K < NLabels; ++K) {
    Bits B(Words);
    for (uint64_t &W : B)
      In >> std::hex >> W >> std::dec;
    X->Labels.push_back(std::move(B));
  }
  std::string Line;
  std::getline(In, Line);
  X->Edges.resize(NFiles);
  for (size_t F = 0; F < NFiles && std::getline(In, Line); ++F) {
    std::istringstream L(Line);
    std::string Path;
    L >> Path;
    X->Ids.emplace(Path, X->Paths.size());
    X->Paths.push_back(Path);
    for (std::string E; L >> E;) {
      size_t Colon = E.find(':');
      X->Edges[F].push_back({static_cast<uint32_t>(std::stoul(E.substr(0, Colon))),
                             static_cast<uint32_t>(std::stoul(E.substr(Colon + 1)))});
    }
  }
  for (size_t K = 0; K < NTus; ++K) {
    uint32_t F, C;
    if (!(In >> F >> C))
      return nullptr;
    X->Tus.emplace_back(F, C);
  }
  if (X->Paths.size() != NFiles)
    return nullptr;
  return X;
}

std::vector<std::string> IncludeIndex::includers(const std::string &Header) const {
  std::lock_guard<std::mutex> L(QueryMu);
  auto M = Memo.find(Header);
  if (M != Memo.end())
    return M->second;
  if (Reverse.empty()) {
    Reverse.resize(Paths.size());
    for (uint32_t F = 0; F < Edges.size(); ++F)
      for (const Edge &E : Edges[F])
        Reverse[E.Target].push_back({F, E.Label});
  }
  std::vector<std::string> Result;
  auto H = Ids.find(Header);
  if (H != Ids.end()) {
    size_t Words = (Configs + 63) / 64;
    std::vector<Bits> State(Paths.size());
    State[H->second] = Labels[0];
    std::deque<uint32_t> Work = {H->second};
    while (!Work.empty()) {
      uint32_t G = Work.front();
      Work.pop_front();
      for (const Edge &E : Reverse[G]) {
        Bits &S = State[E.Target];
        if (S.empty())
          S.assign(Words, 0);
        bool Grew = false;
        for (size_t W = 0; W < Words; ++W) {
          uint64_t New = State[G][W] & Labels[E.Label][W] & ~S[W];
          if (New) {
            S[W] |= New;
            Grew = true;
          }
        }
        if (Grew)
          Work.push_back(E.Target);
      }
    }
    std::set<std::string> Set;
    for (const auto &[F, C] : Tus)
      if (F != H->second && !State[F].empty() && (State[F][C / 64] >> (C % 64) & 1))
        Set.insert(Paths[F]);
    Result.assign(Set.begin(), Set.end());
  }
  Memo.emplace(Header, Result);
  return Result;
}

} // namespace klp
