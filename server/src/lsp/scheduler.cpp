#include "lsp/scheduler.h"
#include <algorithm>

namespace klp::lsp {

Scheduler::Scheduler(std::function<uint64_t(uint64_t)> Work, std::chrono::milliseconds Debounce)
    : Work(std::move(Work)), Debounce(Debounce), Worker([this] { loop(); }) {}

Scheduler::~Scheduler() {
  {
    std::lock_guard<std::mutex> L(M);
    Stop = true;
  }
  CV.notify_all();
  Worker.join();
}

void Scheduler::request(uint64_t Generation) {
  {
    std::lock_guard<std::mutex> L(M);
    if (Generation > Requested)
      Requested = Generation;
    Due = std::chrono::steady_clock::now() + Debounce;
  }
  CV.notify_all();
}

void Scheduler::setDebounce(std::chrono::milliseconds D) {
  std::lock_guard<std::mutex> L(M);
  Debounce = D;
}

bool Scheduler::busy() const {
  std::lock_guard<std::mutex> L(M);
  return Running || Requested > Done;
}

void Scheduler::loop() {
  std::unique_lock<std::mutex> L(M);
  for (;;) {
    CV.wait(L, [&] { return Stop || Requested > Done; });
    if (Stop)
      return;
    // Debounce: wait until no request came for the delay.
    while (!Stop && std::chrono::steady_clock::now() < Due)
      CV.wait_until(L, Due);
    if (Stop)
      return;
    uint64_t G = Requested;
    Running = true;
    L.unlock();
    uint64_t Covered = std::max(G, Work(G));
    L.lock();
    Running = false;
    if (Covered > Done)
      Done = Covered;
  }
}

} // namespace klp::lsp
