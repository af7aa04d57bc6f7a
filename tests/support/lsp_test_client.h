// An in-process LSP client for tests: runs klp::lsp::Server on a pair of pipes in a thread and
// reads its messages on another, so tests talk to the real transport, framing and dispatch.
#pragma once
#include "lsp/framing.h"
#include "lsp/server.h"
#include "lsp/transport.h"
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>

namespace klp::testing {

using Json = nlohmann::json;

class LspTestClient {
public:
  explicit LspTestClient(lsp::ServerOptions O = {},
                         size_t MaxBody = lsp::FrameReader::DefaultMaxBody) {
    int ToServer[2], FromServer[2];
    if (::pipe(ToServer) != 0 || ::pipe(FromServer) != 0)
      throw std::runtime_error("pipe failed");
    ClientOut = ToServer[1];
    ClientIn = FromServer[0];
    T = std::make_unique<lsp::StdioTransport>(ToServer[0], FromServer[1], MaxBody);
    ::close(ToServer[0]); // the transport holds duplicates
    ::close(FromServer[1]);
    ServerThread = std::thread([this, O] {
      {
        lsp::Server S(*T, O);
        ExitCode = S.run();
      }
      T.reset(); // closes the server's end: the reader sees end of input
    });
    ReaderThread = std::thread([this] { readLoop(); });
  }

  ~LspTestClient() { finish(); }

  void sendRaw(const std::string &Bytes) {
    size_t Off = 0;
    while (ClientOut >= 0 && Off < Bytes.size()) {
      ssize_t N = ::write(ClientOut, Bytes.data() + Off, Bytes.size() - Off);
      if (N <= 0)
        return;
      Off += size_t(N);
    }
  }
  void send(const Json &M) { sendRaw(lsp::frameMessage(M.dump())); }
  void request(const Json &Id, const std::string &Method, const Json &Params = Json::object()) {
    send({{"jsonrpc", "2.0"}, {"id", Id}, {"method", Method}, {"params", Params}});
  }
  void notify(const std::string &Method, const Json &Params = Json::object()) {
    send({{"jsonrpc", "2.0"}, {"method", Method}, {"params", Params}});
  }

  // The first message (in arrival order) that Pred accepts; earlier ones stay queued for later
  // calls. nullopt on timeout or when the server closed its output.
  std::optional<Json> waitFor(const std::function<bool(const Json &)> &Pred,
                              std::chrono::milliseconds Timeout = std::chrono::seconds(60)) {
    std::unique_lock<std::mutex> L(Mu);
    auto Deadline = std::chrono::steady_clock::now() + Timeout;
    auto Take = [&]() -> std::optional<Json> {
      for (auto It = Inbox.begin(); It != Inbox.end(); ++It)
        if (Pred(*It)) {
          Json M = std::move(*It);
          Inbox.erase(It);
          return M;
        }
      return std::nullopt;
    };
    for (;;) {
      if (auto M = Take())
        return M;
      if (Closed)
        return std::nullopt;
      if (CV.wait_until(L, Deadline) == std::cv_status::timeout)
        return Take();
    }
  }
  std::optional<Json> response(const Json &Id,
                               std::chrono::milliseconds Timeout = std::chrono::seconds(60)) {
    return waitFor(
        [&](const Json &M) { return !M.contains("method") && M.value("id", Json()) == Id; },
        Timeout);
  }
  std::optional<Json> notification(const std::string &Method,
                                   std::chrono::milliseconds Timeout = std::chrono::seconds(60)) {
    return waitFor(
        [&](const Json &M) { return M.value("method", "") == Method && !M.contains("id"); },
        Timeout);
  }
  std::deque<Json> drain() {
    std::lock_guard<std::mutex> L(Mu);
    std::deque<Json> Out;
    Out.swap(Inbox);
    return Out;
  }
  std::vector<std::string> badFrames() {
    std::lock_guard<std::mutex> L(Mu);
    return BadFrames;
  }

  // Closes the server's input (if still open) and waits for it: the server's exit code.
  int finish() {
    if (ClientOut >= 0) {
      ::close(ClientOut);
      ClientOut = -1;
    }
    if (ServerThread.joinable())
      ServerThread.join();
    if (ReaderThread.joinable())
      ReaderThread.join();
    if (ClientIn >= 0) {
      ::close(ClientIn);
      ClientIn = -1;
    }
    return ExitCode;
  }
  // Whether the server thread finished by itself (after `exit`) within Timeout.
  bool waitServerExit(std::chrono::milliseconds Timeout) {
    std::unique_lock<std::mutex> L(Mu);
    return CV.wait_for(L, Timeout, [&] { return Closed; });
  }

private:
  void readLoop() {
    lsp::FrameReader R;
    char Buf[65536];
    for (;;) {
      ssize_t N = ::read(ClientIn, Buf, sizeof Buf);
      if (N <= 0)
        break;
      R.feed(std::string_view(Buf, size_t(N)));
      while (auto F = R.next()) {
        std::lock_guard<std::mutex> L(Mu);
        if (!F->Error.empty())
          BadFrames.push_back(F->Error);
        else
          Inbox.push_back(Json::parse(F->Body));
        CV.notify_all();
      }
    }
    std::lock_guard<std::mutex> L(Mu);
    Closed = true;
    CV.notify_all();
  }

  int ClientOut = -1, ClientIn = -1;
  std::unique_ptr<lsp::StdioTransport> T;
  std::thread ServerThread, ReaderThread;
  int ExitCode = -1;
  std::mutex Mu;
  std::condition_variable CV;
  std::deque<Json> Inbox;
  std::vector<std::string> BadFrames;
  bool Closed = false;
};

} // namespace klp::testing
