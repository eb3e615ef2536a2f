// Hugging Face tokenizer.json loader (BPE models: byte-level and SentencePiece-style).
#include <cstring>
#include <string>
#include <vector>

#include "hash.h"
#include "json.h"
#include "loaders.h"
#include "unicode.h"

namespace ember::tokenizers {
namespace {

using json::Document;
using json::Type;

constexpr int64_t kMaxVocab = 16 * 1024 * 1024;

Error parse_err(const std::string& m) {
  return make_error(ErrorCode::kParseError, m);
}
Error unsupported(const std::string& m) {
  return make_error(ErrorCode::kUnsupported, m);
}

std::string type_of(const Document& d, uint32_t node) {
  return d.str_or(d.get(node, "type"), "");
}

// Flattens {"type":"Sequence", <list_key>: [...]} into its elements.
void flatten(const Document& d, uint32_t node, const char* list_key, std::vector<uint32_t>* out) {
  if (d.is_null(node) || d.type(node) != Type::kObject) return;
  if (type_of(d, node) == "Sequence") {
    uint32_t arr = d.get(node, list_key);
    if (arr && d.type(arr) == Type::kArray)
      for (uint32_t c = d.first(arr); c; c = d.next(c)) flatten(d, c, list_key, out);
    return;
  }
  out->push_back(node);
}

// Reads a {"String": s} or {"Regex": r} pattern.
bool read_pattern(const Document& d, uint32_t node, std::string* str, std::string* regex) {
  if (d.is_null(node) || d.type(node) != Type::kObject) return false;
  uint32_t s = d.get(node, "String");
  if (s) return d.str(s, str);
  uint32_t r = d.get(node, "Regex");
  if (r) return d.str(r, regex);
  return false;
}

// A token name from tokenizer_config.json: either a string or {"content": ...}.
std::string config_token(const Document& d, uint32_t node) {
  if (d.is_null(node)) return "";
  if (d.type(node) == Type::kString) return d.str_or(node, "");
  if (d.type(node) == Type::kObject) return d.str_or(d.get(node, "content"), "");
  return "";
}

bool parse_byte_token(std::string_view s, unsigned char* b) {
  if (s.size() != 6 || s.substr(0, 3) != "<0x" || s[5] != '>') return false;
  auto hv = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  int h = hv(s[3]), l = hv(s[4]);
  if (h < 0 || l < 0) return false;
  *b = static_cast<unsigned char>(h * 16 + l);
  return true;
}

}  // namespace

Result<std::unique_ptr<Tokenizer>> load_hf_json(std::string_view data, std::string_view config) {
  Document d;
  if (!d.parse(data)) return parse_err("tokenizer.json: " + d.error());
  uint32_t root = d.root();
  if (d.type(root) != Type::kObject) return parse_err("tokenizer.json: top level is not an object");
  uint32_t model = d.get(root, "model");
  if (!model || d.type(model) != Type::kObject) return parse_err("tokenizer.json: no \"model\"");
  std::string mtype = type_of(d, model);
  uint32_t vocab = d.get(model, "vocab");
  uint32_t merges = d.get(model, "merges");
  if (mtype.empty() && merges) mtype = "BPE";
  if (mtype != "BPE")
    return unsupported("tokenizer.json model type \"" + mtype + "\" (only BPE is supported)");
  if (!vocab || d.type(vocab) != Type::kObject)
    return parse_err("tokenizer.json: model.vocab is not an object");
  if (!merges || d.type(merges) != Type::kArray)
    return parse_err("tokenizer.json: model.merges is not an array");
  if (!d.str_or(d.get(model, "continuing_subword_prefix"), "").empty() ||
      !d.str_or(d.get(model, "end_of_word_suffix"), "").empty())
    return unsupported("BPE continuing_subword_prefix / end_of_word_suffix");

  auto tok = std::make_unique<CoreTokenizer>();
  tok->format_ = Format::kHuggingFace;

  // ---- pre-tokenizer, normalizer, decoder
  std::vector<uint32_t> pres, norms, decs;
  flatten(d, d.get(root, "pre_tokenizer"), "pretokenizers", &pres);
  flatten(d, d.get(root, "normalizer"), "normalizers", &norms);
  flatten(d, d.get(root, "decoder"), "decoders", &decs);
  bool byte_level = false;
  for (uint32_t p : pres)
    if (type_of(d, p) == "ByteLevel") byte_level = true;
  for (uint32_t p : decs)
    if (type_of(d, p) == "ByteLevel") byte_level = true;
  tok->mode = byte_level ? CoreTokenizer::Mode::kByteLevel : CoreTokenizer::Mode::kChars;

  for (uint32_t n : norms) {
    std::string t = type_of(d, n);
    if (t == "NFC") {
      tok->normalizers.push_back({NormalizerStep::kNfc, "", ""});
    } else if (t == "Prepend") {
      tok->normalizers.push_back({NormalizerStep::kPrepend, d.str_or(d.get(n, "prepend"), ""), ""});
    } else if (t == "Replace") {
      std::string s, r;
      if (!read_pattern(d, d.get(n, "pattern"), &s, &r))
        return parse_err("Replace normalizer without a pattern");
      if (!r.empty()) return unsupported("Replace normalizer with a regex pattern");
      tok->normalizers.push_back({NormalizerStep::kReplace, s, d.str_or(d.get(n, "content"), "")});
    } else {
      return unsupported("normalizer \"" + t + "\"");
    }
  }
  for (uint32_t p : pres) {
    std::string t = type_of(d, p);
    PreTokenizerStep st;
    if (t == "ByteLevel") {
      if (d.as_bool(d.get(p, "add_prefix_space"), false)) {
        st.kind = PreTokenizerStep::kByteLevelPrefix;
        tok->pretokenizers.push_back(st);
      }
      if (d.as_bool(d.get(p, "use_regex"), true)) {
        PreTokenizerStep r;
        r.kind = PreTokenizerStep::kSplitRegex;
        r.pattern = SplitPattern::kGpt2;
        tok->pretokenizers.push_back(r);
      }
      continue;
    }
    if (t == "Split") {
      std::string s, r;
      if (!read_pattern(d, d.get(p, "pattern"), &s, &r))
        return parse_err("Split pre-tokenizer without a pattern");
      if (d.as_bool(d.get(p, "invert"), false))
        return unsupported("Split pre-tokenizer with invert");
      std::string beh = d.str_or(d.get(p, "behavior"), "Isolated");
      if (beh == "Isolated")
        st.behavior = PreTokenizerStep::kIsolated;
      else if (beh == "Removed")
        st.behavior = PreTokenizerStep::kRemoved;
      else if (beh == "MergedWithPrevious")
        st.behavior = PreTokenizerStep::kMergedWithPrevious;
      else if (beh == "MergedWithNext")
        st.behavior = PreTokenizerStep::kMergedWithNext;
      else if (beh == "Contiguous")
        st.behavior = PreTokenizerStep::kContiguous;
      else
        return unsupported("Split behavior \"" + beh + "\"");
      if (!r.empty()) {
        st.kind = PreTokenizerStep::kSplitRegex;
        st.pattern = pattern_from_regex(r);
        if (st.pattern == SplitPattern::kNone)
          return unsupported("pre-tokenizer regex not recognised: " + r);
        if (st.behavior != PreTokenizerStep::kIsolated)
          return unsupported("regex Split with behavior \"" + beh + "\"");
      } else {
        st.kind = PreTokenizerStep::kSplitString;
        st.str = s;
      }
      tok->pretokenizers.push_back(st);
      continue;
    }
    if (t == "Metaspace") {
      st.kind = PreTokenizerStep::kMetaspace;
      st.str = d.str_or(d.get(p, "replacement"), "\xE2\x96\x81");
      std::string scheme = d.str_or(d.get(p, "prepend_scheme"), "");
      if (scheme.empty())
        scheme = d.as_bool(d.get(p, "add_prefix_space"), true) ? "always" : "never";
      st.prepend = scheme == "always" ? 1 : scheme == "first" ? 2 : 0;
      st.flag = d.as_bool(d.get(p, "split"), true);
      tok->pretokenizers.push_back(st);
      continue;
    }
    if (t == "Digits") {
      st.kind = PreTokenizerStep::kDigits;
      st.flag = d.as_bool(d.get(p, "individual_digits"), false);
      tok->pretokenizers.push_back(st);
      continue;
    }
    return unsupported("pre-tokenizer \"" + t + "\"");
  }
  // Decoder: per-token replacements, byte fallback, leading-space strip.
  std::vector<std::pair<std::string, std::string>> dec_replace;
  bool dec_byte_fallback = false;
  for (uint32_t n : decs) {
    std::string t = type_of(d, n);
    if (t == "ByteLevel" || t == "Fuse") continue;
    if (t == "ByteFallback") {
      dec_byte_fallback = true;
    } else if (t == "Replace") {
      std::string s, r;
      read_pattern(d, d.get(n, "pattern"), &s, &r);
      if (!r.empty()) return unsupported("Replace decoder with a regex pattern");
      dec_replace.emplace_back(s, d.str_or(d.get(n, "content"), ""));
    } else if (t == "Strip") {
      int64_t start = 0;
      d.as_int(d.get(n, "start"), &start);
      if (d.str_or(d.get(n, "content"), " ") == " ")
        tok->strip_leading_spaces = static_cast<int>(std::min<int64_t>(start, 64));
    } else if (t == "Metaspace") {
      std::string rep = d.str_or(d.get(n, "replacement"), "\xE2\x96\x81");
      dec_replace.emplace_back(rep, " ");
      std::string scheme = d.str_or(d.get(n, "prepend_scheme"), "");
      if (scheme.empty())
        scheme = d.as_bool(d.get(n, "add_prefix_space"), true) ? "always" : "never";
      if (scheme != "never") tok->strip_leading_spaces = 1;
    } else {
      return unsupported("decoder \"" + t + "\"");
    }
  }

  // ---- vocabulary
  int64_t max_id = -1;
  for (uint32_t k = d.first(vocab); k; k = d.next(k)) {
    int64_t id;
    if (!d.as_int(d.value_of(k), &id) || id < 0 || id >= kMaxVocab)
      return parse_err("tokenizer.json: bad id in model.vocab");
    if (id > max_id) max_id = id;
  }
  uint32_t added = d.get(root, "added_tokens");
  if (added && d.type(added) != Type::kArray) return parse_err("added_tokens is not an array");
  if (added)
    for (uint32_t a = d.first(added); a; a = d.next(a)) {
      int64_t id;
      if (d.type(a) != Type::kObject || !d.as_int(d.get(a, "id"), &id) || id < 0 || id >= kMaxVocab)
        return parse_err("tokenizer.json: bad added token");
      if (id > max_id) max_id = id;
    }
  size_t n = static_cast<size_t>(max_id + 1);
  tok->set_vocab(n);
  tok->reserve_pieces(d.node(vocab).count);
  if (!byte_level) tok->reserve_spellings(d.node(vocab).count + 16);
  std::string key, bytes, decoded;
  auto decode_chars = [&](const std::string& spelling, std::string* out) {
    unsigned char b;
    if (dec_byte_fallback && parse_byte_token(spelling, &b)) {
      out->assign(1, static_cast<char>(b));
      return;
    }
    *out = spelling;
    for (auto& r : dec_replace) {
      if (r.first.empty() || out->find(r.first) == std::string::npos) continue;
      std::string o;
      size_t pos = 0;
      for (size_t k; (k = out->find(r.first, pos)) != std::string::npos; pos = k + r.first.size())
        o.append(*out, pos, k - pos).append(r.second);
      o.append(*out, pos, std::string::npos);
      out->swap(o);
    }
  };
  // Byte-level pieces are inserted a few entries after their hash is known, with the hash slot
  // prefetched in between: the table is larger than the caches and load time is memory bound.
  constexpr size_t kLag = 12;
  struct Pending {
    uint64_t h;
    TokenId id;
  };
  std::vector<Pending> pending;
  pending.reserve(kLag + 1);
  auto flush_pending = [&](size_t keep) {
    while (pending.size() > keep) {
      const Pending& p = pending.front();
      tok->add_piece_hashed(p.h, tok->decoded_view(p.id), p.id);
      pending.erase(pending.begin());
    }
  };
  for (uint32_t k = d.first(vocab); k; k = d.next(k)) {
    if (!d.node(k).escaped) {
      key.assign(d.ptr(k), d.node(k).len);
    } else if (!d.str(k, &key)) {
      return parse_err("tokenizer.json: bad vocab key");
    }
    int64_t id;
    d.as_int(d.value_of(k), &id);
    if (byte_level) {
      if (byte_level_to_bytes(key, &bytes)) {
        tok->set_token_bytes(static_cast<TokenId>(id), bytes);
        uint64_t h = hash_bytes(bytes.data(), bytes.size());
        tok->prefetch_piece(h);
        pending.push_back(Pending{h, static_cast<TokenId>(id)});
        flush_pending(kLag);
      } else {
        tok->set_token(static_cast<TokenId>(id), key, key);
      }
    } else {
      decode_chars(key, &decoded);
      tok->set_token(static_cast<TokenId>(id), key, decoded);
      tok->add_piece(key, static_cast<TokenId>(id));
      if (key.size() > tok->max_piece_len_) tok->max_piece_len_ = key.size();
    }
  }
  flush_pending(0);
  if (added)
    for (uint32_t a = d.first(added); a; a = d.next(a)) {
      int64_t id;
      d.as_int(d.get(a, "id"), &id);
      std::string content;
      if (!d.str(d.get(a, "content"), &content)) return parse_err("added token without content");
      bool special = d.as_bool(d.get(a, "special"), false);
      if (byte_level)
        decoded = content;
      else
        decode_chars(content, &decoded);
      tok->set_token(static_cast<TokenId>(id), content, decoded);
      tok->add_added_token(content, static_cast<TokenId>(id), special);
    }

  // ---- merges
  tok->reserve_merges(d.node(merges).count);
  struct ByteMerge {
    uint32_t off, alen, blen;
    int32_t rank;
    uint64_t ha, hb, hab;
  };
  std::vector<ByteMerge> byte_merges;
  std::string merge_arena;
  if (byte_level) {
    byte_merges.reserve(d.node(merges).count);
    merge_arena.reserve(static_cast<size_t>(d.node(merges).count) * 8);
  }
  std::string a, b, ab, tmp, abytes, bbytes;
  int32_t rank = 0;
  for (uint32_t m = d.first(merges); m; m = d.next(m), ++rank) {
    std::string_view va, vb;
    if (d.type(m) == Type::kString) {
      std::string_view whole;
      if (!d.node(m).escaped) {
        whole = d.raw(m);
      } else {
        if (!d.str(m, &tmp)) return parse_err("bad merge entry");
        whole = tmp;
      }
      size_t sp = whole.find(' ');
      if (sp == std::string_view::npos) return parse_err("merge without a space");
      va = whole.substr(0, sp);
      vb = whole.substr(sp + 1);
    } else if (d.type(m) == Type::kArray && d.node(m).count == 2) {
      uint32_t x = d.first(m), y = d.next(x);
      if (d.type(x) != Type::kString || d.type(y) != Type::kString)
        return parse_err("bad merge entry");
      if (!d.node(x).escaped)
        va = d.raw(x);
      else if (d.str(x, &a))
        va = a;
      else
        return parse_err("bad merge entry");
      if (!d.node(y).escaped)
        vb = d.raw(y);
      else if (d.str(y, &b))
        vb = b;
      else
        return parse_err("bad merge entry");
    } else {
      return parse_err("bad merge entry");
    }
    TokenId ia, ib, im = -1;
    if (byte_level) {
      // Model tokens are keyed by their bytes.
      // Collected here, resolved below with prefetching.
      if (!byte_level_to_bytes(va, &abytes) || !byte_level_to_bytes(vb, &bbytes)) continue;
      ByteMerge bm;
      bm.off = static_cast<uint32_t>(merge_arena.size());
      bm.alen = static_cast<uint32_t>(abytes.size());
      bm.blen = static_cast<uint32_t>(bbytes.size());
      bm.rank = rank;
      merge_arena += abytes;
      merge_arena += bbytes;
      const char* mp = merge_arena.data() + bm.off;
      bm.ha = hash_bytes(mp, bm.alen);
      bm.hb = hash_bytes(mp + bm.alen, bm.blen);
      bm.hab = hash_bytes(mp, bm.alen + bm.blen);
      byte_merges.push_back(bm);
      continue;
    } else {
      ia = tok->spelling_id(va.data(), va.size());
      ib = tok->spelling_id(vb.data(), vb.size());
      if (ia < 0 || ib < 0) continue;
      ab.assign(va.data(), va.size());
      ab.append(vb.data(), vb.size());
      im = tok->spelling_id(ab.data(), ab.size());
    }
    if (im < 0) continue;
    tok->add_merge(ia, ib, rank, im);
  }

  {
    constexpr size_t kAhead = 16;
    TokenId next_guess = 0;
    struct Ready {
      TokenId a, b, m;
      int32_t rank;
    };
    Ready ring[8];
    size_t ring_n = 0;
    for (size_t i = 0; i < byte_merges.size(); ++i) {
      if (i + kAhead < byte_merges.size()) {
        const ByteMerge& f = byte_merges[i + kAhead];
        tok->prefetch_piece(f.ha);
        tok->prefetch_piece(f.hb);
        tok->prefetch_piece(f.hab);
      }
      const ByteMerge& m = byte_merges[i];
      const char* mp = merge_arena.data() + m.off;
      TokenId ia = tok->piece_id_hashed(m.ha, mp, m.alen);
      TokenId ib = tok->piece_id_hashed(m.hb, mp + m.alen, m.blen);
      if (ia < 0 || ib < 0) continue;  // the reference rejects these; skipping is harmless
      std::string_view abv(mp, m.alen + m.blen);
      // Merge i usually creates the token after the one merge i-1 created: check it first.
      TokenId im = tok->is_byte_token(next_guess, abv)
                       ? next_guess
                       : tok->piece_id_hashed(m.hab, mp, abv.size());
      if (im < 0) continue;
      next_guess = im + 1;
      // Insert 8 merges later, after prefetching the pair's slot.  Order of insertion only
      // matters for duplicate pairs, which keep the first; the ring preserves order.
      tok->prefetch_merge(ia, ib);
      if (ring_n == 8) {
        const Ready& r = ring[0];
        tok->add_merge(r.a, r.b, r.rank, r.m);
        for (size_t k = 1; k < 8; ++k) ring[k - 1] = ring[k];
        --ring_n;
      }
      ring[ring_n++] = Ready{ia, ib, im, m.rank};
    }
    for (size_t k = 0; k < ring_n; ++k)
      tok->add_merge(ring[k].a, ring[k].b, ring[k].rank, ring[k].m);
  }

  tok->byte_fallback = d.as_bool(d.get(model, "byte_fallback"), false);
  tok->fuse_unk = d.as_bool(d.get(model, "fuse_unk"), false);
  tok->ignore_merges = d.as_bool(d.get(model, "ignore_merges"), false);
  std::string unk = d.str_or(d.get(model, "unk_token"), "");
  if (!unk.empty()) tok->unk_ = tok->token_to_id(unk);

  // ---- BOS / EOS: post-processor template, then tokenizer_config.json, then common names.
  uint32_t post = d.get(root, "post_processor");
  std::vector<uint32_t> posts;
  flatten(d, post, "processors", &posts);
  for (uint32_t p : posts) {
    if (type_of(d, p) != "TemplateProcessing") continue;
    uint32_t single = d.get(p, "single");
    if (!single || d.type(single) != Type::kArray) continue;
    bool seen_seq = false;
    for (uint32_t e = d.first(single); e; e = d.next(e)) {
      uint32_t st = d.get(e, "SpecialToken");
      if (!st) {
        if (d.get(e, "Sequence")) seen_seq = true;
        continue;
      }
      TokenId id = tok->token_to_id(d.str_or(d.get(st, "id"), ""));
      if (id < 0) continue;
      if (!seen_seq) {
        tok->bos_ = id;
        tok->default_add_bos_ = true;
      } else {
        tok->eos_ = id;
      }
    }
  }
  if (!config.empty()) {
    Document c;
    if (c.parse(config) && c.type(0) == Type::kObject) {
      std::string bos = config_token(c, c.get(0, "bos_token"));
      std::string eos = config_token(c, c.get(0, "eos_token"));
      if (!bos.empty() && tok->token_to_id(bos) >= 0) tok->bos_ = tok->token_to_id(bos);
      if (!eos.empty() && tok->token_to_id(eos) >= 0) tok->eos_ = tok->token_to_id(eos);
      uint32_t ab_node = c.get(0, "add_bos_token");
      if (ab_node && c.type(ab_node) == Type::kBool)
        tok->default_add_bos_ = c.as_bool(ab_node, false);
    }
  }
  if (tok->bos_ < 0)
    for (const char* name : {"<|begin_of_text|>", "<s>", "<bos>"})
      if (tok->is_special(tok->token_to_id(name))) {
        tok->bos_ = tok->token_to_id(name);
        break;
      }
  if (tok->eos_ < 0)
    for (const char* name : {"<|end_of_text|>", "</s>", "<eos>", "<|endoftext|>"})
      if (tok->is_special(tok->token_to_id(name))) {
        tok->eos_ = tok->token_to_id(name);
        break;
      }
  if (!tok->default_add_bos_ || tok->bos_ < 0)
    tok->default_add_bos_ = tok->default_add_bos_ && tok->bos_ >= 0;

  Result<bool> fin = tok->finalize();
  if (!fin.ok()) return fin.error();
  tok->description_ = std::string("tokenizer.json BPE (") +
                      (byte_level           ? "byte-level"
                       : tok->byte_fallback ? "chars, byte fallback"
                                            : "chars") +
                      ")";
  return std::unique_ptr<Tokenizer>(std::move(tok));
}

}  // namespace ember::tokenizers
