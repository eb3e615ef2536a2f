// The process-wide thread pool shared by Ember's backends (and by kernels that parallelize).
//
// Sized to the machine by default (online cores); EMBER_NUM_THREADS overrides it, and
// set_num_threads() changes it between runs. A pool of one thread is represented by a null
// pthreadpool, which XNNPACK and parallel_for run inline.
#pragma once

#include <cstddef>

#include <pthreadpool.h>

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

// Lambda convenience wrapper.
template <typename F>
void parallel_for(size_t n, size_t grain, const F& f) {
  parallel_for(
      n, grain, [](void* c, size_t b, size_t e) { (*static_cast<const F*>(c))(b, e); },
      const_cast<void*>(static_cast<const void*>(&f)));
}

}  // namespace threadpool
}  // namespace ember
