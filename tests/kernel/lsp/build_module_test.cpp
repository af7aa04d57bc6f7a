// klp.buildModule on the pinned tree: an unsaved edit of fs/proc/cmdline.c becomes a livepatch
// module, with $/progress begin, the pipeline's reports and end, and its binary findings join the
// diagnostics of the version it built; then a second build is
// cancelled from its progress notification.
#include "kernel_lsp_session.h"

#include <array>
#include <cstdio>
#include <sys/wait.h>

using namespace klp::testing;
namespace fs = std::filesystem;

namespace {

std::string modinfo(const std::string &Field, const std::string &Ko) {
  std::string Out;
  FILE *P = popen(("/sbin/modinfo -F " + Field + " '" + Ko + "' 2>&1").c_str(), "r");
  if (!P)
    return Out;
  std::array<char, 512> Buf;
  size_t N;
  while ((N = fread(Buf.data(), 1, Buf.size(), P)) > 0)
    Out.append(Buf.data(), N);
  pclose(P);
  return Out;
}

// The $/progress values of Token and then the response to Id, in arrival order.
std::vector<Json> progressUntilResponse(KernelSession &S, int Id, const std::string &Token) {
  std::vector<Json> Seq;
  for (;;) {
    std::optional<Json> M = S.client().waitFor(
        [&](const Json &X) {
          return (X.value("method", "") == "$/progress" && X["params"]["token"] == Token) ||
                 (!X.contains("method") && X.value("id", Json()) == Id);
        },
        std::chrono::seconds(900));
    if (!M)
      return Seq;
    Seq.push_back(*M);
    if (!M->contains("method"))
      return Seq;
  }
}

TEST(BuildModule, EditedCmdlineBecomesALivepatchModule) {
  KLP_LSP_REQUIRE_TREE();
  fs::path Dir = fs::temp_directory_path() / ("klp-build-module-" + std::to_string(::getpid()));
  fs::create_directories(Dir);
  std::string Ko = (Dir / "livepatch_lsp_cmdline.ko").string();

  KernelSession S;
  Json Init = S.initialize();
  EXPECT_EQ(Init["result"]["capabilities"]["executeCommandProvider"]["commands"],
            Json({"klp.checkPatch", "klp.buildModule", "klp.targetStatus"}));
  const std::string File = "fs/proc/cmdline.c";
  S.open(File);
  ASSERT_EQ(lineOf(S.diskText(File), 8), "\tseq_puts(m, saved_command_line);");
  S.edit(File, range(8, 0, 10, 0), "\tseq_printf(m, \"%s\\n\", \"patched from the editor\");\n");

  int Id =
      S.send("workspace/executeCommand",
             {{"command", "klp.buildModule"},
              {"arguments", Json::array({{{"output", Ko}, {"name", "livepatch_lsp_cmdline"}}})},
              {"workDoneToken", "build"}});
  std::vector<Json> Seq = progressUntilResponse(S, Id, "build");
  ASSERT_GE(Seq.size(), 3u);
  EXPECT_EQ(Seq.front()["params"]["value"],
            Json({{"kind", "begin"},
                  {"title", "klp-lsp: building the livepatch module"},
                  {"cancellable", true},
                  {"message", "waiting for the analysis of the changes"}}));
  std::vector<std::string> Reports;
  for (size_t I = 1; I + 2 < Seq.size(); ++I) {
    EXPECT_EQ(Seq[I]["params"]["value"]["kind"], "report") << Seq[I].dump();
    Reports.push_back(Seq[I]["params"]["value"].value("message", ""));
  }
  for (const char *Step : {"compiling fs/proc/cmdline.c (original)",
                           "compiling fs/proc/cmdline.c (patched)", "diffing fs/proc/cmdline.c"})
    EXPECT_NE(std::find(Reports.begin(), Reports.end(), Step), Reports.end())
        << Step << " not reported; reports: " << Json(Reports).dump();
  EXPECT_EQ(Seq[Seq.size() - 2]["params"]["value"],
            Json({{"kind", "end"}, {"message", "built " + Ko}}));
  const Json &Response = Seq.back();
  ASSERT_TRUE(Response.contains("result")) << Response.dump();
  EXPECT_EQ(Response["result"],
            Json({{"ko", Ko},
                  {"objects", Json::array({{{"object", "vmlinux"},
                                            {"functions", {"cmdline_proc_show"}},
                                            {"newFunctions", Json::array()}}})},
                  {"functions", Json::array({{{"name", "cmdline_proc_show"},
                                              {"file", File},
                                              {"status", "changed"}}})}}));
  // The build's binary findings join the diagnostics of the version it built, which the server
  // publishes again: here the ELF diff confirms the source finding, so they are the same.
  Json First = S.publishAt(File, 2);
  Json Again = S.publishAt(File, 2);
  ASSERT_FALSE(Again.is_null());
  ASSERT_EQ(First["diagnostics"].size(), 1u) << First.dump();
  EXPECT_EQ(First["diagnostics"][0]["code"], "changed-function");
  EXPECT_EQ(Again["diagnostics"], First["diagnostics"]);
  ASSERT_TRUE(fs::exists(Ko));
  EXPECT_EQ(modinfo("livepatch", Ko), "Y\n");
  EXPECT_EQ(modinfo("name", Ko), "livepatch_lsp_cmdline\n");

  // A second build, cancelled from its progress: RequestCancelled and one end, no module.
  std::string Ko2 = (Dir / "cancelled.ko").string();
  int Id2 = S.send("workspace/executeCommand", {{"command", "klp.buildModule"},
                                                {"arguments", Json::array({{{"output", Ko2}}})},
                                                {"workDoneToken", "cancel-me"}});
  std::optional<Json> Begin = S.client().waitFor(
      [](const Json &X) {
        return X.value("method", "") == "$/progress" && X["params"]["token"] == "cancel-me";
      },
      LspWait);
  ASSERT_TRUE(Begin);
  EXPECT_EQ((*Begin)["params"]["value"]["kind"], "begin");
  S.client().notify("window/workDoneProgress/cancel", {{"token", "cancel-me"}});
  std::vector<Json> Rest = progressUntilResponse(S, Id2, "cancel-me");
  ASSERT_FALSE(Rest.empty());
  EXPECT_EQ(Rest.back()["error"]["code"], -32800) << Rest.back().dump();
  std::vector<Json> Ends;
  for (const Json &M : Rest)
    if (M.contains("method") && M["params"]["value"]["kind"] == "end")
      Ends.push_back(M["params"]["value"]);
  if (Ends.empty()) { // the cancel handler answers first, then ends the progress
    std::optional<Json> End = S.client().waitFor(
        [](const Json &X) {
          return X.value("method", "") == "$/progress" && X["params"]["token"] == "cancel-me";
        },
        LspWait);
    if (End)
      Ends.push_back((*End)["params"]["value"]);
  }
  EXPECT_EQ(Ends, std::vector<Json>({{{"kind", "end"}, {"message", "cancelled"}}}));

  S.shutdownAndExit();
  EXPECT_FALSE(fs::exists(Ko2));
  fs::remove_all(Dir);
}

} // namespace
