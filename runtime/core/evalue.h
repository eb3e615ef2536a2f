// EValue: one entry of a method's value table (tensor, scalar, list or none).
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/tensor.h"

namespace ember {

template <typename T>
struct ArrayRef {
  const T* data = nullptr;
  size_t size = 0;
  const T& operator[](size_t i) const { return data[i]; }
  const T* begin() const { return data; }
  const T* end() const { return data + size; }
};

enum class Tag : uint8_t {
  None = 0,
  Tensor = 1,
  Int = 2,
  Double = 3,
  Bool = 4,
  IntList = 5,
  DoubleList = 6,
  BoolList = 7,
  TensorList = 8,  // entries may be null for List[Optional[Tensor]]
  String = 9,
};

class EValue {
 public:
  EValue() = default;
  static EValue make_tensor(const Tensor& t) {
    EValue v;
    v.tag_ = Tag::Tensor;
    v.tensor_ = t;
    return v;
  }
  static EValue make_int(int64_t i) {
    EValue v;
    v.tag_ = Tag::Int;
    v.u_.i = i;
    return v;
  }
  static EValue make_double(double d) {
    EValue v;
    v.tag_ = Tag::Double;
    v.u_.d = d;
    return v;
  }
  static EValue make_bool(bool b) {
    EValue v;
    v.tag_ = Tag::Bool;
    v.u_.b = b;
    return v;
  }
  static EValue make_int_list(const int64_t* p, size_t n) {
    EValue v;
    v.tag_ = Tag::IntList;
    v.u_.ints = {p, n};
    return v;
  }
  static EValue make_double_list(const double* p, size_t n) {
    EValue v;
    v.tag_ = Tag::DoubleList;
    v.u_.doubles = {p, n};
    return v;
  }
  static EValue make_bool_list(const uint8_t* p, size_t n) {
    EValue v;
    v.tag_ = Tag::BoolList;
    v.u_.bools = {p, n};
    return v;
  }
  static EValue make_tensor_list(Tensor* const* p, size_t n) {
    EValue v;
    v.tag_ = Tag::TensorList;
    v.u_.tensors = {p, n};
    return v;
  }
  static EValue make_string(const char* s, size_t n) {
    EValue v;
    v.tag_ = Tag::String;
    v.u_.str = {s, n};
    return v;
  }

  Tag tag() const { return tag_; }
  bool is_none() const { return tag_ == Tag::None; }
  bool is_tensor() const { return tag_ == Tag::Tensor; }
  bool is_int() const { return tag_ == Tag::Int; }
  bool is_double() const { return tag_ == Tag::Double; }
  bool is_bool() const { return tag_ == Tag::Bool; }
  bool is_scalar() const { return is_int() || is_double() || is_bool(); }
  bool is_int_list() const { return tag_ == Tag::IntList; }
  bool is_double_list() const { return tag_ == Tag::DoubleList; }
  bool is_bool_list() const { return tag_ == Tag::BoolList; }
  bool is_tensor_list() const { return tag_ == Tag::TensorList; }
  bool is_string() const { return tag_ == Tag::String; }

  Tensor& tensor() { return tensor_; }
  const Tensor& tensor() const { return tensor_; }
  int64_t to_int() const { return u_.i; }
  bool to_bool() const { return u_.b; }
  double to_double() const { return u_.d; }
  // A number of any scalar kind as double (ATen's `Scalar` arguments).
  double scalar_as_double() const {
    return tag_ == Tag::Double ? u_.d : tag_ == Tag::Int ? static_cast<double>(u_.i) : (u_.b ? 1.0 : 0.0);
  }
  int64_t scalar_as_int() const {
    return tag_ == Tag::Int ? u_.i : tag_ == Tag::Double ? static_cast<int64_t>(u_.d) : (u_.b ? 1 : 0);
  }
  ArrayRef<int64_t> int_list() const { return u_.ints; }
  ArrayRef<double> double_list() const { return u_.doubles; }
  ArrayRef<uint8_t> bool_list() const { return u_.bools; }
  ArrayRef<Tensor*> tensor_list() const { return u_.tensors; }
  ArrayRef<char> string() const { return u_.str; }

 private:
  Tag tag_ = Tag::None;
  union U {
    int64_t i;
    double d;
    bool b;
    ArrayRef<int64_t> ints;
    ArrayRef<double> doubles;
    ArrayRef<uint8_t> bools;
    ArrayRef<Tensor*> tensors;
    ArrayRef<char> str;
    U() : i(0) {}
  } u_;
  Tensor tensor_;
};

}  // namespace ember
