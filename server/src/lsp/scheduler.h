// Keeps analysis off the I/O thread: one worker runs the latest requested generation after a
// debounce delay. Requests that arrive while it runs collapse into one follow-up run, so a flood
// of edits costs at most one analysis in flight plus one queued.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

namespace klp::lsp {

class Scheduler {
public:
  // Work(requested generation) runs on the worker thread and returns the generation it really
  // covered (it may snapshot a newer state than requested): requests up to that one are done.
  Scheduler(std::function<uint64_t(uint64_t Generation)> Work, std::chrono::milliseconds Debounce);
  ~Scheduler(); // stops after the run in progress, if any
  // Asks for a run of Generation, Delay after the last request (the debounce).
  void request(uint64_t Generation);
  void setDebounce(std::chrono::milliseconds D);
  // True while a run is queued or in progress.
  bool busy() const;

private:
  void loop();
  std::function<uint64_t(uint64_t)> Work;
  std::chrono::milliseconds Debounce;
  mutable std::mutex M;
  std::condition_variable CV;
  uint64_t Requested = 0, Done = 0;
  bool Running = false, Stop = false;
  std::chrono::steady_clock::time_point Due;
  std::thread Worker;
};

} // namespace klp::lsp
