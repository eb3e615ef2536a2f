// Format detection and the load() entry points.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "loaders.h"

namespace ember::tokenizers {
namespace {

bool read_file(const std::string& path, std::string* out) {
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) return false;
  out->clear();
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out->append(buf, n);
  bool ok = !ferror(f);
  fclose(f);
  return ok;
}

std::string dir_of(const std::string& path) {
  size_t k = path.find_last_of('/');
  return k == std::string::npos ? std::string() : path.substr(0, k + 1);
}

std::string base_of(const std::string& path) {
  size_t k = path.find_last_of('/');
  return k == std::string::npos ? path : path.substr(k + 1);
}

bool looks_like_tiktoken_line(std::string_view line) {
  size_t sp = line.find(' ');
  if (sp == std::string_view::npos || sp == 0 || sp + 1 >= line.size()) return false;
  for (size_t i = 0; i < sp; ++i) {
    char c = line[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
          c == '/' || c == '='))
      return false;
  }
  for (size_t i = sp + 1; i < line.size(); ++i)
    if ((line[i] < '0' || line[i] > '9') && line[i] != '\r') return false;
  return true;
}

}  // namespace

Result<Format> detect_format(std::string_view data) {
  size_t i = 0;
  while (i < data.size() &&
         (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
    ++i;
  if (i >= data.size()) return make_error(ErrorCode::kParseError, "empty tokenizer file");
  if (data[i] == '{') {
    // tokenizer.json has known top-level keys; GPT-2 encoder.json maps tokens to ids.
    size_t q = data.find('"', i);
    if (q != std::string_view::npos) {
      size_t q2 = data.find('"', q + 1);
      if (q2 != std::string_view::npos) {
        std::string_view key = data.substr(q + 1, q2 - q - 1);
        for (const char* k : {"version", "truncation", "padding", "added_tokens", "normalizer",
                              "pre_tokenizer", "post_processor", "decoder", "model"})
          if (key == k) return Format::kHuggingFace;
        return Format::kGpt2;
      }
    }
    return Format::kHuggingFace;
  }
  if (data.substr(i, 8) == "#version") return Format::kGpt2;
  size_t eol = data.find('\n', i);
  if (looks_like_tiktoken_line(
          data.substr(i, eol == std::string_view::npos ? data.size() - i : eol - i)))
    return Format::kTiktoken;
  if (static_cast<unsigned char>(data[0]) == 0x0A) return Format::kSentencePiece;
  return make_error(ErrorCode::kParseError,
                    "unrecognised tokenizer file (not tokenizer.json, tiktoken, GPT-2 or "
                    "SentencePiece)");
}

Result<std::unique_ptr<Tokenizer>> load_from_memory(std::string_view data,
                                                    const LoadOptions& options,
                                                    std::string_view config_json) {
  Format fmt = options.format;
  if (fmt == Format::kAuto) {
    Result<Format> f = detect_format(data);
    if (!f.ok()) return f.error();
    fmt = *f;
  }
  switch (fmt) {
    case Format::kHuggingFace:
      return load_hf_json(data, config_json);
    case Format::kTiktoken:
      return load_tiktoken(data, options.tiktoken_encoding);
    case Format::kSentencePiece:
      return load_sentencepiece(data);
    case Format::kGpt2:
      return make_error(ErrorCode::kInvalidArgument,
                        "GPT-2 encoder.json/vocab.bpe need two files: use load(path)");
    default:
      break;
  }
  return make_error(ErrorCode::kInvalidArgument, "unknown format");
}

Result<std::unique_ptr<Tokenizer>> load(const std::string& path, const LoadOptions& options) {
  std::string data;
  if (!read_file(path, &data))
    return make_error(ErrorCode::kIoError, "cannot read tokenizer file: " + path);
  Format fmt = options.format;
  if (fmt == Format::kAuto) {
    Result<Format> f = detect_format(data);
    if (!f.ok()) return make_error(f.error().code, f.error().message + ": " + path);
    fmt = *f;
  }
  if (fmt == Format::kGpt2) {
    std::string dir = dir_of(path), other;
    bool is_bpe =
        data.compare(0, 8, "#version") == 0 || base_of(path).find(".bpe") != std::string::npos;
    std::string other_path = dir + (is_bpe ? "encoder.json" : "vocab.bpe");
    if (!read_file(other_path, &other))
      return make_error(ErrorCode::kIoError, "GPT-2 format needs " + other_path);
    return is_bpe ? load_gpt2(other, data) : load_gpt2(data, other);
  }
  std::string config;
  if (fmt == Format::kHuggingFace) read_file(dir_of(path) + "tokenizer_config.json", &config);
  LoadOptions o = options;
  o.format = fmt;
  if (fmt == Format::kTiktoken && o.tiktoken_encoding.empty()) {
    std::string b = base_of(path);
    for (const char* name : {"r50k_base", "p50k_base", "cl100k_base", "o200k_base"})
      if (b.find(name) != std::string::npos) o.tiktoken_encoding = name;
  }
  auto r = load_from_memory(data, o, config);
  if (!r.ok()) return make_error(r.error().code, r.error().message + " (" + path + ")");
  return r;
}

}  // namespace ember::tokenizers
