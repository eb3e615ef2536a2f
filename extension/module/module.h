// ember::Module: the application-facing API. Loads a program file, allocates the planned
// memory once, and runs methods on caller-owned tensors.
//
//   ember::Module m("mv2.ember");
//   auto out = m.forward({ember::Tensor(ember::ScalarType::Float32, 4, sizes, data)});
//   if (!out.ok()) fprintf(stderr, "%s\n", out.status().message());
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/executor/method.h"
#include "runtime/executor/program.h"

namespace ember {

class Module {
 public:
  enum class LoadMode { Mmap, Read };
  explicit Module(std::string path, LoadMode mode = LoadMode::Mmap);
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  // Loads the program (lazily called by the other functions).
  Status load();
  Result<std::vector<std::string>> method_names();
  Result<MethodMeta> method_meta(const std::string& method);
  Status load_method(const std::string& method);
  // Binds inputs (no copy), executes, and returns views of the outputs, which live in the
  // method's planned memory until the next execute.
  Result<std::vector<Tensor>> execute(const std::string& method, const std::vector<Tensor>& inputs);
  Result<std::vector<Tensor>> forward(const std::vector<Tensor>& inputs) { return execute("forward", inputs); }
  Result<Method*> method(const std::string& method);
  const Program* program() const { return program_ ? &*program_ : nullptr; }
  // Bytes of planned activation memory, method bookkeeping and scratch for a loaded method.
  size_t planned_bytes(const std::string& method);

 private:
  struct LoadedMethod;
  std::string path_;
  LoadMode mode_;
  std::unique_ptr<Program> program_;
  std::vector<std::unique_ptr<LoadedMethod>> methods_;
};

}  // namespace ember
