#include "lsp/module_builder.h"

namespace klp::lsp {

ModuleBuilder::~ModuleBuilder() {
  Stop = true;
  std::thread Running;
  {
    std::lock_guard<std::mutex> L(M);
    Running = std::move(T);
  }
  if (Running.joinable())
    Running.join();
}

bool ModuleBuilder::start(std::function<void(const std::function<bool()> &Stopping)> Job,
                          std::function<bool()> Abandoned) {
  std::unique_lock<std::mutex> L(M);
  if (Running && RunningAbandoned && RunningAbandoned())
    Finished.wait_for(L, std::chrono::seconds(10), [this] { return !Running; });
  if (Running)
    return false;
  if (T.joinable())
    T.join(); // the previous build has finished: only its thread is left
  Running = true;
  RunningAbandoned = std::move(Abandoned);
  T = std::thread([this, Job = std::move(Job)] {
    Job([this] { return Stop.load(); });
    std::lock_guard<std::mutex> L(M);
    Running = false;
    Finished.notify_all();
  });
  return true;
}

} // namespace klp::lsp
