// Transcript tests: every tests/data/lsp/<case>.transcript is a conversation with the server.
//   -> JSON        a message the client sends (framed by the test)
//   => "STRING"    raw bytes the client sends (a JSON string literal, so \r\n can be written)
//   <- JSON        the message expected next: a response (has "id", no "method") is matched
//                  against the next response, a notification against the next notification
//                  of that method; window/logMessage is never required
//   exit-code N    the server's exit code once its input ends
// "$ROOT" in the text is replaced by a fresh empty directory. Once the transcript ends, any
// message that was not expected (other than window/logMessage) fails the test.
#include "data_cases.h"
#include "lsp_test_client.h"
#include "text_edits.h"
#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>

namespace fs = std::filesystem;
using klp::testing::Json;

namespace {

class Transcript : public ::testing::TestWithParam<std::string> {};

TEST_P(Transcript, Matches) {
  std::string Root = fs::temp_directory_path() / ("klp-transcript-" + std::to_string(::getpid()));
  fs::create_directories(Root);
  std::string Text =
      klp::test::replaceAll(klp::testing::readFile(std::string(KLP_TEST_DATA) + "/data/lsp/" +
                                                   GetParam() + ".transcript"),
                            "$ROOT", Root);
  klp::lsp::ServerOptions O;
  O.Debounce = std::chrono::milliseconds(0);
  klp::testing::LspTestClient C(O);
  std::istringstream In(Text);
  std::string Line;
  int LineNo = 0;
  std::optional<int> ExitCode;
  while (std::getline(In, Line)) {
    ++LineNo;
    SCOPED_TRACE("line " + std::to_string(LineNo) + ": " + Line.substr(0, 120));
    if (Line.starts_with("-> ")) {
      C.send(Json::parse(Line.substr(3)));
    } else if (Line.starts_with("=> ")) {
      C.sendRaw(Json::parse(Line.substr(3)).get<std::string>());
    } else if (Line.starts_with("<- ")) {
      Json Want = Json::parse(Line.substr(3));
      std::optional<Json> Got;
      if (Want.contains("method"))
        Got = C.notification(Want["method"], std::chrono::seconds(20));
      else
        Got = C.waitFor([](const Json &M) { return !M.contains("method"); },
                        std::chrono::seconds(20));
      ASSERT_TRUE(Got) << "no message arrived";
      EXPECT_EQ(Want, *Got);
    } else if (Line.starts_with("exit-code ")) {
      ExitCode = std::stoi(Line.substr(10));
    } else {
      ASSERT_TRUE(Line.empty() || Line.starts_with("#")) << "unknown transcript line";
    }
  }
  int Code = C.finish();
  for (const Json &M : C.drain())
    if (M.value("method", "") != "window/logMessage")
      ADD_FAILURE() << "unexpected message: " << M.dump();
  if (ExitCode)
    EXPECT_EQ(*ExitCode, Code);
  fs::remove_all(Root);
}

INSTANTIATE_TEST_SUITE_P(Lsp, Transcript,
                         ::testing::ValuesIn(klp::testing::caseNames(
                             std::string(KLP_TEST_DATA) + "/data/lsp", ".transcript")),
                         klp::testing::CaseName());

} // namespace
