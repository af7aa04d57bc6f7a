// klp.targetStatus answers what `klp-lsp status --format json` prints (the CLI's golden files
// tests/data/status/<case>.json, and the text rendering in "text"), for the root in its
// argument or the targetRoot setting; bad arguments and unreadable roots are exact errors.
#include "../status/status_root.h"
#include "data_cases.h"
#include "lsp_test_client.h"
#include "text_edits.h"
#include <gtest/gtest.h>

namespace {

using klp::testing::Json;

std::string golden(const std::string &File, const std::string &Root) {
  return klp::test::replaceAll(
      klp::testing::readFile(std::string(KLP_TEST_DATA) + "/data/status/" + File), "@ROOT@", Root);
}

class TargetStatusCommand : public ::testing::Test {
protected:
  void initialize(const Json &Options) {
    C.request(1, "initialize",
              {{"rootUri", nullptr},
               {"capabilities", Json::object()},
               {"initializationOptions", Options}});
    ASSERT_TRUE(C.response(1));
    C.notify("initialized");
  }
  Json command(int Id, const Json &Arguments) {
    C.request(Id, "workspace/executeCommand",
              {{"command", "klp.targetStatus"}, {"arguments", Arguments}});
    std::optional<Json> R = C.response(Id);
    EXPECT_TRUE(R) << "no answer to klp.targetStatus";
    return R ? *R : Json();
  }
  klp::testing::LspTestClient C;
};

TEST_F(TargetStatusCommand, AnswersTheStatusJsonOfTheRootArgument) {
  klp::test::RecordedRoot R;
  R.readySystem();
  initialize(Json::object());
  Json Answer = command(2, Json::array({{{"root", R.root()}}}));
  ASSERT_TRUE(Answer.contains("result")) << Answer.dump();
  Json Result = Answer["result"];
  EXPECT_EQ(Result["text"], golden("ready-no-patches.txt", R.root()));
  Result.erase("text");
  EXPECT_EQ(Result, Json::parse(golden("ready-no-patches.json", R.root())));
}

TEST_F(TargetStatusCommand, ReadsTheTargetRootSettingWithoutArguments) {
  klp::test::RecordedRoot R;
  R.readySystem();
  R.file("proc/sys/kernel/modules_disabled", "1\n");
  initialize({{"targetRoot", R.root()}});
  Json Answer = command(2, Json::array());
  ASSERT_TRUE(Answer.contains("result")) << Answer.dump();
  Json Result = Answer["result"];
  EXPECT_EQ(Result["exitCode"], 1);
  EXPECT_EQ(Result["reasons"],
            Json::array({"modules_disabled is 1: no module can be loaded until reboot"}));
  EXPECT_EQ(Result["text"], golden("modules-disabled.txt", R.root()));
  Result.erase("text");
  EXPECT_EQ(Result, Json::parse(golden("modules-disabled.json", R.root())));
}

TEST_F(TargetStatusCommand, NamesWhatIsWrong) {
  initialize(Json::object());
  Json Missing = command(2, Json::array({{{"root", "/nonexistent/klp-root"}}}));
  EXPECT_EQ(Missing["error"]["code"], -32803);
  EXPECT_EQ(Missing["error"]["message"],
            "klp.targetStatus: root '/nonexistent/klp-root' does not exist");
  Json Relative = command(3, Json::array({{{"root", "relative/dir"}}}));
  EXPECT_EQ(Relative["error"]["code"], -32602);
  EXPECT_EQ(Relative["error"]["message"],
            "klp.targetStatus: \"root\" must be an absolute directory");
  Json Unknown = command(4, Json::array({{{"rot", "/"}}}));
  EXPECT_EQ(Unknown["error"]["message"],
            "klp.targetStatus: unknown argument 'rot' (expected \"root\")");
  C.notify("workspace/didChangeConfiguration",
           {{"settings", {{"klp-lsp", {{"targetRoot", "sys/root"}}}}}});
  // (The workspace has no kernel tree: that message comes too, and is not this one.)
  std::optional<Json> Shown = C.waitFor([](const Json &M) {
    return M.value("method", "") == "window/showMessage" &&
           M["params"].value("message", "").find("targetRoot") != std::string::npos;
  });
  ASSERT_TRUE(Shown);
  EXPECT_EQ((*Shown)["params"]["message"],
            "klp-lsp: setting 'targetRoot' is 'sys/root': expected an absolute directory (/ for "
            "this machine)");
}

} // namespace
