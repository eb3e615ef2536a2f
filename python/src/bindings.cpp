// Python binding of the runtime (used by ember.load and the tests). Tensors cross as NumPy
// arrays; torch tensors are accepted and viewed through .numpy() without copies.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "extension/module/module.h"
#include "runtime/backend/backend.h"
#include "runtime/core/kernel.h"

namespace py = pybind11;

namespace {

[[noreturn]] void raise(const ember::Status& s) {
  throw std::runtime_error(std::string(ember::error_name(s.code())) + ": " + s.message());
}

ember::ScalarType dtype_of(const py::array& a) {
  py::dtype d = a.dtype();
  char kind = d.kind();
  size_t size = d.itemsize();
  if (kind == 'f' && size == 4) return ember::ScalarType::Float32;
  if (kind == 'f' && size == 8) return ember::ScalarType::Float64;
  if (kind == 'f' && size == 2) return ember::ScalarType::Float16;
  if (kind == 'i' && size == 8) return ember::ScalarType::Int64;
  if (kind == 'i' && size == 4) return ember::ScalarType::Int32;
  if (kind == 'i' && size == 2) return ember::ScalarType::Int16;
  if (kind == 'i' && size == 1) return ember::ScalarType::Int8;
  if (kind == 'u' && size == 1) return ember::ScalarType::UInt8;
  if (kind == 'b') return ember::ScalarType::Bool;
  throw std::invalid_argument("unsupported array dtype " + std::string(py::str(d)));
}

py::dtype numpy_dtype(ember::ScalarType t) {
  switch (t) {
    case ember::ScalarType::Float32: return py::dtype("float32");
    case ember::ScalarType::Float64: return py::dtype("float64");
    case ember::ScalarType::Float16: return py::dtype("float16");
    case ember::ScalarType::Int64: return py::dtype("int64");
    case ember::ScalarType::Int32: return py::dtype("int32");
    case ember::ScalarType::Int16: return py::dtype("int16");
    case ember::ScalarType::Int8: return py::dtype("int8");
    case ember::ScalarType::UInt8: return py::dtype("uint8");
    case ember::ScalarType::Bool: return py::dtype("bool");
    default: throw std::invalid_argument("dtype has no NumPy equivalent");
  }
}

bool is_torch_tensor(const py::handle& o) {
  return py::hasattr(o, "numpy") && py::hasattr(o, "contiguous") && py::hasattr(o, "dim");
}

// A C-contiguous array; `writable` arrays must already be contiguous (they are written in place).
py::array as_array(const py::handle& o, bool writable) {
  py::object obj = py::reinterpret_borrow<py::object>(o);
  if (is_torch_tensor(o)) {
    if (writable && !obj.attr("is_contiguous")().cast<bool>())
      throw std::invalid_argument("output tensors must be contiguous");
    obj = writable ? obj.attr("detach")().attr("numpy")() : obj.attr("detach")().attr("contiguous")().attr("numpy")();
  }
  py::array a = py::reinterpret_borrow<py::array>(obj);
  if (!py::isinstance<py::array>(obj)) a = py::array(obj);
  if (!(a.flags() & py::array::c_style)) {
    if (writable) throw std::invalid_argument("output arrays must be C-contiguous");
    a = py::array::ensure(a, py::array::c_style);
  }
  return a;
}

ember::Tensor wrap(py::array& a) {
  int64_t sizes[ember::kMaxDims];
  if (a.ndim() > ember::kMaxDims) throw std::invalid_argument("too many dimensions");
  for (py::ssize_t i = 0; i < a.ndim(); ++i) sizes[i] = a.shape(i);
  return ember::Tensor(dtype_of(a), static_cast<int>(a.ndim()), sizes, a.mutable_data());
}

py::array to_numpy_copy(const ember::Tensor& t) {
  std::vector<py::ssize_t> shape(t.sizes(), t.sizes() + t.dim());
  py::array out(numpy_dtype(t.dtype()), shape);
  if (t.nbytes()) memcpy(out.mutable_data(), t.data(), t.nbytes());
  return out;
}

// Storage for converted call_kernel arguments; deque keeps element addresses stable.
struct ArgStore {
  std::deque<py::array> arrays;
  std::deque<ember::EValue> values;
  std::deque<std::vector<int64_t>> int_lists;
  std::deque<std::vector<double>> double_lists;
  std::deque<std::vector<uint8_t>> bool_lists;
  std::deque<std::vector<ember::Tensor*>> tensor_lists;
  std::deque<ember::Tensor> tensors;
  std::deque<std::string> strings;

  ember::EValue* tensor(const py::handle& o, bool writable) {
    arrays.push_back(as_array(o, writable));
    values.push_back(ember::EValue::make_tensor(wrap(arrays.back())));
    return &values.back();
  }

  ember::EValue* convert(const py::handle& o, bool writable) {
    if (o.is_none()) {
      values.emplace_back();
      return &values.back();
    }
    if (is_torch_tensor(o) || py::isinstance<py::array>(o)) return tensor(o, writable);
    if (py::isinstance<py::bool_>(o)) {
      values.push_back(ember::EValue::make_bool(o.cast<bool>()));
      return &values.back();
    }
    if (py::isinstance<py::int_>(o)) {
      values.push_back(ember::EValue::make_int(o.cast<int64_t>()));
      return &values.back();
    }
    if (py::isinstance<py::float_>(o)) {
      values.push_back(ember::EValue::make_double(o.cast<double>()));
      return &values.back();
    }
    if (py::isinstance<py::str>(o)) {
      strings.push_back(o.cast<std::string>());
      values.push_back(ember::EValue::make_string(strings.back().data(), strings.back().size()));
      return &values.back();
    }
    if (py::isinstance<py::list>(o) || py::isinstance<py::tuple>(o)) {
      py::sequence seq = py::reinterpret_borrow<py::sequence>(o);
      bool any_tensor = false, all_bool = seq.size() > 0, all_int = true;
      for (auto item : seq) {
        if (is_torch_tensor(item) || py::isinstance<py::array>(item) || item.is_none()) any_tensor = true;
        if (!py::isinstance<py::bool_>(item)) all_bool = false;
        if (!py::isinstance<py::int_>(item)) all_int = false;
      }
      if (any_tensor) {
        tensor_lists.emplace_back();
        for (auto item : seq) {
          if (item.is_none()) {
            tensor_lists.back().push_back(nullptr);
          } else {
            arrays.push_back(as_array(item, writable));
            tensors.push_back(wrap(arrays.back()));
            tensor_lists.back().push_back(&tensors.back());
          }
        }
        values.push_back(ember::EValue::make_tensor_list(tensor_lists.back().data(), tensor_lists.back().size()));
      } else if (all_bool) {
        bool_lists.emplace_back();
        for (auto item : seq) bool_lists.back().push_back(item.cast<bool>() ? 1 : 0);
        values.push_back(ember::EValue::make_bool_list(bool_lists.back().data(), bool_lists.back().size()));
      } else if (all_int) {
        int_lists.emplace_back();
        for (auto item : seq) int_lists.back().push_back(item.cast<int64_t>());
        values.push_back(ember::EValue::make_int_list(int_lists.back().data(), int_lists.back().size()));
      } else {
        double_lists.emplace_back();
        for (auto item : seq) double_lists.back().push_back(item.cast<double>());
        values.push_back(ember::EValue::make_double_list(double_lists.back().data(), double_lists.back().size()));
      }
      return &values.back();
    }
    throw std::invalid_argument("unsupported kernel argument of type " +
                                std::string(py::str(py::type::handle_of(o))));
  }
};

void call_kernel(const std::string& name, const py::list& args, const py::list& outputs, size_t scratch_bytes) {
  const ember::Kernel* k = ember::find_kernel(name.c_str(), name.size());
  if (k == nullptr) throw std::runtime_error("NotFound: no kernel registered for '" + name + "'");
  ArgStore store;
  std::vector<ember::EValue*> argv;
  for (auto a : args) argv.push_back(store.convert(a, false));
  for (auto o : outputs) argv.push_back(store.convert(o, true));
  std::vector<uint8_t> scratch(scratch_bytes + 64);
  ember::ScratchAllocator scratch_alloc(scratch.data(), scratch.size());
  ember::KernelContext ctx(scratch_bytes ? &scratch_alloc : nullptr);
  k->fn(ctx, argv.data(), argv.size());
  if (!ctx.ok()) raise(ctx.status());
}

class PyModule {
 public:
  PyModule(const std::string& path, bool mmap)
      : m_(path, mmap ? ember::Module::LoadMode::Mmap : ember::Module::LoadMode::Read) {
    ember::Status s = m_.load();
    if (!s.ok()) raise(s);
  }
  std::vector<std::string> method_names() { return check(m_.method_names()); }
  void load_method(const std::string& name) {
    ember::Status s = m_.load_method(name);
    if (!s.ok()) raise(s);
  }
  py::list run(const std::string& name, const py::list& inputs) {
    std::vector<py::array> arrays;
    std::vector<ember::Tensor> tensors;
    for (auto i : inputs) arrays.push_back(as_array(i, false));
    for (auto& a : arrays) tensors.push_back(wrap(a));
    std::vector<ember::Tensor> outs;
    {
      py::gil_scoped_release release;
      auto r = m_.execute(name, tensors);
      if (!r.ok()) {
        py::gil_scoped_acquire acquire;
        raise(r.status());
      }
      outs = std::move(r.get());
    }
    py::list result;
    for (auto& t : outs) result.append(to_numpy_copy(t));
    return result;
  }
  py::dict meta(const std::string& name) {
    ember::MethodMeta meta = check(m_.method_meta(name));
    py::dict d;
    auto infos = [&](bool input) {
      py::list l;
      size_t n = input ? meta.num_inputs() : meta.num_outputs();
      for (size_t i = 0; i < n; ++i) {
        ember::TensorInfo info = check(input ? meta.input_info(i) : meta.output_info(i));
        l.append(py::make_tuple(ember::scalar_type_name(info.dtype),
                                std::vector<int64_t>(info.sizes, info.sizes + info.dim)));
      }
      return l;
    };
    d["inputs"] = infos(true);
    d["outputs"] = infos(false);
    std::vector<size_t> arenas;
    for (size_t i = 0; i < meta.num_arenas(); ++i) arenas.push_back(meta.arena_size(i));
    d["arena_sizes"] = arenas;
    d["scratch_size"] = meta.scratch_size();
    d["num_instructions"] = meta.num_instructions();
    return d;
  }
  std::vector<std::string> instruction_names(const std::string& name) {
    ember::Method* m = check(m_.method(name));
    std::vector<std::string> names;
    char buf[200];
    for (size_t i = 0; i < m->num_instructions(); ++i) {
      m->instruction_name(i, buf, sizeof(buf));
      names.emplace_back(buf);
    }
    return names;
  }
  size_t planned_bytes(const std::string& name) {
    load_method(name);
    return m_.planned_bytes(name);
  }
  bool is_mapped() const { return m_.program()->data().is_mapped(); }

 private:
  template <typename T>
  T check(ember::Result<T> r) {
    if (!r.ok()) raise(r.status());
    return std::move(r.get());
  }
  ember::Module m_;
};

}  // namespace

PYBIND11_MODULE(_C, m) {
  m.doc() = "Ember runtime binding";
  m.def("call_kernel", &call_kernel, py::arg("name"), py::arg("args"), py::arg("outputs"),
        py::arg("scratch_bytes") = 1 << 26, "Calls one registered kernel on torch tensors / NumPy arrays.");
  m.def("backend_available", [](const std::string& name) {
    const ember::Backend* b = ember::find_backend(name.c_str());
    return b != nullptr && (b->is_available == nullptr || b->is_available());
  }, "True when the runtime has the named backend registered and usable on this machine.");
  m.def("registered_kernels", []() {
    std::vector<std::string> names;
    for (size_t i = 0; i < ember::num_registered_kernels(); ++i) names.emplace_back(ember::registered_kernel(i)->name);
    return names;
  });
  py::class_<PyModule>(m, "Module")
      .def(py::init<const std::string&, bool>(), py::arg("path"), py::arg("mmap") = true)
      .def("method_names", &PyModule::method_names)
      .def("load_method", &PyModule::load_method)
      .def("run", &PyModule::run)
      .def("meta", &PyModule::meta)
      .def("instruction_names", &PyModule::instruction_names)
      .def("planned_bytes", &PyModule::planned_bytes)
      .def("is_mapped", &PyModule::is_mapped);
}
