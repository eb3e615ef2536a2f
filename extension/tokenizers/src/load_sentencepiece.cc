// SentencePiece ModelProto (.model) loader: BPE and unigram models.
#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "loaders.h"

namespace ember::tokenizers {
namespace {

// Minimal protobuf wire-format reader with bounds checks.
class Reader {
 public:
  explicit Reader(std::string_view d) : p_(d.data()), end_(d.data() + d.size()) {}
  bool done() const { return p_ >= end_; }
  bool varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ >= end_) return false;
      unsigned char b = static_cast<unsigned char>(*p_++);
      *v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  // Reads a field header and the field's payload.  For length-delimited fields `bytes` is set.
  bool field(uint32_t* number, uint32_t* wire, uint64_t* value, std::string_view* bytes) {
    uint64_t key;
    if (!varint(&key)) return false;
    *number = static_cast<uint32_t>(key >> 3);
    *wire = static_cast<uint32_t>(key & 7);
    switch (*wire) {
      case 0:
        return varint(value);
      case 1:
        if (end_ - p_ < 8) return false;
        memcpy(value, p_, 8);
        p_ += 8;
        return true;
      case 2: {
        uint64_t len;
        if (!varint(&len) || len > static_cast<uint64_t>(end_ - p_)) return false;
        *bytes = std::string_view(p_, static_cast<size_t>(len));
        p_ += len;
        return true;
      }
      case 5: {
        if (end_ - p_ < 4) return false;
        uint32_t v32;
        memcpy(&v32, p_, 4);
        *value = v32;
        p_ += 4;
        return true;
      }
      default:
        return false;
    }
  }

 private:
  const char* p_;
  const char* end_;
};

struct Piece {
  std::string text;
  float score = 0;
  int type = 1;  // NORMAL=1 UNKNOWN=2 CONTROL=3 USER_DEFINED=4 UNUSED=5 BYTE=6
};

Error corrupt(const char* what) {
  return make_error(ErrorCode::kParseError, std::string("SentencePiece model: ") + what);
}

}  // namespace

Result<std::unique_ptr<Tokenizer>> load_sentencepiece(std::string_view data) {
  std::vector<Piece> pieces;
  int model_type = 1;
  bool byte_fallback = false;
  int64_t unk_id = 0, bos_id = 1, eos_id = 2, pad_id = -1;
  std::string unk_surface = " \xE2\x81\x87 ";
  std::string norm_name;
  bool has_charsmap = false, add_dummy_prefix = true, remove_extra_ws = true, escape_ws = true;
  bool ws_suffix = false;

  Reader r(data);
  uint32_t num, wire;
  uint64_t val;
  std::string_view bytes;
  while (!r.done()) {
    if (!r.field(&num, &wire, &val, &bytes)) return corrupt("truncated or malformed protobuf");
    if (num == 1 && wire == 2) {
      Piece p;
      Reader pr(bytes);
      while (!pr.done()) {
        std::string_view b2;
        uint32_t n2, w2;
        uint64_t v2;
        if (!pr.field(&n2, &w2, &v2, &b2)) return corrupt("malformed piece");
        if (n2 == 1 && w2 == 2)
          p.text.assign(b2);
        else if (n2 == 2 && w2 == 5) {
          uint32_t u = static_cast<uint32_t>(v2);
          memcpy(&p.score, &u, 4);
        } else if (n2 == 3 && w2 == 0)
          p.type = static_cast<int>(v2);
      }
      pieces.push_back(std::move(p));
    } else if (num == 2 && wire == 2) {
      Reader tr(bytes);
      while (!tr.done()) {
        std::string_view b2;
        uint32_t n2, w2;
        uint64_t v2;
        if (!tr.field(&n2, &w2, &v2, &b2)) return corrupt("malformed trainer_spec");
        if (w2 == 0) {
          int64_t sv = static_cast<int32_t>(static_cast<uint32_t>(v2));
          if (n2 == 3)
            model_type = static_cast<int>(v2);
          else if (n2 == 35)
            byte_fallback = v2 != 0;
          else if (n2 == 40)
            unk_id = sv;
          else if (n2 == 41)
            bos_id = sv;
          else if (n2 == 42)
            eos_id = sv;
          else if (n2 == 43)
            pad_id = sv;
          else if (n2 == 24)
            ws_suffix = v2 != 0;
        } else if (w2 == 2 && n2 == 44) {
          unk_surface.assign(b2);
        }
      }
    } else if (num == 3 && wire == 2) {
      Reader nr(bytes);
      while (!nr.done()) {
        std::string_view b2;
        uint32_t n2, w2;
        uint64_t v2;
        if (!nr.field(&n2, &w2, &v2, &b2)) return corrupt("malformed normalizer_spec");
        if (n2 == 1 && w2 == 2)
          norm_name.assign(b2);
        else if (n2 == 2 && w2 == 2)
          has_charsmap = !b2.empty();
        else if (n2 == 3 && w2 == 0)
          add_dummy_prefix = v2 != 0;
        else if (n2 == 4 && w2 == 0)
          remove_extra_ws = v2 != 0;
        else if (n2 == 5 && w2 == 0)
          escape_ws = v2 != 0;
      }
    }
  }
  if (pieces.empty()) return corrupt("no pieces");
  if (pieces.size() > 16 * 1024 * 1024) return corrupt("too many pieces");
  if (model_type != 1 && model_type != 2)
    return make_error(ErrorCode::kUnsupported, "SentencePiece model_type " +
                                                   std::to_string(model_type) +
                                                   " (only UNIGRAM=1 and BPE=2 are supported)");
  if (has_charsmap)
    return make_error(ErrorCode::kUnsupported,
                      "SentencePiece normalization rule \"" + norm_name +
                          "\" (precompiled_charsmap); only identity normalization is supported");
  if (ws_suffix) return make_error(ErrorCode::kUnsupported, "treat_whitespace_as_suffix");

  auto tok = std::make_unique<CoreTokenizer>();
  tok->format_ = Format::kSentencePiece;
  size_t n = pieces.size();
  tok->set_vocab(n);
  tok->reserve_pieces(n);
  tok->reserve_spellings(n);
  tok->mode = model_type == 1 ? CoreTokenizer::Mode::kUnigram : CoreTokenizer::Mode::kChars;
  tok->byte_fallback = byte_fallback;
  tok->fuse_unk = true;  // consecutive unknown characters become one <unk>
  tok->normalize_first = true;
  const std::string kSpace = "\xE2\x96\x81";
  float min_score = 0;
  bool first_score = true;
  for (size_t i = 0; i < n; ++i) {
    const Piece& p = pieces[i];
    TokenId id = static_cast<TokenId>(i);
    std::string dec;
    if (p.type == 6) {
      unsigned v = 0;
      if (p.text.size() == 6 && sscanf(p.text.c_str(), "<0x%02X>", &v) == 1)
        dec.assign(1, static_cast<char>(v));
    } else if (p.type == 3 || p.type == 5) {
      dec.clear();
    } else if (p.type == 2) {
      dec = unk_surface;
    } else {
      dec = p.text;
      for (size_t k; (k = dec.find(kSpace)) != std::string::npos;)
        dec.replace(k, kSpace.size(), " ");
    }
    tok->set_token(id, p.text, dec);
    if (p.type == 1) {
      tok->add_piece(p.text, id);
      tok->max_piece_len_ = std::max(tok->max_piece_len_, p.text.size());
      if (first_score || p.score < min_score) min_score = p.score;
      first_score = false;
    } else if (p.type == 4) {
      tok->add_added_token(p.text, id, false);  // matched on the normalized text
    } else if (p.type == 3) {
      tok->set_special(id);
    }
  }
  tok->scores.resize(n);
  for (size_t i = 0; i < n; ++i) tok->scores[i] = pieces[i].score;
  tok->unk_score = min_score - 10.0f;
  if (model_type == 2) {
    // BPE: the pair whose merged piece has the highest score merges first.
    std::vector<float> uniq;
    for (const Piece& p : pieces) uniq.push_back(p.score);
    std::sort(uniq.begin(), uniq.end(), std::greater<float>());
    uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
    tok->piece_rank.resize(n);
    for (size_t i = 0; i < n; ++i)
      tok->piece_rank[i] = static_cast<int32_t>(
          std::lower_bound(uniq.begin(), uniq.end(), pieces[i].score, std::greater<float>()) -
          uniq.begin());
    tok->rank_by_concat = true;
  }
  if (remove_extra_ws) tok->normalizers.push_back({NormalizerStep::kCollapseSpaces, "", "", false});
  if (escape_ws) tok->normalizers.push_back({NormalizerStep::kReplace, " ", kSpace, false});
  if (add_dummy_prefix) {
    tok->normalizers.push_back({NormalizerStep::kPrepend, escape_ws ? kSpace : " ", "", true});
    tok->strip_leading_spaces = 1;
  }
  auto valid = [&](int64_t id) { return id >= 0 && static_cast<size_t>(id) < n; };
  tok->unk_ = valid(unk_id) ? static_cast<TokenId>(unk_id) : kNoToken;
  tok->bos_ = valid(bos_id) ? static_cast<TokenId>(bos_id) : kNoToken;
  tok->eos_ = valid(eos_id) ? static_cast<TokenId>(eos_id) : kNoToken;
  (void)pad_id;
  Result<bool> fin = tok->finalize();
  if (!fin.ok()) return fin.error();
  tok->description_ = std::string("SentencePiece ") + (model_type == 1 ? "unigram" : "BPE") +
                      (byte_fallback ? " (byte fallback)" : "");
  return std::unique_ptr<Tokenizer>(std::move(tok));
}

}  // namespace ember::tokenizers
