// A small, fast, non-throwing JSON DOM parser.  Strings are views into the input buffer and are
// unescaped only on request.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ember::tokenizers::json {

enum class Type : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

struct Node {
  Type type;
  bool escaped = false;  // string contains backslash escapes
  bool bool_value = false;
  uint32_t count = 0;  // array elements / object members
  uint32_t next = 0;   // index of the next sibling (0 = none)
  uint32_t first = 0;  // first child (arrays) or first key (objects; value follows key)
  uint32_t off = 0;    // byte offset of the string contents (without quotes) or number text
  uint32_t len = 0;
};

class Document {
 public:
  // Parses `text`, which must outlive the Document.  Returns false and sets error() on failure.
  bool parse(std::string_view text);
  const std::string& error() const { return error_; }

  uint32_t root() const { return 0; }
  const Node& node(uint32_t i) const { return nodes_[i]; }
  Type type(uint32_t i) const { return nodes_[i].type; }

  // Object member lookup (linear); returns 0 when absent (0 is never a valid member value since
  // it is the root).
  uint32_t get(uint32_t obj, std::string_view key) const;
  // Children iteration: first child/key, then next().
  uint32_t first(uint32_t i) const { return nodes_[i].count ? nodes_[i].first : 0; }
  uint32_t next(uint32_t i) const { return nodes_[i].next; }
  // For object members: the value belonging to a key node.
  uint32_t value_of(uint32_t key) const { return key + 1 + 0 * nodes_[key].len; }

  // The string value, unescaped.  Returns false for non-strings.
  bool str(uint32_t i, std::string* out) const;
  std::string str_or(uint32_t i, std::string_view fallback) const;
  // Raw view, valid only when !escaped.
  std::string_view raw(uint32_t i) const { return {begin_ + nodes_[i].off, nodes_[i].len}; }
  const char* ptr(uint32_t i) const { return begin_ + nodes_[i].off; }
  bool is_null(uint32_t i) const { return i == 0 || nodes_[i].type == Type::kNull; }
  bool as_bool(uint32_t i, bool fallback) const;
  bool as_int(uint32_t i, int64_t* out) const;
  double as_double(uint32_t i, double fallback) const;

 private:
  uint32_t parse_value(int depth);
  bool fail(const char* what);
  void skip_ws();

  const char* p_ = nullptr;
  const char* end_ = nullptr;
  const char* begin_ = nullptr;
  std::vector<Node> nodes_;
  std::string error_;
  bool failed_ = false;
};

// Unescapes JSON string contents (without quotes) into UTF-8.  Lone surrogates become U+FFFD.
bool unescape(std::string_view raw, std::string* out);

}  // namespace ember::tokenizers::json
