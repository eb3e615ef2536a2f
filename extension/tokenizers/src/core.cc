#include "core.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>
#include <queue>

#include "unicode.h"

namespace ember::tokenizers {

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kIoError:
      return "io_error";
    case ErrorCode::kParseError:
      return "parse_error";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
  }
  return "unknown";
}

const char* format_name(Format format) {
  switch (format) {
    case Format::kAuto:
      return "auto";
    case Format::kHuggingFace:
      return "huggingface";
    case Format::kTiktoken:
      return "tiktoken";
    case Format::kGpt2:
      return "gpt2";
    case Format::kSentencePiece:
      return "sentencepiece";
  }
  return "unknown";
}

const std::vector<uint32_t>& byte_to_unicode() {
  static const std::vector<uint32_t> table = [] {
    std::vector<uint32_t> t(256);
    uint32_t extra = 0;
    for (uint32_t b = 0; b < 256; ++b) {
      bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
      t[b] = printable ? b : 256 + extra++;
    }
    return t;
  }();
  return table;
}

namespace {
int32_t unicode_to_byte(uint32_t cp) {
  static const std::vector<int16_t> inv = [] {
    std::vector<int16_t> v(324, -1);
    const auto& f = byte_to_unicode();
    for (int b = 0; b < 256; ++b) v[f[b]] = static_cast<int16_t>(b);
    return v;
  }();
  return cp < inv.size() ? inv[cp] : -1;
}
constexpr int32_t kNoRank = std::numeric_limits<int32_t>::max();
}  // namespace

bool byte_level_to_bytes(std::string_view token, std::string* out) {
  out->clear();
  const unsigned char* s = reinterpret_cast<const unsigned char*>(token.data());
  size_t n = token.size();
  for (size_t i = 0; i < n;) {
    if (s[i] >= 33 && s[i] <= 126) {  // printable ASCII stands for itself
      out->push_back(static_cast<char>(s[i++]));
      continue;
    }
    size_t len;
    uint32_t cp = unicode::decode_utf8(s, n, i, &len);
    int32_t b = cp == 0xFFFFFFFFu ? -1 : unicode_to_byte(cp);
    if (b < 0) return false;
    out->push_back(static_cast<char>(b));
    i += len;
  }
  return true;
}

std::string bytes_to_byte_level(std::string_view bytes) {
  std::string out;
  const auto& f = byte_to_unicode();
  for (unsigned char c : bytes) unicode::append_utf8(&out, f[c]);
  return out;
}

// ---------------------------------------------------------------- building

void CoreTokenizer::set_vocab(size_t n) {
  tok_span_.assign(n, StrSpan{});
  dec_span_.assign(n, StrSpan{});
  present_.assign(n, 0);
  special_.assign(n, 0);
  tok_arena_.clear();
  dec_arena_.clear();
  tok_arena_.reserve(n * 8);
  dec_arena_.reserve(n * 6);
  spelling_to_id_.reserve(std::min<size_t>(n, 4096));
  std::fill(std::begin(byte_ids_), std::end(byte_ids_), -1);
}

void CoreTokenizer::set_token(TokenId id, std::string_view spelling, std::string_view decoded) {
  if (id < 0 || static_cast<size_t>(id) >= present_.size()) return;
  tok_span_[id] =
      StrSpan{static_cast<uint32_t>(tok_arena_.size()), static_cast<uint32_t>(spelling.size())};
  tok_arena_.append(spelling.data(), spelling.size());
  if (decoded == spelling) {
    dec_span_[id] = StrSpan{tok_span_[id].off, tok_span_[id].len};
    dec_span_[id].off |= 0x80000000u;  // marks "same as spelling"
  } else {
    dec_span_[id] =
        StrSpan{static_cast<uint32_t>(dec_arena_.size()), static_cast<uint32_t>(decoded.size())};
    dec_arena_.append(decoded.data(), decoded.size());
  }
  present_[id] = 1;
  spelling_to_id_.insert(spelling, id);
}

void CoreTokenizer::set_token_bytes(TokenId id, std::string_view bytes) {
  if (id < 0 || static_cast<size_t>(id) >= present_.size()) return;
  tok_span_[id] = StrSpan{0, kDerivedSpelling};
  dec_span_[id] =
      StrSpan{static_cast<uint32_t>(dec_arena_.size()), static_cast<uint32_t>(bytes.size())};
  dec_arena_.append(bytes.data(), bytes.size());
  present_[id] = 1;
}

void CoreTokenizer::add_added_token(std::string_view content, TokenId id, bool special) {
  if (content.empty() || id < 0) return;
  if (trie_.empty()) trie_.emplace_back();
  int32_t node = 0;
  for (unsigned char c : content) {
    uint64_t key = (static_cast<uint64_t>(node) << 8) | c;
    auto it = trie_edges_.find(key);
    if (it == trie_edges_.end()) {
      trie_.emplace_back();
      int32_t child = static_cast<int32_t>(trie_.size() - 1);
      trie_edges_.emplace(key, child);
      node = child;
    } else {
      node = it->second;
    }
  }
  trie_[node].token = id;
  trie_[node].special = special;
  trie_first_[static_cast<unsigned char>(content[0])] = true;
  if (special && static_cast<size_t>(id) < special_.size()) special_[id] = 1;
}

Result<bool> CoreTokenizer::finalize() {
  size_t n = present_.size();
  // Resolve "same as spelling" decoded spans into the decoded arena's coordinates.
  for (size_t i = 0; i < n; ++i) {
    if (!(dec_span_[i].off & 0x80000000u)) continue;
    uint32_t off = dec_span_[i].off & 0x7FFFFFFFu;
    dec_span_[i].off = static_cast<uint32_t>(dec_arena_.size());
    dec_arena_.append(tok_arena_, off, dec_span_[i].len);
  }
  if (tok_arena_.size() >= 0x7FFFFFFFu || dec_arena_.size() >= 0x7FFFFFFFu)
    return make_error(ErrorCode::kParseError, "vocabulary too large");
  // Single-byte symbols.
  for (int b = 0; b < 256; ++b) {
    if (mode == Mode::kByteLevel) {
      char c = static_cast<char>(b);
      byte_ids_[b] = piece_to_id_.find(&c, 1);
      if (byte_ids_[b] < 0)
        return make_error(ErrorCode::kParseError,
                          "byte-level vocabulary lacks a token for byte " + std::to_string(b));
    } else {
      char name[8];
      snprintf(name, sizeof(name), "<0x%02X>", b);
      byte_ids_[b] = spelling_to_id_.find(name, 6);
    }
  }
  if (byte_fallback)
    for (int b = 0; b < 256; ++b)
      if (byte_ids_[b] < 0) {
        byte_fallback = false;  // incomplete byte tokens: the reference falls back to <unk>
        break;
      }
  if (mode == Mode::kUnigram && scores.size() < n) scores.resize(n, 0.0f);
  return true;
}

std::vector<TokenId> CoreTokenizer::special_ids() const {
  std::vector<TokenId> out;
  for (size_t i = 0; i < special_.size(); ++i)
    if (special_[i]) out.push_back(static_cast<TokenId>(i));
  return out;
}

// ---------------------------------------------------------------- look-ups

Result<std::string> CoreTokenizer::token_bytes(TokenId id) const {
  if (id < 0 || static_cast<size_t>(id) >= present_.size() || !present_[id])
    return make_error(ErrorCode::kInvalidArgument, "unknown token id " + std::to_string(id));
  return std::string(dec_arena_.data() + dec_span_[id].off, dec_span_[id].len);
}

Result<std::string> CoreTokenizer::id_to_token(TokenId id) const {
  if (id < 0 || static_cast<size_t>(id) >= present_.size() || !present_[id])
    return make_error(ErrorCode::kInvalidArgument, "unknown token id " + std::to_string(id));
  if (tok_span_[id].len == kDerivedSpelling)
    return bytes_to_byte_level(
        std::string_view(dec_arena_.data() + dec_span_[id].off, dec_span_[id].len));
  return std::string(tok_arena_.data() + tok_span_[id].off, tok_span_[id].len);
}

TokenId CoreTokenizer::token_to_id(std::string_view token) const {
  int32_t id = spelling_to_id_.find(token);
  if (id >= 0) return id;
  std::string bytes;
  if (byte_level_to_bytes(token, &bytes)) {
    id = piece_to_id_.find(bytes);
    if (id >= 0 && tok_span_[id].len == kDerivedSpelling) return id;
  }
  return kNoToken;
}

// ---------------------------------------------------------------- decode

Result<std::string> CoreTokenizer::decode(const std::vector<TokenId>& ids,
                                          bool skip_special) const {
  std::string raw;
  raw.reserve(ids.size() * 4);
  for (TokenId id : ids) {
    if (id < 0 || static_cast<size_t>(id) >= present_.size() || !present_[id])
      return make_error(ErrorCode::kInvalidArgument, "unknown token id " + std::to_string(id));
    if (skip_special && special_[id]) continue;
    raw.append(dec_arena_.data() + dec_span_[id].off, dec_span_[id].len);
  }
  size_t strip = 0;
  while (strip < raw.size() && strip < static_cast<size_t>(strip_leading_spaces) &&
         raw[strip] == ' ')
    ++strip;
  std::string_view body(raw.data() + strip, raw.size() - strip);
  if (unicode::is_valid_utf8(body)) return std::string(body);
  return unicode::repair_utf8(body);
}

// ---------------------------------------------------------------- encode

Result<std::vector<TokenId>> CoreTokenizer::encode(std::string_view text,
                                                   const EncodeOptions& options) const {
  std::string repaired;
  if (!unicode::is_valid_utf8(text)) {
    repaired = unicode::repair_utf8(text);
    text = repaired;
  }
  std::string normalized;
  if (normalize_first && !normalizers.empty()) {
    normalized.assign(text);
    normalize(&normalized, true);
    text = normalized;
  }
  std::vector<TokenId> out;
  out.reserve(text.size() / 3 + 4);
  if (options.add_bos && bos_ >= 0) out.push_back(bos_);
  size_t seg_start = 0;
  bool first = true;
  if (!trie_.empty()) {
    const unsigned char* s = reinterpret_cast<const unsigned char*>(text.data());
    size_t n = text.size();
    for (size_t i = 0; i < n;) {
      if (!trie_first_[s[i]]) {
        ++i;
        continue;
      }
      // Longest added token starting at i.
      int32_t node = 0, best = -1;
      size_t best_end = 0;
      for (size_t j = i; j < n; ++j) {
        auto it = trie_edges_.find((static_cast<uint64_t>(node) << 8) | s[j]);
        if (it == trie_edges_.end()) break;
        node = it->second;
        const TrieNode& t = trie_[node];
        if (t.token >= 0 && (options.parse_special || !t.special)) {
          best = t.token;
          best_end = j + 1;
        }
      }
      if (best < 0) {
        ++i;
        continue;
      }
      if (i > seg_start) encode_segment(text.substr(seg_start, i - seg_start), first, &out);
      first = false;
      out.push_back(best);
      i = seg_start = best_end;
    }
  }
  if (seg_start < text.size()) encode_segment(text.substr(seg_start), first, &out);
  if (options.add_eos && eos_ >= 0) out.push_back(eos_);
  return out;
}

namespace {

void replace_all(std::string* s, std::string_view from, std::string_view to) {
  if (from.empty() || s->find(from) == std::string::npos) return;
  std::string out;
  out.reserve(s->size() + s->size() / 4);
  size_t pos = 0;
  for (;;) {
    size_t k = s->find(from, pos);
    if (k == std::string::npos) break;
    out.append(*s, pos, k - pos);
    out.append(to);
    pos = k + from.size();
  }
  out.append(*s, pos, std::string::npos);
  s->swap(out);
}

// SentencePiece remove_extra_whitespaces: strip leading/trailing spaces, collapse runs.
void collapse_spaces(std::string* s) {
  std::string out;
  out.reserve(s->size());
  bool prev_space = true;
  for (char c : *s) {
    if (c == ' ') {
      if (!prev_space) out.push_back(' ');
      prev_space = true;
    } else {
      out.push_back(c);
      prev_space = false;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  s->swap(out);
}

// Splits [b, e) of buf at every occurrence of delim, according to behavior.
void split_string(const std::string& buf, Span span, std::string_view delim,
                  PreTokenizerStep::Behavior behavior, std::vector<Span>* out) {
  uint32_t b = span.first, e = span.second;
  if (delim.empty()) {
    out->push_back(span);
    return;
  }
  std::vector<std::pair<Span, bool>> parts;  // (span, is_match)
  uint32_t pos = b;
  while (pos < e) {
    size_t k = buf.find(delim, pos);
    if (k == std::string::npos || k + delim.size() > e) break;
    if (k > pos) parts.push_back({{pos, static_cast<uint32_t>(k)}, false});
    parts.push_back({{static_cast<uint32_t>(k), static_cast<uint32_t>(k + delim.size())}, true});
    pos = static_cast<uint32_t>(k + delim.size());
  }
  if (pos < e) parts.push_back({{pos, e}, false});
  using B = PreTokenizerStep;
  switch (behavior) {
    case B::kIsolated:
      for (auto& p : parts) out->push_back(p.first);
      break;
    case B::kRemoved:
      for (auto& p : parts)
        if (!p.second) out->push_back(p.first);
      break;
    case B::kMergedWithPrevious: {
      bool open = false;
      for (auto& p : parts) {
        if (p.second && open) {
          out->back().second = p.first.second;
          open = false;
        } else {
          out->push_back(p.first);
          open = !p.second;
        }
      }
      break;
    }
    case B::kMergedWithNext: {
      bool pending = false;
      for (auto& p : parts) {
        if (pending) {
          out->back().second = p.first.second;
          pending = p.second;
        } else {
          out->push_back(p.first);
          pending = p.second;
        }
      }
      break;
    }
    case B::kContiguous: {
      bool last_match = false;
      for (size_t i = 0; i < parts.size(); ++i) {
        if (i > 0 && parts[i].second && last_match)
          out->back().second = parts[i].first.second;
        else
          out->push_back(parts[i].first);
        last_match = parts[i].second;
      }
      break;
    }
  }
}

}  // namespace

void CoreTokenizer::normalize(std::string* buf, bool first_segment) const {
  for (const NormalizerStep& n : normalizers) {
    switch (n.kind) {
      case NormalizerStep::kNfc:
        if (!unicode::nfc_quick_unchanged(*buf)) *buf = unicode::nfc(*buf);
        break;
      case NormalizerStep::kPrepend:
        if (!buf->empty() && (first_segment || !n.first_only)) buf->insert(0, n.a);
        break;
      case NormalizerStep::kReplace:
        replace_all(buf, n.a, n.b);
        break;
      case NormalizerStep::kCollapseSpaces:
        collapse_spaces(buf);
        break;
    }
  }
}

void CoreTokenizer::encode_segment(std::string_view seg, bool first_segment,
                                   std::vector<TokenId>* out) const {
  std::string buf(seg);
  if (!normalize_first) normalize(&buf, first_segment);
  if (buf.empty()) return;
  thread_local std::vector<Span> spans, next;
  spans.clear();
  spans.emplace_back(0, static_cast<uint32_t>(buf.size()));
  for (const PreTokenizerStep& p : pretokenizers) {
    next.clear();
    switch (p.kind) {
      case PreTokenizerStep::kSplitRegex:
        for (const Span& sp : spans) {
          size_t before = next.size();
          split_with_pattern(p.pattern,
                             std::string_view(buf).substr(sp.first, sp.second - sp.first), &next);
          for (size_t k = before; k < next.size(); ++k) {
            next[k].first += sp.first;
            next[k].second += sp.first;
          }
        }
        break;
      case PreTokenizerStep::kSplitString:
        for (const Span& sp : spans) split_string(buf, sp, p.str, p.behavior, &next);
        break;
      case PreTokenizerStep::kDigits:
        for (const Span& sp : spans) {
          // Split into runs of digits / non-digits (or single digits).
          uint32_t i = sp.first;
          while (i < sp.second) {
            size_t len;
            const unsigned char* s = reinterpret_cast<const unsigned char*>(buf.data());
            uint32_t cp = unicode::decode_utf8(s, sp.second, i, &len);
            bool dig = unicode::category_flags(cp) & unicode::kNumber;
            uint32_t j = static_cast<uint32_t>(i + len);
            if (!(dig && p.flag)) {
              while (j < sp.second) {
                size_t l2;
                uint32_t c2 = unicode::decode_utf8(s, sp.second, j, &l2);
                bool d2 = unicode::category_flags(c2) & unicode::kNumber;
                if (d2 != dig) break;
                if (dig && p.flag) break;
                j += static_cast<uint32_t>(l2);
              }
            }
            next.emplace_back(i, j);
            i = j;
          }
        }
        break;
      case PreTokenizerStep::kByteLevelPrefix:
      case PreTokenizerStep::kMetaspace: {
        // Content-changing steps: rebuild the buffer.
        std::string nb;
        nb.reserve(buf.size() + spans.size() * 3 + 3);
        std::vector<Span> ns;
        for (size_t k = 0; k < spans.size(); ++k) {
          std::string piece = buf.substr(spans[k].first, spans[k].second - spans[k].first);
          if (p.kind == PreTokenizerStep::kByteLevelPrefix) {
            if (k == 0 && first_segment && (piece.empty() || piece[0] != ' ')) piece.insert(0, " ");
          } else {
            replace_all(&piece, " ", p.str);
            bool want = p.prepend == 1 || (p.prepend == 2 && first_segment && k == 0);
            if (want && piece.compare(0, p.str.size(), p.str) != 0) piece.insert(0, p.str);
          }
          uint32_t b = static_cast<uint32_t>(nb.size());
          nb += piece;
          Span sp{b, static_cast<uint32_t>(nb.size())};
          if (p.kind == PreTokenizerStep::kMetaspace && p.flag)
            split_string(nb, sp, p.str, PreTokenizerStep::kMergedWithNext, &ns);
          else
            ns.push_back(sp);
        }
        buf.swap(nb);
        next.swap(ns);
        break;
      }
    }
    spans.swap(next);
  }
  for (const Span& sp : spans)
    if (sp.second > sp.first)
      encode_piece(std::string_view(buf).substr(sp.first, sp.second - sp.first), out);
}

namespace {
std::atomic<uint64_t> g_instance_serial{1};

// Per-thread, direct-mapped cache of recent pre-token -> ids results (encode is const and may run
// on several threads at once, so the cache is thread_local and tagged with the tokenizer).
struct PieceCache {
  static constexpr size_t kSlots = 16384;
  struct Entry {
    uint64_t owner = 0;
    std::string key;
    std::vector<TokenId> ids;
  };
  std::vector<Entry> slots{kSlots};
};
}  // namespace

CoreTokenizer::CoreTokenizer() : serial_(g_instance_serial.fetch_add(1)) {}

void CoreTokenizer::encode_piece(std::string_view piece, std::vector<TokenId>* out) const {
  if (piece.size() > 1 && piece.size() <= 256 && mode != Mode::kUnigram) {
    thread_local PieceCache cache;
    uint64_t h = hash_bytes(piece.data(), piece.size());
    PieceCache::Entry& e =
        cache.slots[(h ^ serial_ * 0x9E3779B97F4A7C15ull) & (PieceCache::kSlots - 1)];
    if (e.owner == serial_ && e.key == piece) {
      out->insert(out->end(), e.ids.begin(), e.ids.end());
      return;
    }
    size_t before = out->size();
    if (mode == Mode::kByteLevel)
      bpe_byte_level(piece, out);
    else
      bpe_chars(piece, out);
    e.owner = serial_;
    e.key.assign(piece.data(), piece.size());
    e.ids.assign(out->begin() + before, out->end());
    return;
  }
  switch (mode) {
    case Mode::kByteLevel:
      bpe_byte_level(piece, out);
      break;
    case Mode::kChars:
      bpe_chars(piece, out);
      break;
    case Mode::kUnigram:
      unigram(piece, out);
      break;
  }
}

void CoreTokenizer::bpe_byte_level(std::string_view piece, std::vector<TokenId>* out) const {
  if (piece.size() == 1) {
    out->push_back(byte_ids_[static_cast<unsigned char>(piece[0])]);
    return;
  }
  if (ignore_merges) {
    int32_t id = piece_to_id_.find(piece);
    if (id >= 0) {
      out->push_back(id);
      return;
    }
  }
  thread_local std::vector<int32_t> ids;
  thread_local std::vector<uint32_t> starts;
  ids.clear();
  starts.clear();
  for (size_t i = 0; i < piece.size(); ++i) {
    ids.push_back(byte_ids_[static_cast<unsigned char>(piece[i])]);
    starts.push_back(static_cast<uint32_t>(i));
  }
  starts.push_back(static_cast<uint32_t>(piece.size()));
  merge_symbols(piece, &ids, &starts, out);
}

void CoreTokenizer::bpe_chars(std::string_view piece, std::vector<TokenId>* out) const {
  if (ignore_merges) {
    int32_t id = piece_to_id_.find(piece);
    if (id >= 0) {
      out->push_back(id);
      return;
    }
  }
  thread_local std::vector<int32_t> ids;
  thread_local std::vector<uint32_t> starts;
  ids.clear();
  starts.clear();
  const unsigned char* s = reinterpret_cast<const unsigned char*>(piece.data());
  size_t n = piece.size();
  bool prev_unk = false;
  for (size_t i = 0; i < n;) {
    size_t len;
    unicode::decode_utf8(s, n, i, &len);
    int32_t id = piece_to_id_.find(piece.data() + i, len);
    if (id >= 0) {
      ids.push_back(id);
      starts.push_back(static_cast<uint32_t>(i));
      prev_unk = false;
    } else if (byte_fallback) {
      for (size_t k = 0; k < len; ++k) {
        ids.push_back(byte_ids_[s[i + k]]);
        starts.push_back(static_cast<uint32_t>(i + k));
      }
      prev_unk = false;
    } else if (unk_ >= 0) {
      if (!(fuse_unk && prev_unk)) {
        ids.push_back(unk_);
        starts.push_back(static_cast<uint32_t>(i));
      }
      prev_unk = true;
    }
    i += len;
  }
  starts.push_back(static_cast<uint32_t>(n));
  merge_symbols(piece, &ids, &starts, out);
}

int32_t CoreTokenizer::pair_rank(std::string_view piece, const std::vector<int32_t>& ids,
                                 const std::vector<uint32_t>& starts, size_t l, size_t r,
                                 size_t rend, int32_t* merged) const {
  if (rank_by_concat) {
    uint32_t b = starts[l], e = starts[rend];
    int32_t id = piece_to_id_.find(piece.data() + b, e - b);
    if (id < 0) return kNoRank;
    *merged = id;
    return piece_rank.empty() ? id : piece_rank[id];
  }
  const PairMap::Value* v = merges_.find(ids[l], ids[r]);
  if (!v) return kNoRank;
  *merged = v->id;
  return v->rank;
}

void CoreTokenizer::merge_symbols(std::string_view piece, std::vector<int32_t>* ids_p,
                                  std::vector<uint32_t>* starts_p,
                                  std::vector<TokenId>* out) const {
  std::vector<int32_t>& ids = *ids_p;
  std::vector<uint32_t>& starts = *starts_p;  // size ids.size() + 1
  size_t n = ids.size();
  if (n <= 1) {
    if (n == 1) out->push_back(ids[0]);
    return;
  }
  if (n <= 48) {
    // Quadratic scan, as in tiktoken: fastest for the short pieces that dominate.
    thread_local std::vector<int32_t> ranks, merged;
    ranks.resize(n - 1);
    merged.resize(n - 1);
    for (size_t i = 0; i + 1 < n; ++i)
      ranks[i] = pair_rank(piece, ids, starts, i, i + 1, i + 2, &merged[i]);
    while (n > 1) {
      int32_t best = kNoRank;
      size_t bi = 0;
      for (size_t i = 0; i + 1 < n; ++i)
        if (ranks[i] < best) {
          best = ranks[i];
          bi = i;
        }
      if (best == kNoRank) break;
      ids[bi] = merged[bi];
      ids.erase(ids.begin() + bi + 1);
      starts.erase(starts.begin() + bi + 1);
      ranks.erase(ranks.begin() + bi);
      merged.erase(merged.begin() + bi);
      --n;
      if (bi + 1 < n) ranks[bi] = pair_rank(piece, ids, starts, bi, bi + 1, bi + 2, &merged[bi]);
      if (bi > 0)
        ranks[bi - 1] = pair_rank(piece, ids, starts, bi - 1, bi, bi + 1, &merged[bi - 1]);
    }
    out->insert(out->end(), ids.begin(), ids.begin() + n);
    return;
  }
  // Long pieces: linked list + min-heap with lazy invalidation, O(n log n).
  std::vector<int32_t> prev(n), next(n);
  for (size_t i = 0; i < n; ++i) {
    prev[i] = static_cast<int32_t>(i) - 1;
    next[i] = i + 1 < n ? static_cast<int32_t>(i + 1) : -1;
  }
  // Symbol i spans [starts[i], starts[end_of(i)]) where end_of(i) is next[i] or n.
  struct Cand {
    int32_t rank, left, right, left_id, right_id, merged;
    bool operator>(const Cand& o) const { return rank != o.rank ? rank > o.rank : left > o.left; }
  };
  std::priority_queue<Cand, std::vector<Cand>, std::greater<Cand>> heap;
  auto end_of = [&](int32_t i) { return next[i] < 0 ? n : static_cast<size_t>(next[i]); };
  auto push = [&](int32_t l) {
    if (l < 0) return;
    int32_t r = next[l];
    if (r < 0) return;
    int32_t m = -1;
    int32_t rank = pair_rank(piece, ids, starts, l, r, end_of(r), &m);
    if (rank != kNoRank) heap.push(Cand{rank, l, r, ids[l], ids[r], m});
  };
  for (size_t i = 0; i + 1 < n; ++i) push(static_cast<int32_t>(i));
  std::vector<uint8_t> dead(n, 0);
  while (!heap.empty()) {
    Cand c = heap.top();
    heap.pop();
    if (dead[c.left] || dead[c.right] || next[c.left] != c.right || ids[c.left] != c.left_id ||
        ids[c.right] != c.right_id)
      continue;
    ids[c.left] = c.merged;
    dead[c.right] = 1;
    next[c.left] = next[c.right];
    if (next[c.right] >= 0) prev[next[c.right]] = c.left;
    push(prev[c.left]);
    push(c.left);
  }
  for (int32_t i = 0; i >= 0; i = next[i]) out->push_back(ids[i]);
}

void CoreTokenizer::unigram(std::string_view piece, std::vector<TokenId>* out) const {
  // Lattice Viterbi in sentencepiece's "pull" form: every node picks its best predecessor among
  // the nodes ending where it begins (first strictly greater wins), with float sums.  Matching
  // this order matters because float rounding decides near-ties.
  const unsigned char* s = reinterpret_cast<const unsigned char*>(piece.data());
  size_t n = piece.size();
  struct Node {
    uint32_t begin, end;
    int32_t id;  // -2: unknown character
    float score, bt;
    int32_t prev;
  };
  std::vector<Node> nodes;
  std::vector<std::vector<int32_t>> ends(n + 1);
  nodes.push_back(Node{0, 0, -1, 0.0f, 0.0f, -1});  // BOS
  ends[0].push_back(0);
  auto best_prev = [&](size_t pos, float score, float* bt) {
    int32_t best = -1;
    float best_score = 0;
    for (int32_t l : ends[pos]) {
      float sc = nodes[l].bt + score;
      if (best < 0 || sc > best_score) {
        best = l;
        best_score = sc;
      }
    }
    *bt = best_score;
    return best;
  };
  for (size_t i = 0; i < n;) {
    size_t clen;
    unicode::decode_utf8(s, n, i, &clen);
    bool single = false;
    size_t j = i;
    while (j < n && j - i < max_piece_len_) {
      size_t l;
      unicode::decode_utf8(s, n, j, &l);
      j += l;
      int32_t id = piece_to_id_.find(piece.data() + i, j - i);
      if (id < 0) continue;
      if (j == i + clen) single = true;
      Node nd{static_cast<uint32_t>(i), static_cast<uint32_t>(j), id, scores[id], 0.0f, -1};
      nd.prev = best_prev(i, nd.score, &nd.bt);
      nodes.push_back(nd);
      ends[j].push_back(static_cast<int32_t>(nodes.size() - 1));
    }
    if (!single) {
      Node nd{static_cast<uint32_t>(i), static_cast<uint32_t>(i + clen), -2, unk_score, 0.0f, -1};
      nd.prev = best_prev(i, nd.score, &nd.bt);
      nodes.push_back(nd);
      ends[i + clen].push_back(static_cast<int32_t>(nodes.size() - 1));
    }
    i += clen;
  }
  float dummy;
  int32_t cur = best_prev(n, 0.0f, &dummy);
  std::vector<int32_t> path;
  for (; cur > 0; cur = nodes[cur].prev) path.push_back(cur);
  std::reverse(path.begin(), path.end());
  bool prev_unk = false;
  for (int32_t k : path) {
    const Node& nd = nodes[k];
    if (nd.id == -2) {
      if (byte_fallback) {
        for (uint32_t q = nd.begin; q < nd.end; ++q) out->push_back(byte_ids_[s[q]]);
        prev_unk = false;
      } else {
        if (!prev_unk && unk_ >= 0) out->push_back(unk_);
        prev_unk = true;
      }
    } else {
      out->push_back(nd.id);
      prev_unk = false;
    }
  }
}

// ---------------------------------------------------------------- streaming

StreamDecoder::StreamDecoder(const Tokenizer* tokenizer, bool skip_special)
    : tok_(tokenizer), skip_special_(skip_special) {
  strip_left_ = tok_->decode_strip_leading_spaces();
}

void StreamDecoder::reset() {
  pending_.clear();
  first_ = true;
  strip_left_ = tok_->decode_strip_leading_spaces();
}

Result<std::string> StreamDecoder::step(TokenId id) {
  Result<std::string> bytes = tok_->token_bytes(id);
  if (!bytes.ok()) return bytes.error();
  if (skip_special_ && tok_->is_special(id)) return std::string();
  pending_ += *bytes;
  size_t k = 0;
  while (strip_left_ > 0 && k < pending_.size() && pending_[k] == ' ') {
    ++k;
    --strip_left_;
  }
  if (k) pending_.erase(0, k);
  if (!pending_.empty()) strip_left_ = 0;
  // Emit everything except a trailing sequence that is still a valid, incomplete prefix.
  const unsigned char* s = reinterpret_cast<const unsigned char*>(pending_.data());
  size_t n = pending_.size();
  std::string out;
  size_t i = 0;
  while (i < n) {
    size_t len;
    uint32_t cp = unicode::decode_utf8(s, n, i, &len);
    if (cp == 0xFFFFFFFFu) {
      if (i + len >= n && s[i] >= 0xC2 && s[i] <= 0xF4) break;  // incomplete: wait for more
      out += "\xEF\xBF\xBD";
    } else {
      out.append(pending_, i, len);
    }
    i += len;
  }
  pending_.erase(0, i);
  first_ = false;
  return out;
}

std::string StreamDecoder::flush() {
  std::string out = pending_.empty() ? std::string() : unicode::repair_utf8(pending_);
  pending_.clear();
  return out;
}

}  // namespace ember::tokenizers
