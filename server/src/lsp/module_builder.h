// The thread klp.buildModule runs on: builds take tens of seconds, so they run neither on the
// I/O thread nor on the analysis worker (edits keep being analysed meanwhile). One build at a
// time.
#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace klp::lsp {

class ModuleBuilder {
public:
  ModuleBuilder() = default;
  ModuleBuilder(const ModuleBuilder &) = delete;
  ModuleBuilder &operator=(const ModuleBuilder &) = delete;
  ~ModuleBuilder(); // asks the running build to stop (Stopping() turns true) and joins it

  // Runs Job on the build thread. False (and Job is dropped) when a build is still running,
  // unless that build was abandoned (its Abandoned() is true: cancelled, the answer sent): its
  // compiler is being killed, so this waits up to 10 s for it to wind down instead.
  bool start(std::function<void(const std::function<bool()> &Stopping)> Job,
             std::function<bool()> Abandoned = {});

private:
  std::mutex M;
  std::condition_variable Finished;
  std::thread T;
  bool Running = false;
  std::function<bool()> RunningAbandoned;
  std::atomic<bool> Stop{false};
};

} // namespace klp::lsp
