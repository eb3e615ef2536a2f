// The process-wide thread pool shared by Ember's backends (and by kernels that parallelize).
//
// Sized to the machine by default (online cores); EMBER_NUM_THREADS overrides it, and
// set_num_threads() changes it between runs. A pool of one thread is represented by a null
// pthreadpool, which XNNPACK and parallel_for run inline.
#pragma once

#include <pthreadpool.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <thread>

namespace ember {
namespace threadpool {

// The shared pool (created on first use); nullptr when running single-threaded.
pthreadpool_t get();
size_t num_threads();
// Recreates the pool with n threads (0: the default). Not to be called while a method runs.
void set_num_threads(size_t n);
// The default: EMBER_NUM_THREADS if set and positive, else the number of online cores.
size_t default_num_threads();

// Runs fn(ctx, begin, end) over [0, n) split into chunks of at least `grain` items.
using RangeFn = void (*)(void* ctx, size_t begin, size_t end);
void parallel_for(size_t n, size_t grain, RangeFn fn, void* ctx);

// Scratch slots claimed by whichever worker runs a work item, for loops split into more items
// than workers (a worker that is slowed down, e.g. on a loaded host, then takes fewer items
// instead of holding up the whole loop). At most num_threads() items run at once, so with at
// least that many slots a claim finds one free at once. Up to 64 slots.
class SlotPool {
 public:
  explicit SlotPool(size_t slots) : slots_(slots < 64 ? slots : 64) {}
  // A free slot index, marked used until release().
  size_t acquire() {
    for (;;) {
      uint64_t used = used_.load(std::memory_order_relaxed);
      for (size_t i = 0; i < slots_; ++i) {
        const uint64_t bit = uint64_t(1) << i;
        if (!(used & bit) &&
            used_.compare_exchange_weak(used, used | bit, std::memory_order_acquire))
          return i;
      }
      std::this_thread::yield();  // all taken: more workers than slots
    }
  }
  void release(size_t i) { used_.fetch_and(~(uint64_t(1) << i), std::memory_order_release); }

 private:
  std::atomic<uint64_t> used_{0};
  size_t slots_;
};

// Lambda convenience wrapper.
template <typename F>
void parallel_for(size_t n, size_t grain, const F& f) {
  parallel_for(
      n, grain, [](void* c, size_t b, size_t e) { (*static_cast<const F*>(c))(b, e); },
      const_cast<void*>(static_cast<const void*>(&f)));
}

}  // namespace threadpool
}  // namespace ember
