// The kernel_lsp tests' session: the in-process language server (tests/support/lsp_test_client.h)
// initialized on the pinned tree (env KLP_KERNEL_TREE), with documents opened from the tree,
// incremental edits, requests by id, and the expectation files under tests/data/lsp-kernel
// (tree URIs written as "$TREE"; KLP_UPDATE_EXPECTED=1 rewrites them from the actual values).
#pragma once
#include "data_cases.h"
#include "lsp/uri.h"
#include "lsp_test_client.h"
#include "text_edits.h"
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <sstream>

namespace klp::testing {

inline const std::chrono::seconds LspWait{60};

inline std::string kernelTreeRoot() {
  const char *T = std::getenv("KLP_KERNEL_TREE");
  return T ? T : "";
}

#define KLP_LSP_REQUIRE_TREE()                                                                     \
  ASSERT_FALSE(klp::testing::kernelTreeRoot().empty())                                             \
      << "KLP_KERNEL_TREE is not set (scripts/kernel-fixture prints the tree)"

using test::replaceAll;

inline Json range(int L1, int C1, int L2, int C2) {
  return {{"start", {{"line", L1}, {"character", C1}}}, {"end", {{"line", L2}, {"character", C2}}}};
}

// "L:C-L:C", 0-based as LSP counts.
inline std::string rangeText(const Json &R) {
  return std::to_string(R["start"]["line"].get<int>()) + ":" +
         std::to_string(R["start"]["character"].get<int>()) + "-" +
         std::to_string(R["end"]["line"].get<int>()) + ":" +
         std::to_string(R["end"]["character"].get<int>());
}

// "rule severity L:C-L:C" per diagnostic: the summary each test spells out next to its
// expectation file.
inline std::vector<std::string> summary(const Json &Diagnostics) {
  std::vector<std::string> Out;
  for (const Json &D : Diagnostics)
    Out.push_back(D.value("code", "") + " " + std::to_string(D.at("severity").get<int>()) + " " +
                  rangeText(D.at("range")));
  return Out;
}

// One expectation file: a JSON object whose members the test checks one by one.
class Expectations {
public:
  // ReadOnly: another test owns the file (and rewrites it); this one only reads it.
  explicit Expectations(std::string Name, bool ReadOnly = false)
      : Path(std::string(KLP_TEST_DATA) + "/data/lsp-kernel/" + Name),
        Update(!ReadOnly && std::getenv("KLP_UPDATE_EXPECTED") != nullptr) {
    if (!Update)
      Want = Json::parse(readFile(Path));
  }
  ~Expectations() {
    if (Update)
      std::ofstream(Path, std::ios::binary) << Got.dump(2) << "\n";
  }
  // Actual must use "$TREE" for the tree's URI (KernelSession::normalize).
  void check(const std::string &Key, const Json &Actual) {
    if (Update) {
      Got[Key] = Actual;
      return;
    }
    ASSERT_TRUE(Want.contains(Key)) << Path << " has no '" << Key << "'";
    EXPECT_EQ(Want[Key], Actual) << Path << " '" << Key << "'\nexpected: " << Want[Key].dump(2)
                                 << "\nactual: " << Actual.dump(2);
  }
  const Json &operator[](const std::string &Key) const {
    return Update ? Got.at(Key) : Want.at(Key);
  }

private:
  std::string Path;
  bool Update;
  Json Want = Json::object(), Got = Json::object();
};

class KernelSession {
public:
  explicit KernelSession(lsp::ServerOptions O = {}) : Tree(kernelTreeRoot()), C(O) {}
  ~KernelSession() {
    if (!Ended)
      C.finish();
  }

  LspTestClient &client() { return C; }
  std::string uri(const std::string &Rel) const { return lsp::pathToUri(Tree + "/" + Rel); }
  std::string diskText(const std::string &Rel) const { return readFile(Tree + "/" + Rel); }
  // The tree's URI prefix becomes "$TREE", so expectation files do not name the machine's tree.
  Json normalize(const Json &J) const {
    return Json::parse(replaceAll(J.dump(), lsp::pathToUri(Tree), "$TREE"));
  }

  // initialize (rootUri: the tree) and initialized; the initialize response. With Settle, also
  // waits until the analysis `initialized` starts (it opens the tree and the baseline) is done,
  // so that the test's first change gets an analysis of its own.
  Json initialize(const Json &Options = Json::object(), bool Settle = true) {
    Json R = call("initialize", {{"processId", nullptr},
                                 {"rootUri", lsp::pathToUri(Tree)},
                                 {"capabilities", Json::object()},
                                 {"initializationOptions", Options}});
    C.notify("initialized");
    if (Settle)
      settle();
    return R;
  }
  // Returns once the current generation was analysed: klp.checkPatch waits for that (its
  // answer, a result or an error, does not matter here).
  void settle() {
    Json R = call("workspace/executeCommand", {{"command", "klp.checkPatch"}});
    EXPECT_TRUE(R.contains("result") || R.contains("error")) << "klp.checkPatch: " << R.dump();
  }

  // Sends a request with a fresh integer id; the id.
  int send(const std::string &Method, const Json &Params) {
    int Id = NextId++;
    C.request(Id, Method, Params);
    return Id;
  }
  // The whole response message (with "result" or "error"); null on timeout.
  Json response(int Id) {
    std::optional<Json> R = C.response(Id, LspWait);
    return R ? *R : Json();
  }
  Json call(const std::string &Method, const Json &Params) {
    return response(send(Method, Params));
  }

  // Opens Rel with its text in the tree, as version 1.
  void open(const std::string &Rel) {
    Versions[Rel] = 1;
    C.notify("textDocument/didOpen",
             {{"textDocument",
               {{"uri", uri(Rel)}, {"languageId", "c"}, {"version", 1}, {"text", diskText(Rel)}}}});
  }
  // One incremental change of Rel; the new version.
  int edit(const std::string &Rel, const Json &Range, const std::string &Text) {
    int V = ++Versions[Rel];
    C.notify("textDocument/didChange",
             {{"textDocument", {{"uri", uri(Rel)}, {"version", V}}},
              {"contentChanges", Json::array({{{"range", Range}, {"text", Text}}})}});
    return V;
  }
  int insert(const std::string &Rel, int Line, int Character, const std::string &Text) {
    return edit(Rel, range(Line, Character, Line, Character), Text);
  }
  void configure(const Json &Settings) {
    C.notify("workspace/didChangeConfiguration", {{"settings", Settings}});
  }

  // The next textDocument/publishDiagnostics for Rel (in arrival order); null on timeout.
  Json nextPublish(const std::string &Rel) {
    std::string U = uri(Rel);
    std::optional<Json> M = C.waitFor(
        [&](const Json &X) {
          return X.value("method", "") == "textDocument/publishDiagnostics" &&
                 X["params"].value("uri", "") == U;
        },
        LspWait);
    if (!M)
      return Json();
    ++PublishCount[Rel];
    return (*M)["params"];
  }
  // The publish for Rel at Version, skipping (and counting) those of older versions; null on
  // timeout or when a newer version came first.
  Json publishAt(const std::string &Rel, int Version) {
    for (;;) {
      Json P = nextPublish(Rel);
      if (P.is_null() || P.value("version", -1) >= Version)
        return P.value("version", -1) == Version ? P : Json();
    }
  }
  // How many publishes for Rel the helpers above consumed.
  int publishes(const std::string &Rel) { return PublishCount[Rel]; }

  Json showMessage() {
    std::optional<Json> M = C.notification("window/showMessage", LspWait);
    return M ? (*M)["params"] : Json();
  }

  // shutdown answers null, exit ends the server with status 0.
  void shutdownAndExit() {
    Json R = call("shutdown", Json::object());
    EXPECT_EQ(R.value("result", Json("no result")), Json(nullptr)) << R.dump();
    C.notify("exit");
    EXPECT_TRUE(C.waitServerExit(LspWait));
    EXPECT_EQ(C.finish(), 0);
    Ended = true;
  }

  // Everything that arrived and no helper consumed, but window/logMessage.
  std::vector<Json> unconsumed() {
    std::vector<Json> Out;
    for (Json &M : C.drain())
      if (M.value("method", "") != "window/logMessage")
        Out.push_back(std::move(M));
    return Out;
  }

private:
  std::string Tree;
  LspTestClient C;
  int NextId = 1;
  bool Ended = false;
  std::map<std::string, int> Versions, PublishCount;
};

// Position (0-based line, column) of the first occurrence of Needle in Text; {-1, -1} if none.
inline std::pair<int, int> positionOf(const std::string &Text, const std::string &Needle) {
  size_t At = Text.find(Needle);
  if (At == std::string::npos)
    return {-1, -1};
  size_t LineStart = Text.rfind('\n', At);
  LineStart = LineStart == std::string::npos ? 0 : LineStart + 1;
  return {int(std::count(Text.begin(), Text.begin() + At, '\n')), int(At - LineStart)};
}

// Line N (0-based) of Text, without its newline.
inline std::string lineOf(const std::string &Text, int N) {
  std::istringstream In(Text);
  std::string L;
  for (int I = 0; I <= N && std::getline(In, L); ++I)
    if (I == N)
      return L;
  return "";
}

// kernel/acct.c and the edits the tests make to it.
namespace acct {
inline const std::string Path = "kernel/acct.c";
// The field added as the last member of struct bsd_acct_struct, before its "};".
inline const std::string Field = "\tunsigned long\t\tdropped;\n";
inline constexpr int StructEnd = 114;
// A comment line above the struct: typing at its end moves no line of code.
inline constexpr int CommentLine = 43;
inline const std::string CommentText = " * a struct file opened for write. Fixed. 2/6/2000, AV.";

// Checks that the tree still has the lines the edits are written for.
inline void expectPinnedLines(KernelSession &S) {
  std::string Text = S.diskText(Path);
  EXPECT_EQ(lineOf(Text, StructEnd - 1), "\tacct_t\t\t\tac;");
  EXPECT_EQ(lineOf(Text, StructEnd), "};");
  EXPECT_EQ(lineOf(Text, CommentLine), CommentText);
}
inline int addField(KernelSession &S) { return S.insert(Path, StructEnd, 0, Field); }
// Types one character at the end of the comment line (after Typed characters typed before).
inline int typeInComment(KernelSession &S, char C, int Typed = 0) {
  return S.insert(Path, CommentLine, int(CommentText.size()) + Typed, std::string(1, C));
}
} // namespace acct

} // namespace klp::testing
