#include "runtime/threadpool/threadpool.h"

#include <unistd.h>

#include <cstdlib>
#include <mutex>

namespace ember {
namespace threadpool {

namespace {
std::mutex g_mu;
pthreadpool_t g_pool = nullptr;
size_t g_threads = 0;  // 0: not created yet

void create_locked(size_t n) {
  if (g_pool) pthreadpool_destroy(g_pool);
  g_pool = nullptr;
  g_threads = n == 0 ? default_num_threads() : n;
  if (g_threads > 1) g_pool = pthreadpool_create(g_threads);
  if (g_pool == nullptr) g_threads = 1;
}

struct Chunked {
  RangeFn fn;
  void* ctx;
  size_t n, chunk;
};

void run_chunk(void* c, size_t i) {
  const Chunked* k = static_cast<const Chunked*>(c);
  size_t b = i * k->chunk, e = b + k->chunk < k->n ? b + k->chunk : k->n;
  k->fn(k->ctx, b, e);
}
}  // namespace

size_t default_num_threads() {
  if (const char* s = getenv("EMBER_NUM_THREADS")) {
    long v = strtol(s, nullptr, 10);
    if (v > 0) return static_cast<size_t>(v);
  }
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<size_t>(n) : 1;
}

pthreadpool_t get() {
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_threads == 0) create_locked(0);
  return g_pool;
}

size_t num_threads() {
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_threads == 0) create_locked(0);
  return g_threads;
}

void set_num_threads(size_t n) {
  std::lock_guard<std::mutex> lock(g_mu);
  create_locked(n);
}

void parallel_for(size_t n, size_t grain, RangeFn fn, void* ctx) {
  if (n == 0) return;
  pthreadpool_t pool = get();
  size_t threads = pool ? pthreadpool_get_threads_count(pool) : 1;
  if (grain == 0) grain = 1;
  if (threads <= 1 || n <= grain) {
    fn(ctx, 0, n);
    return;
  }
  // A few chunks per thread for balance, none smaller than grain.
  size_t chunk = (n + threads * 4 - 1) / (threads * 4);
  if (chunk < grain) chunk = grain;
  Chunked k{fn, ctx, n, chunk};
  pthreadpool_parallelize_1d(pool, run_chunk, &k, (n + chunk - 1) / chunk, 0);
}

}  // namespace threadpool
}  // namespace ember
