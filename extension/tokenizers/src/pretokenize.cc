#include "pretokenize.h"

#include <string>

#include "unicode.h"

namespace ember::tokenizers {
namespace {

using unicode::CatFlag;

const char* const kGpt2Regex =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";
const char* const kCl100kRegex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
const char* const kQwen2Regex =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";
const char* const kO200kRegex =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

constexpr uint8_t kUpperish =
    unicode::kLu | unicode::kLt | unicode::kLm | unicode::kLo | unicode::kMark;
constexpr uint8_t kLowerish = unicode::kLl | unicode::kLm | unicode::kLo | unicode::kMark;

// Code points of the text with their flags; index m is a sentinel.
struct Cursor {
  std::vector<uint32_t> cp;
  std::vector<uint8_t> fl;
  std::vector<uint32_t> off;
  size_t m = 0;

  void load(std::string_view text) {
    cp.clear();
    fl.clear();
    off.clear();
    const unsigned char* s = reinterpret_cast<const unsigned char*>(text.data());
    size_t n = text.size();
    cp.reserve(n + 1);
    fl.reserve(n + 1);
    off.reserve(n + 1);
    for (size_t i = 0; i < n;) {
      size_t len;
      uint32_t c = s[i] < 0x80 ? (len = 1, s[i]) : unicode::decode_utf8(s, n, i, &len);
      if (c == 0xFFFFFFFFu) c = 0xFFFD;  // callers pass valid UTF-8; be safe anyway
      cp.push_back(c);
      fl.push_back(unicode::category_flags(c));
      off.push_back(static_cast<uint32_t>(i));
      i += len;
    }
    m = cp.size();
    cp.push_back(0);
    fl.push_back(0);
    off.push_back(static_cast<uint32_t>(n));
  }
  bool L(size_t i) const { return fl[i] & unicode::kLetter; }
  bool N(size_t i) const { return fl[i] & unicode::kNumber; }
  bool S(size_t i) const { return fl[i] & unicode::kSpace; }
  bool CRLF(size_t i) const { return i < m && (cp[i] == '\r' || cp[i] == '\n'); }
  // [^\s\p{L}\p{N}]
  bool P(size_t i) const {
    return i < m && !(fl[i] & (unicode::kLetter | unicode::kNumber | unicode::kSpace));
  }
  // [^\r\n\p{L}\p{N}]
  bool Pre(size_t i) const { return i < m && !L(i) && !N(i) && !CRLF(i); }
  bool Is(size_t i, uint32_t c) const { return i < m && cp[i] == c; }
};

bool fold_eq(uint32_t c, char lower, bool ci) {
  if (c == static_cast<uint32_t>(lower)) return true;
  if (!ci) return false;
  if (c == static_cast<uint32_t>(lower - 32)) return true;
  return lower == 's' && c == 0x17F;  // LATIN SMALL LETTER LONG S folds to 's'
}

// 's|'t|'re|'ve|'m|'ll|'d ; returns end or 0 (a match is never at 0 since it starts at i >= 0
// and has length >= 2, so end >= 2).
size_t contraction(const Cursor& c, size_t i, bool ci) {
  if (!c.Is(i, '\'') || i + 1 >= c.m) return 0;
  uint32_t a = c.cp[i + 1];
  if (fold_eq(a, 's', ci) || fold_eq(a, 't', ci) || fold_eq(a, 'm', ci) || fold_eq(a, 'd', ci))
    return i + 2;
  if (i + 2 >= c.m) return 0;
  uint32_t b = c.cp[i + 2];
  if ((fold_eq(a, 'r', ci) && fold_eq(b, 'e', ci)) ||
      (fold_eq(a, 'v', ci) && fold_eq(b, 'e', ci)) || (fold_eq(a, 'l', ci) && fold_eq(b, 'l', ci)))
    return i + 3;
  return 0;
}

size_t space_run_end(const Cursor& c, size_t i) {
  while (i < c.m && c.S(i)) ++i;
  return i;
}

// The three trailing whitespace alternatives shared by the cl100k family:
// \s*[\r\n]+|\s+(?!\S)|\s+   (with_newline_alt=false drops the first, as in GPT-2).
size_t whitespace_alts(const Cursor& c, size_t i, bool with_newline_alt) {
  if (!c.S(i)) return 0;
  size_t j = space_run_end(c, i);
  if (with_newline_alt) {
    for (size_t k = j; k > i; --k)
      if (c.CRLF(k - 1)) return k;
  }
  if (j == c.m) return j;
  if (j - 1 > i) return j - 1;
  return j;
}

size_t match_gpt2(const Cursor& c, size_t i) {
  if (size_t e = contraction(c, i, false)) return e;
  size_t k = (c.Is(i, ' ') && i + 1 < c.m) ? i + 1 : i;
  // ' ?\p{L}+' then ' ?\p{N}+' then ' ?[^\s\p{L}\p{N}]+' ; the optional space is tried first.
  auto run = [&](size_t s, auto pred) -> size_t {
    size_t j = s;
    while (j < c.m && pred(j)) ++j;
    return j > s ? j : 0;
  };
  auto isL = [&](size_t j) { return c.L(j); };
  auto isN = [&](size_t j) { return c.N(j); };
  auto isP = [&](size_t j) { return c.P(j); };
  if (size_t e = run(k, isL)) return e;
  if (k != i)
    if (size_t e = run(i, isL)) return e;
  if (size_t e = run(k, isN)) return e;
  if (k != i)
    if (size_t e = run(i, isN)) return e;
  if (size_t e = run(k, isP)) return e;
  if (k != i)
    if (size_t e = run(i, isP)) return e;
  if (size_t e = whitespace_alts(c, i, false)) return e;
  return i + 1;
}

size_t match_cl100k(const Cursor& c, size_t i, size_t max_digits) {
  if (size_t e = contraction(c, i, true)) return e;
  // [^\r\n\p{L}\p{N}]?\p{L}+
  {
    size_t s = c.L(i) ? i : (c.Pre(i) && c.L(i + 1) ? i + 1 : c.m + 1);
    if (s <= c.m) {
      size_t j = s;
      while (j < c.m && c.L(j)) ++j;
      return j;
    }
  }
  // \p{N}{1,max}
  if (c.N(i)) {
    size_t j = i;
    while (j < c.m && c.N(j) && j - i < max_digits) ++j;
    return j;
  }
  //  ?[^\s\p{L}\p{N}]+[\r\n]*
  {
    size_t s = (c.Is(i, ' ') && c.P(i + 1)) ? i + 1 : i;
    if (c.P(s)) {
      size_t j = s;
      while (c.P(j)) ++j;
      while (c.CRLF(j)) ++j;
      return j;
    }
  }
  if (size_t e = whitespace_alts(c, i, true)) return e;
  return i + 1;
}

// [U]*[W]+   (returns 0 on failure; ends are always > s >= 0 so 0 is not a valid end)
size_t o200k_body1(const Cursor& c, size_t s) {
  if (s >= c.m) return 0;
  size_t u = s;
  while (u < c.m && (c.fl[u] & kUpperish)) ++u;
  if (u < c.m && (c.fl[u] & kLowerish)) {
    size_t j = u;
    while (j < c.m && (c.fl[j] & kLowerish)) ++j;
    return j;
  }
  for (size_t k = u; k > s; --k)
    if (c.fl[k - 1] & kLowerish) return k;
  return 0;
}

// [U]+[W]*
size_t o200k_body2(const Cursor& c, size_t s) {
  if (s >= c.m || !(c.fl[s] & kUpperish)) return 0;
  size_t u = s;
  while (u < c.m && (c.fl[u] & kUpperish)) ++u;
  while (u < c.m && (c.fl[u] & kLowerish)) ++u;
  return u;
}

size_t match_o200k(const Cursor& c, size_t i) {
  for (int alt = 0; alt < 2; ++alt) {
    auto body = alt == 0 ? o200k_body1 : o200k_body2;
    size_t e = 0;
    if (c.Pre(i)) e = body(c, i + 1);
    if (!e) e = body(c, i);
    if (e) {
      if (size_t ce = contraction(c, e, true)) e = ce;
      return e;
    }
  }
  if (c.N(i)) {
    size_t j = i;
    while (j < c.m && c.N(j) && j - i < 3) ++j;
    return j;
  }
  {
    size_t s = (c.Is(i, ' ') && c.P(i + 1)) ? i + 1 : i;
    if (c.P(s)) {
      size_t j = s;
      while (c.P(j)) ++j;
      while (c.CRLF(j) || c.Is(j, '/')) ++j;
      return j;
    }
  }
  if (size_t e = whitespace_alts(c, i, true)) return e;
  return i + 1;
}

}  // namespace

SplitPattern pattern_from_regex(std::string_view regex) {
  if (regex == kGpt2Regex) return SplitPattern::kGpt2;
  if (regex == kCl100kRegex) return SplitPattern::kCl100k;
  if (regex == kQwen2Regex) return SplitPattern::kQwen2;
  if (regex == kO200kRegex) return SplitPattern::kO200k;
  return SplitPattern::kNone;
}

const char* pattern_name(SplitPattern p) {
  switch (p) {
    case SplitPattern::kGpt2:
      return "gpt2";
    case SplitPattern::kCl100k:
      return "cl100k";
    case SplitPattern::kQwen2:
      return "qwen2";
    case SplitPattern::kO200k:
      return "o200k";
    default:
      return "none";
  }
}

const char* pattern_regex(SplitPattern p) {
  switch (p) {
    case SplitPattern::kGpt2:
      return kGpt2Regex;
    case SplitPattern::kCl100k:
      return kCl100kRegex;
    case SplitPattern::kQwen2:
      return kQwen2Regex;
    case SplitPattern::kO200k:
      return kO200kRegex;
    default:
      return "";
  }
}

void split_with_pattern(SplitPattern p, std::string_view text, std::vector<Span>* out) {
  thread_local Cursor c;
  c.load(text);
  size_t i = 0;
  while (i < c.m) {
    size_t e;
    switch (p) {
      case SplitPattern::kGpt2:
        e = match_gpt2(c, i);
        break;
      case SplitPattern::kCl100k:
        e = match_cl100k(c, i, 3);
        break;
      case SplitPattern::kQwen2:
        e = match_cl100k(c, i, 1);
        break;
      case SplitPattern::kO200k:
        e = match_o200k(c, i);
        break;
      default:
        e = c.m;
        break;
    }
    if (e <= i) e = i + 1;
    out->emplace_back(c.off[i], c.off[e]);
    i = e;
  }
}

}  // namespace ember::tokenizers
