#include "tools/npy.h"

#include <cstdio>
#include <cstring>

namespace ember {
namespace tools {

namespace {

bool descr_to_dtype(const std::string& d, ScalarType* t) {
  struct Entry {
    const char* descr;
    ScalarType type;
  };
  static const Entry kTable[] = {{"<f4", ScalarType::Float32}, {"<f8", ScalarType::Float64},
                                 {"<i8", ScalarType::Int64},   {"<i4", ScalarType::Int32},
                                 {"<i2", ScalarType::Int16},   {"|i1", ScalarType::Int8},
                                 {"|u1", ScalarType::UInt8},   {"|b1", ScalarType::Bool},
                                 {"<f2", ScalarType::Float16}};
  for (const Entry& e : kTable)
    if (d == e.descr) {
      *t = e.type;
      return true;
    }
  return false;
}

const char* dtype_to_descr(ScalarType t) {
  switch (t) {
    case ScalarType::Float32: return "<f4";
    case ScalarType::Float64: return "<f8";
    case ScalarType::Int64: return "<i8";
    case ScalarType::Int32: return "<i4";
    case ScalarType::Int16: return "<i2";
    case ScalarType::Int8: return "|i1";
    case ScalarType::UInt8: return "|u1";
    case ScalarType::Bool: return "|b1";
    case ScalarType::Float16: return "<f2";
    default: return nullptr;
  }
}

// Value of `'key': <value>` in the header dict, as raw text up to the next ',' or '}' (or ')' for shapes).
bool find_field(const std::string& h, const std::string& key, std::string* value) {
  size_t k = h.find("'" + key + "'");
  if (k == std::string::npos) return false;
  size_t colon = h.find(':', k);
  if (colon == std::string::npos) return false;
  size_t start = h.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos) return false;
  size_t end = h[start] == '(' ? h.find(')', start) + 1 : h.find_first_of(",}", start);
  if (end == std::string::npos || end == 0 || end <= start) return false;
  *value = h.substr(start, end - start);
  return true;
}

}  // namespace

Result<NpyArray> read_npy(const std::string& path) {
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) return EMBER_ERROR(AccessFailed, "cannot open '%s'", path.c_str());
  uint8_t pre[10];
  if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0) {
    fclose(f);
    return EMBER_ERROR(InvalidArgument, "'%s' is not a .npy file", path.c_str());
  }
  uint32_t hlen = 0;
  if (pre[6] == 1) {
    hlen = pre[8] | (pre[9] << 8);
  } else if (pre[6] == 2 || pre[6] == 3) {
    uint8_t more[2];
    if (fread(more, 1, 2, f) != 2) {
      fclose(f);
      return EMBER_ERROR(InvalidArgument, "'%s': truncated header", path.c_str());
    }
    hlen = pre[8] | (pre[9] << 8) | (more[0] << 16) | (uint32_t(more[1]) << 24);
  } else {
    fclose(f);
    return EMBER_ERROR(InvalidArgument, "'%s': unsupported .npy version %d", path.c_str(), pre[6]);
  }
  if (hlen > (1u << 20)) {
    fclose(f);
    return EMBER_ERROR(InvalidArgument, "'%s': header too large", path.c_str());
  }
  std::string header(hlen, '\0');
  if (fread(&header[0], 1, hlen, f) != hlen) {
    fclose(f);
    return EMBER_ERROR(InvalidArgument, "'%s': truncated header", path.c_str());
  }
  std::string descr, order, shape;
  if (!find_field(header, "descr", &descr) || !find_field(header, "fortran_order", &order) ||
      !find_field(header, "shape", &shape)) {
    fclose(f);
    return EMBER_ERROR(InvalidArgument, "'%s': malformed header", path.c_str());
  }
  NpyArray arr;
  descr = descr.substr(1, descr.size() >= 2 ? descr.size() - 2 : 0);
  if (descr == "=f4" || descr == "f4") descr = "<f4";
  if (!descr_to_dtype(descr, &arr.dtype)) {
    fclose(f);
    return EMBER_ERROR(NotSupported, "'%s': unsupported dtype '%s'", path.c_str(), descr.c_str());
  }
  if (order.rfind("False", 0) != 0) {
    fclose(f);
    return EMBER_ERROR(NotSupported, "'%s': Fortran-order arrays are not supported", path.c_str());
  }
  uint64_t numel = 1;
  for (size_t i = 1; i < shape.size();) {
    while (i < shape.size() && (shape[i] == ' ' || shape[i] == ',')) ++i;
    if (i >= shape.size() || shape[i] == ')') break;
    char* end = nullptr;
    long long v = strtoll(shape.c_str() + i, &end, 10);
    if (end == shape.c_str() + i || v < 0 || arr.shape.size() >= 8 || (v && numel > (1ull << 40) / v)) {
      fclose(f);
      return EMBER_ERROR(InvalidArgument, "'%s': bad shape %s", path.c_str(), shape.c_str());
    }
    arr.shape.push_back(v);
    numel *= static_cast<uint64_t>(v);
    i = static_cast<size_t>(end - shape.c_str());
  }
  size_t nbytes = static_cast<size_t>(numel) * element_size(arr.dtype);
  arr.data.resize(nbytes);
  if (nbytes && fread(arr.data.data(), 1, nbytes, f) != nbytes) {
    fclose(f);
    return EMBER_ERROR(InvalidArgument, "'%s': expected %zu data bytes", path.c_str(), nbytes);
  }
  fclose(f);
  return arr;
}

Status write_npy(const std::string& path, ScalarType dtype, const int64_t* shape, int dim, const void* data,
                 size_t nbytes) {
  const char* descr = dtype_to_descr(dtype);
  if (!descr) return EMBER_ERROR(NotSupported, "cannot write dtype %s to .npy", scalar_type_name(dtype));
  std::string s = "(";
  for (int i = 0; i < dim; ++i) s += std::to_string(shape[i]) + (dim == 1 ? "," : i + 1 < dim ? ", " : "");
  s += ")";
  std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + s + ", }";
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  FILE* f = fopen(path.c_str(), "wb");
  if (!f) return EMBER_ERROR(AccessFailed, "cannot write '%s'", path.c_str());
  uint8_t pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, uint8_t(header.size() & 0xff), uint8_t(header.size() >> 8)};
  bool ok = fwrite(pre, 1, 10, f) == 10 && fwrite(header.data(), 1, header.size(), f) == header.size() &&
            (nbytes == 0 || fwrite(data, 1, nbytes, f) == nbytes);
  ok = (fclose(f) == 0) && ok;
  return ok ? Status() : EMBER_ERROR(AccessFailed, "short write on '%s'", path.c_str());
}

}  // namespace tools
}  // namespace ember
