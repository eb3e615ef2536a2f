// tiktoken rank files and GPT-2 encoder.json + vocab.bpe.
#include <cstring>
#include <string>
#include <vector>

#include "json.h"
#include "loaders.h"

namespace ember::tokenizers {
namespace {

constexpr int64_t kMaxRank = 16 * 1024 * 1024;

struct EncodingInfo {
  const char* name;
  size_t n_ranks;
  SplitPattern pattern;
  std::vector<std::pair<const char*, TokenId>> specials;
};

const std::vector<EncodingInfo>& encodings() {
  static const std::vector<EncodingInfo> e = {
      {"r50k_base", 50256, SplitPattern::kGpt2, {{"<|endoftext|>", 50256}}},
      {"p50k_base", 50280, SplitPattern::kGpt2, {{"<|endoftext|>", 50256}}},
      {"cl100k_base",
       100256,
       SplitPattern::kCl100k,
       {{"<|endoftext|>", 100257},
        {"<|fim_prefix|>", 100258},
        {"<|fim_middle|>", 100259},
        {"<|fim_suffix|>", 100260},
        {"<|endofprompt|>", 100276}}},
      {"o200k_base",
       199998,
       SplitPattern::kO200k,
       {{"<|endoftext|>", 199999}, {"<|endofprompt|>", 200018}}},
  };
  return e;
}

int b64val(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool base64_decode(std::string_view in, std::string* out) {
  out->clear();
  if (in.size() % 4 != 0 || in.empty()) return false;
  for (size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      unsigned char c = static_cast<unsigned char>(in[i + k]);
      if (c == '=' && i + 4 == in.size() && k >= 2) {
        v[k] = 0;
        ++pad;
      } else {
        if (pad) return false;
        v[k] = b64val(c);
        if (v[k] < 0) return false;
      }
    }
    uint32_t w = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out->push_back(static_cast<char>(w >> 16));
    if (pad < 2) out->push_back(static_cast<char>((w >> 8) & 0xFF));
    if (pad < 1) out->push_back(static_cast<char>(w & 0xFF));
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<Tokenizer>> load_tiktoken(std::string_view data, std::string_view encoding) {
  std::vector<std::pair<std::string, int64_t>> entries;
  entries.reserve(data.size() / 12);
  size_t pos = 0, line_no = 0;
  int64_t max_rank = -1;
  std::string bytes;
  while (pos < data.size()) {
    size_t eol = data.find('\n', pos);
    if (eol == std::string_view::npos) eol = data.size();
    std::string_view line = data.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos || sp + 1 >= line.size())
      return make_error(ErrorCode::kParseError, "tiktoken file line " + std::to_string(line_no) +
                                                    ": expected 'base64 rank'");
    if (!base64_decode(line.substr(0, sp), &bytes))
      return make_error(ErrorCode::kParseError,
                        "tiktoken file line " + std::to_string(line_no) + ": bad base64");
    int64_t rank = 0;
    for (char c : line.substr(sp + 1)) {
      if (c < '0' || c > '9' || rank >= kMaxRank)
        return make_error(ErrorCode::kParseError,
                          "tiktoken file line " + std::to_string(line_no) + ": bad rank");
      rank = rank * 10 + (c - '0');
    }
    if (rank >= kMaxRank) return make_error(ErrorCode::kParseError, "tiktoken rank too large");
    if (rank > max_rank) max_rank = rank;
    entries.emplace_back(bytes, rank);
  }
  if (entries.empty()) return make_error(ErrorCode::kParseError, "empty tiktoken file");
  const EncodingInfo* info = nullptr;
  for (const EncodingInfo& e : encodings()) {
    if (!encoding.empty() ? (encoding == e.name || (encoding == "gpt2" && e.n_ranks == 50256))
                          : entries.size() == e.n_ranks)
      info = &e;
  }
  if (!info)
    return make_error(ErrorCode::kUnsupported,
                      "cannot tell which tiktoken encoding this is (" +
                          std::to_string(entries.size()) +
                          " ranks); pass one of r50k_base, p50k_base, cl100k_base, o200k_base");
  auto tok = std::make_unique<CoreTokenizer>();
  tok->format_ = Format::kTiktoken;
  int64_t n = max_rank + 1;
  for (auto& s : info->specials) n = std::max<int64_t>(n, s.second + 1);
  tok->set_vocab(static_cast<size_t>(n));
  tok->reserve_pieces(entries.size());
  for (auto& e : entries) {
    if (!tok->add_piece(e.first, static_cast<TokenId>(e.second)))
      return make_error(ErrorCode::kParseError, "tiktoken file has a duplicate token");
    tok->set_token_bytes(static_cast<TokenId>(e.second), e.first);
  }
  for (auto& s : info->specials) {
    tok->set_token(s.second, s.first, s.first);
    tok->add_added_token(s.first, s.second, true);
  }
  tok->mode = CoreTokenizer::Mode::kByteLevel;
  tok->rank_by_concat = true;
  tok->ignore_merges = true;
  PreTokenizerStep st;
  st.kind = PreTokenizerStep::kSplitRegex;
  st.pattern = info->pattern;
  tok->pretokenizers.push_back(st);
  tok->eos_ = info->specials[0].second;
  tok->description_ = std::string("tiktoken ") + info->name;
  Result<bool> fin = tok->finalize();
  if (!fin.ok()) return fin.error();
  return std::unique_ptr<Tokenizer>(std::move(tok));
}

Result<std::unique_ptr<Tokenizer>> load_gpt2(std::string_view encoder_json,
                                             std::string_view vocab_bpe) {
  json::Document d;
  if (!d.parse(encoder_json))
    return make_error(ErrorCode::kParseError, "encoder.json: " + d.error());
  if (d.type(0) != json::Type::kObject)
    return make_error(ErrorCode::kParseError, "encoder.json is not an object");
  int64_t max_id = -1;
  for (uint32_t k = d.first(0); k; k = d.next(k)) {
    int64_t id;
    if (!d.as_int(d.value_of(k), &id) || id < 0 || id >= kMaxRank)
      return make_error(ErrorCode::kParseError, "encoder.json: bad id");
    max_id = std::max(max_id, id);
  }
  auto tok = std::make_unique<CoreTokenizer>();
  tok->format_ = Format::kGpt2;
  tok->set_vocab(static_cast<size_t>(max_id + 1));
  tok->reserve_pieces(d.node(0).count);
  std::string key, bytes;
  for (uint32_t k = d.first(0); k; k = d.next(k)) {
    int64_t id;
    d.as_int(d.value_of(k), &id);
    if (!d.str(k, &key)) return make_error(ErrorCode::kParseError, "encoder.json: bad key");
    if (key == "<|endoftext|>") {
      tok->set_token(static_cast<TokenId>(id), key, key);
      tok->add_added_token(key, static_cast<TokenId>(id), true);
      tok->eos_ = static_cast<TokenId>(id);
    } else if (byte_level_to_bytes(key, &bytes)) {
      tok->set_token_bytes(static_cast<TokenId>(id), bytes);
      tok->add_piece(bytes, static_cast<TokenId>(id));
    } else {
      tok->set_token(static_cast<TokenId>(id), key, key);
    }
  }
  size_t pos = 0;
  int32_t rank = 0;
  tok->reserve_merges(d.node(0).count);
  std::string a, b;
  while (pos < vocab_bpe.size()) {
    size_t eol = vocab_bpe.find('\n', pos);
    if (eol == std::string_view::npos) eol = vocab_bpe.size();
    std::string_view line = vocab_bpe.substr(pos, eol - pos);
    pos = eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || (rank == 0 && line.substr(0, 8) == "#version")) continue;
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos)
      return make_error(ErrorCode::kParseError, "vocab.bpe: bad line");
    a.assign(line.substr(0, sp));
    b.assign(line.substr(sp + 1));
    TokenId ia = tok->token_to_id(a), ib = tok->token_to_id(b), im = tok->token_to_id(a + b);
    if (ia >= 0 && ib >= 0 && im >= 0) tok->add_merge(ia, ib, rank, im);
    ++rank;
  }
  tok->mode = CoreTokenizer::Mode::kByteLevel;
  PreTokenizerStep st;
  st.kind = PreTokenizerStep::kSplitRegex;
  st.pattern = SplitPattern::kGpt2;
  tok->pretokenizers.push_back(st);
  tok->description_ = "GPT-2 encoder.json + vocab.bpe";
  Result<bool> fin = tok->finalize();
  if (!fin.ok()) return fin.error();
  return std::unique_ptr<Tokenizer>(std::move(tok));
}

}  // namespace ember::tokenizers
