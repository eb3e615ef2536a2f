#include "json.h"

#include <cstdlib>
#include <cstring>

#include "unicode.h"

namespace ember::tokenizers::json {
namespace {
constexpr int kMaxDepth = 200;
constexpr uint32_t kInvalid = 0xFFFFFFFFu;

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool read_hex4(const char* p, const char* end, uint32_t* out) {
  if (end - p < 4) return false;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    int h = hexval(p[i]);
    if (h < 0) return false;
    v = v * 16 + static_cast<uint32_t>(h);
  }
  *out = v;
  return true;
}
}  // namespace

bool unescape(std::string_view raw, std::string* out) {
  out->clear();
  out->reserve(raw.size());
  const char* p = raw.data();
  const char* end = p + raw.size();
  while (p < end) {
    const char* bs = static_cast<const char*>(memchr(p, '\\', static_cast<size_t>(end - p)));
    if (!bs) {
      out->append(p, static_cast<size_t>(end - p));
      break;
    }
    out->append(p, static_cast<size_t>(bs - p));
    p = bs + 1;
    if (p >= end) return false;
    char c = *p++;
    switch (c) {
      case '"':
        out->push_back('"');
        break;
      case '\\':
        out->push_back('\\');
        break;
      case '/':
        out->push_back('/');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'u': {
        uint32_t cp;
        if (!read_hex4(p, end, &cp)) return false;
        p += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          uint32_t lo;
          if (end - p >= 6 && p[0] == '\\' && p[1] == 'u' && read_hex4(p + 2, end, &lo) &&
              lo >= 0xDC00 && lo <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            p += 6;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        unicode::append_utf8(out, cp);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

bool Document::fail(const char* what) {
  if (!failed_) {
    failed_ = true;
    error_ = std::string(what) + " at byte " + std::to_string(p_ - begin_);
  }
  return false;
}

void Document::skip_ws() {
  while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
}

uint32_t Document::parse_value(int depth) {
  if (depth > kMaxDepth) {
    fail("JSON nesting too deep");
    return kInvalid;
  }
  skip_ws();
  if (p_ >= end_) {
    fail("unexpected end of JSON");
    return kInvalid;
  }
  uint32_t idx = static_cast<uint32_t>(nodes_.size());
  nodes_.emplace_back();
  char c = *p_;
  if (c == '"') {
    ++p_;
    const char* start = p_;
    bool esc = false;
    for (;;) {
      // Find the next quote or backslash quickly.
      while (p_ < end_ && *p_ != '"' && *p_ != '\\') {
        if (static_cast<unsigned char>(*p_) < 0x20) {
          fail("control character in JSON string");
          return kInvalid;
        }
        ++p_;
      }
      if (p_ >= end_) {
        fail("unterminated JSON string");
        return kInvalid;
      }
      if (*p_ == '"') break;
      esc = true;
      p_ += 2;  // skip the escaped character; validated by unescape()
      if (p_ > end_) {
        p_ = end_;
        fail("unterminated JSON string");
        return kInvalid;
      }
    }
    Node& n = nodes_[idx];
    n.type = Type::kString;
    n.off = static_cast<uint32_t>(start - begin_);
    n.len = static_cast<uint32_t>(p_ - start);
    n.escaped = esc;
    ++p_;
    return idx;
  }
  if (c == '{' || c == '[') {
    bool obj = c == '{';
    ++p_;
    nodes_[idx].type = obj ? Type::kObject : Type::kArray;
    skip_ws();
    char close = obj ? '}' : ']';
    if (p_ < end_ && *p_ == close) {
      ++p_;
      return idx;
    }
    uint32_t prev = 0, count = 0;
    for (;;) {
      uint32_t child;
      if (obj) {
        skip_ws();
        if (p_ >= end_ || *p_ != '"') {
          fail("expected object key");
          return kInvalid;
        }
        child = parse_value(depth + 1);
        if (child == kInvalid) return kInvalid;
        skip_ws();
        if (p_ >= end_ || *p_ != ':') {
          fail("expected ':'");
          return kInvalid;
        }
        ++p_;
        if (parse_value(depth + 1) == kInvalid) return kInvalid;
      } else {
        child = parse_value(depth + 1);
        if (child == kInvalid) return kInvalid;
      }
      if (count == 0)
        nodes_[idx].first = child;
      else
        nodes_[prev].next = child;
      prev = child;
      ++count;
      skip_ws();
      if (p_ >= end_) {
        fail("unexpected end of JSON");
        return kInvalid;
      }
      if (*p_ == ',') {
        ++p_;
        continue;
      }
      if (*p_ == close) {
        ++p_;
        break;
      }
      fail("expected ',' or closing bracket");
      return kInvalid;
    }
    nodes_[idx].count = count;
    return idx;
  }
  if (c == 't' || c == 'f' || c == 'n') {
    const char* word = c == 't' ? "true" : c == 'f' ? "false" : "null";
    size_t wl = strlen(word);
    if (static_cast<size_t>(end_ - p_) < wl || memcmp(p_, word, wl) != 0) {
      fail("invalid JSON literal");
      return kInvalid;
    }
    p_ += wl;
    nodes_[idx].type = c == 'n' ? Type::kNull : Type::kBool;
    nodes_[idx].bool_value = c == 't';
    return idx;
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    const char* start = p_;
    ++p_;
    while (p_ < end_ && ((*p_ >= '0' && *p_ <= '9') || *p_ == '.' || *p_ == 'e' || *p_ == 'E' ||
                         *p_ == '+' || *p_ == '-'))
      ++p_;
    nodes_[idx].type = Type::kNumber;
    nodes_[idx].off = static_cast<uint32_t>(start - begin_);
    nodes_[idx].len = static_cast<uint32_t>(p_ - start);
    return idx;
  }
  fail("unexpected character in JSON");
  return kInvalid;
}

bool Document::parse(std::string_view text) {
  if (text.size() >= 0xFFFFFFF0u) {
    error_ = "JSON text too large";
    return false;
  }
  begin_ = p_ = text.data();
  end_ = p_ + text.size();
  nodes_.clear();
  nodes_.reserve(text.size() / 12 + 16);
  failed_ = false;
  error_.clear();
  if (parse_value(0) == kInvalid) return false;
  skip_ws();
  if (p_ != end_) return fail("trailing characters after JSON value");
  return true;
}

uint32_t Document::get(uint32_t obj, std::string_view key) const {
  if (obj >= nodes_.size() || nodes_[obj].type != Type::kObject) return 0;
  std::string tmp;
  for (uint32_t k = first(obj); k; k = next(k)) {
    const Node& n = nodes_[k];
    if (!n.escaped) {
      if (n.len == key.size() && memcmp(begin_ + n.off, key.data(), key.size()) == 0) return k + 1;
    } else if (unescape(raw(k), &tmp) && tmp == key) {
      return k + 1;
    }
  }
  return 0;
}

bool Document::str(uint32_t i, std::string* out) const {
  if (i == 0 && nodes_.empty()) return false;
  const Node& n = nodes_[i];
  if (n.type != Type::kString) return false;
  if (!n.escaped) {
    out->assign(begin_ + n.off, n.len);
    return true;
  }
  return unescape(raw(i), out);
}

std::string Document::str_or(uint32_t i, std::string_view fallback) const {
  std::string s;
  if (i && str(i, &s)) return s;
  return std::string(fallback);
}

bool Document::as_bool(uint32_t i, bool fallback) const {
  if (i == 0 || nodes_[i].type != Type::kBool) return fallback;
  return nodes_[i].bool_value;
}

bool Document::as_int(uint32_t i, int64_t* out) const {
  if (i == 0 || nodes_[i].type != Type::kNumber) return false;
  const Node& n = nodes_[i];
  int64_t v = 0;
  size_t k = 0;
  bool neg = false;
  const char* np = begin_ + n.off;
  if (n.len && np[0] == '-') {
    neg = true;
    k = 1;
  }
  if (k >= n.len) return false;
  for (; k < n.len; ++k) {
    char c = np[k];
    if (c < '0' || c > '9') return false;
    if (v > (int64_t{1} << 53)) return false;
    v = v * 10 + (c - '0');
  }
  *out = neg ? -v : v;
  return true;
}

double Document::as_double(uint32_t i, double fallback) const {
  if (i == 0 || nodes_[i].type != Type::kNumber) return fallback;
  std::string s(begin_ + nodes_[i].off, nodes_[i].len);
  char* endp = nullptr;
  double v = strtod(s.c_str(), &endp);
  return endp && *endp == 0 ? v : fallback;
}

}  // namespace ember::tokenizers::json
