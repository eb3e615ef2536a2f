// ember-tokenize: command-line front end of the Ember tokenizer library.
//
//   ember-tokenize --tokenizer FILE encode [--bos] [--eos] [--no-special]   < text
//   ember-tokenize --tokenizer FILE decode [--skip-special]                  < ids
//   ember-tokenize --tokenizer FILE info
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "ember/tokenizers/tokenizer.h"

namespace et = ember::tokenizers;

namespace {

int usage() {
  fprintf(stderr,
          "usage: ember-tokenize --tokenizer FILE [--encoding NAME] COMMAND [options]\n"
          "commands:\n"
          "  encode [--bos] [--eos] [--no-special]  read UTF-8 text on stdin, print ids\n"
          "  decode [--skip-special]                read ids (whitespace separated) on stdin,\n"
          "                                         print text\n"
          "  info                                   print format, vocabulary size, BOS/EOS\n"
          "FILE may be a tokenizer.json, a tiktoken rank file, GPT-2 encoder.json or vocab.bpe,\n"
          "or a SentencePiece .model; the format is detected from the contents.\n");
  return 2;
}

std::string read_stdin() {
  std::string s;
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) s.append(buf, n);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path, command, encoding;
  bool bos = false, eos = false, no_special = false, skip_special = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "--tokenizer" || a == "-t") && i + 1 < argc) {
      path = argv[++i];
    } else if (a == "--encoding" && i + 1 < argc) {
      encoding = argv[++i];
    } else if (a == "--bos") {
      bos = true;
    } else if (a == "--eos") {
      eos = true;
    } else if (a == "--no-special") {
      no_special = true;
    } else if (a == "--skip-special") {
      skip_special = true;
    } else if (a == "-h" || a == "--help") {
      usage();
      return 0;
    } else if (command.empty() && a[0] != '-') {
      command = a;
    } else {
      fprintf(stderr, "ember-tokenize: unknown argument '%s'\n", a.c_str());
      return usage();
    }
  }
  if (path.empty() || command.empty()) return usage();
  et::LoadOptions lo;
  lo.tiktoken_encoding = encoding;
  auto tok = et::load(path, lo);
  if (!tok.ok()) {
    fprintf(stderr, "ember-tokenize: %s\n", tok.error().to_string().c_str());
    return 1;
  }
  const et::Tokenizer& t = **tok;
  if (command == "encode") {
    std::string text = read_stdin();
    et::EncodeOptions o;
    o.add_bos = bos;
    o.add_eos = eos;
    o.parse_special = !no_special;
    auto ids = t.encode(text, o);
    if (!ids.ok()) {
      fprintf(stderr, "ember-tokenize: %s\n", ids.error().to_string().c_str());
      return 1;
    }
    std::string out;
    for (size_t i = 0; i < ids->size(); ++i) {
      if (i) out.push_back(' ');
      out += std::to_string((*ids)[i]);
    }
    out.push_back('\n');
    fwrite(out.data(), 1, out.size(), stdout);
    return 0;
  }
  if (command == "decode") {
    std::string in = read_stdin();
    std::vector<et::TokenId> ids;
    const char* p = in.c_str();
    while (*p) {
      while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' || *p == ',') ++p;
      if (!*p) break;
      char* end = nullptr;
      long long v = strtoll(p, &end, 10);
      if (end == p || v < INT32_MIN || v > INT32_MAX) {
        fprintf(stderr, "ember-tokenize: not a token id: '%.20s'\n", p);
        return 1;
      }
      ids.push_back(static_cast<et::TokenId>(v));
      p = end;
    }
    auto text = t.decode(ids, skip_special);
    if (!text.ok()) {
      fprintf(stderr, "ember-tokenize: %s\n", text.error().to_string().c_str());
      return 1;
    }
    fwrite(text->data(), 1, text->size(), stdout);
    return 0;
  }
  if (command == "info") {
    printf(
        "format: %s\ndescription: %s\nvocab_size: %zu\nbos_id: %d\neos_id: %d\nunk_id: %d\n"
        "default_add_bos: %s\nspecial_tokens: %zu\n",
        et::format_name(t.format()), t.description().c_str(), t.vocab_size(), t.bos_id(),
        t.eos_id(), t.unk_id(), t.default_add_bos() ? "true" : "false", t.special_ids().size());
    return 0;
  }
  fprintf(stderr, "ember-tokenize: unknown command '%s'\n", command.c_str());
  return usage();
}
