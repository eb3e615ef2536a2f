// ember-run: runs a program file with the C++ runtime.
//   ember-run --model m.ember [--input x.npy ...] [--output-dir out/] [--iterations 20] [--warmup 3]
//             [--profile]
// Inputs default to uniform random values in [-1, 1). Prints latency median/min/max and memory;
// --profile adds where the time goes: per operator (portable kernel or backend delegate) and the
// slowest instructions, so an op left on a slow path is visible at a glance.
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "extension/module/module.h"
#include "runtime/platform/platform.h"
#include "tools/npy.h"

namespace {

int usage() {
  fprintf(stderr,
          "usage: ember-run --model FILE [--method forward] [--input X.npy]... [--output-dir DIR]\n"
          "                 [--iterations N] [--warmup N] [--no-mmap] [--profile]\n");
  return 2;
}

void fill_random(ember::ScalarType t, void* data, int64_t n, std::mt19937& rng) {
  std::uniform_real_distribution<float> uf(-1.f, 1.f);
  std::uniform_int_distribution<int> ui(0, 9);
  for (int64_t i = 0; i < n; ++i) {
    switch (t) {
      case ember::ScalarType::Float32: static_cast<float*>(data)[i] = uf(rng); break;
      case ember::ScalarType::Float64: static_cast<double*>(data)[i] = uf(rng); break;
      case ember::ScalarType::Int64: static_cast<int64_t*>(data)[i] = ui(rng); break;
      case ember::ScalarType::Int32: static_cast<int32_t*>(data)[i] = ui(rng); break;
      case ember::ScalarType::Bool: static_cast<bool*>(data)[i] = ui(rng) & 1; break;
      default: memset(static_cast<uint8_t*>(data) + i * ember::element_size(t), 0, ember::element_size(t));
    }
  }
}

// Per-operator totals and the ten slowest instructions, in ms per iteration.
void print_profile(const ember::Method& method, const std::vector<uint64_t>& ns, int iterations) {
  struct Row {
    std::string name;
    uint64_t ns = 0;
    int count = 0;
  };
  std::vector<Row> by_op;
  std::vector<std::pair<uint64_t, size_t>> by_instruction;
  uint64_t total = 0;
  char name[160];
  for (size_t i = 0; i < ns.size(); ++i) {
    method.instruction_name(i, name, sizeof(name));
    auto it = std::find_if(by_op.begin(), by_op.end(), [&](const Row& r) { return r.name == name; });
    if (it == by_op.end()) it = by_op.insert(by_op.end(), Row{name, 0, 0});
    it->ns += ns[i];
    it->count += 1;
    total += ns[i];
    by_instruction.emplace_back(ns[i], i);
  }
  std::sort(by_op.begin(), by_op.end(), [](const Row& a, const Row& b) { return a.ns > b.ns; });
  std::sort(by_instruction.rbegin(), by_instruction.rend());
  const double per = 1e6 * iterations;
  printf("profile (ms per iteration; %.3f ms in instructions):\n", total / per);
  printf("  %10s %6s %6s  %s\n", "ms", "%", "calls", "operator");
  for (const Row& r : by_op)
    printf("  %10.3f %6.1f %6d  %s\n", r.ns / per, total ? 100.0 * r.ns / total : 0.0, r.count, r.name.c_str());
  printf("  slowest instructions:\n");
  for (size_t k = 0; k < by_instruction.size() && k < 10; ++k) {
    method.instruction_name(by_instruction[k].second, name, sizeof(name));
    printf("  %10.3f  #%zu %s\n", by_instruction[k].first / per, by_instruction[k].second, name);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string model, method = "forward", out_dir;
  std::vector<std::string> input_paths;
  int iterations = 1, warmup = 1;
  bool mmap = true, profile = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (a == "--model" && (v = next())) model = v;
    else if (a == "--method" && (v = next())) method = v;
    else if (a == "--input" && (v = next())) input_paths.push_back(v);
    else if (a == "--output-dir" && (v = next())) out_dir = v;
    else if (a == "--iterations" && (v = next())) iterations = std::max(1, atoi(v));
    else if (a == "--warmup" && (v = next())) warmup = std::max(0, atoi(v));
    else if (a == "--no-mmap") mmap = false;
    else if (a == "--profile") profile = true;
    else return usage();
  }
  if (model.empty()) return usage();

  uint64_t t0 = ember::platform::now_ns();
  ember::Module m(model, mmap ? ember::Module::LoadMode::Mmap : ember::Module::LoadMode::Read);
  ember::Status st = m.load_method(method);
  if (!st.ok()) {
    fprintf(stderr, "error: %s: %s\n", ember::error_name(st.code()), st.message());
    return 1;
  }
  double load_ms = (ember::platform::now_ns() - t0) / 1e6;
  ember::MethodMeta meta = *m.method_meta(method);

  std::vector<ember::tools::NpyArray> arrays(meta.num_inputs());
  std::vector<ember::Tensor> inputs;
  if (!input_paths.empty() && input_paths.size() != meta.num_inputs()) {
    fprintf(stderr, "error: method '%s' takes %zu inputs, %zu given\n", method.c_str(), meta.num_inputs(),
            input_paths.size());
    return 1;
  }
  std::mt19937 rng(0);
  for (size_t i = 0; i < meta.num_inputs(); ++i) {
    ember::TensorInfo info = *meta.input_info(i);
    if (!input_paths.empty()) {
      auto r = ember::tools::read_npy(input_paths[i]);
      if (!r.ok()) {
        fprintf(stderr, "error: %s\n", r.status().message());
        return 1;
      }
      arrays[i] = std::move(r.get());
    } else {
      arrays[i].dtype = info.dtype;
      arrays[i].shape.assign(info.sizes, info.sizes + info.dim);
      arrays[i].data.resize(info.nbytes);
      fill_random(info.dtype, arrays[i].data.data(), static_cast<int64_t>(info.nbytes / ember::element_size(info.dtype)), rng);
    }
    inputs.emplace_back(arrays[i].dtype, static_cast<int>(arrays[i].shape.size()), arrays[i].shape.data(),
                        arrays[i].data.data());
  }
  if (input_paths.empty()) printf("inputs: random uniform [-1, 1) (seed 0)\n");

  std::vector<double> times;
  std::vector<ember::Tensor> outs;
  std::vector<uint64_t> instruction_ns(meta.num_instructions(), 0);
  ember::Method* loaded = profile ? *m.method(method) : nullptr;
  for (int it = 0; it < warmup + iterations; ++it) {
    if (loaded && it == warmup) {  // profile the timed iterations only
      st = loaded->set_instruction_times(instruction_ns.data(), instruction_ns.size());
      if (!st.ok()) {
        fprintf(stderr, "error: %s\n", st.message());
        return 1;
      }
    }
    uint64_t s = ember::platform::now_ns();
    auto r = m.execute(method, inputs);
    uint64_t e = ember::platform::now_ns();
    if (!r.ok()) {
      fprintf(stderr, "error: %s: %s\n", ember::error_name(r.status().code()), r.status().message());
      return 1;
    }
    outs = std::move(r.get());
    if (it >= warmup) times.push_back((e - s) / 1e6);
  }
  std::sort(times.begin(), times.end());
  printf("model: %s (method %s, %zu instructions)\n", model.c_str(), method.c_str(), meta.num_instructions());
  printf("load: %.2f ms (%s)\n", load_ms, mmap ? "mmap" : "read");
  size_t arena = 0;
  for (size_t i = 0; i < meta.num_arenas(); ++i) arena += meta.arena_size(i);
  printf("planned memory: %zu bytes arena, %zu bytes total with bookkeeping\n", arena, m.planned_bytes(method));
  printf("latency over %d iterations: median %.3f ms, min %.3f ms, max %.3f ms\n", iterations,
         times[times.size() / 2], times.front(), times.back());
  if (loaded) {
    loaded->set_instruction_times(nullptr, 0);
    print_profile(*loaded, instruction_ns, iterations);
  }
  if (!out_dir.empty()) {
    mkdir(out_dir.c_str(), 0755);
    for (size_t i = 0; i < outs.size(); ++i) {
      std::string p = out_dir + "/output_" + std::to_string(i) + ".npy";
      ember::Status ws = ember::tools::write_npy(p, outs[i].dtype(), outs[i].sizes(), outs[i].dim(), outs[i].data(),
                                                 outs[i].nbytes());
      if (!ws.ok()) {
        fprintf(stderr, "error: %s\n", ws.message());
        return 1;
      }
      printf("wrote %s\n", p.c_str());
    }
  }
  return 0;
}
