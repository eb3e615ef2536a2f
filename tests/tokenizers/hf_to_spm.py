"""Converts a SentencePiece-style BPE tokenizer.json (Llama 2 / Gemma style) to a SentencePiece
ModelProto, so that Google's sentencepiece library can serve as a second reference and so that
the Ember .model loader is tested on a real vocabulary.

Piece scores are minus the rank of the first merge producing the piece; multi-character pieces
that no merge produces are UNUSED (the HF BPE model can never emit them either).
"""
import json
import sys


def convert(tokenizer_json: str, out_path: str):
    from sentencepiece import sentencepiece_model_pb2 as pb

    tj = json.load(open(tokenizer_json, encoding="utf-8"))
    model = tj["model"]
    vocab = model["vocab"]
    merges = model["merges"]
    n = max(max(vocab.values()), max(a["id"] for a in tj["added_tokens"])) + 1
    pieces = [None] * n
    for t, i in vocab.items():
        pieces[i] = t
    added = {a["id"]: a for a in tj["added_tokens"]}
    for i, a in added.items():
        pieces[i] = a["content"]
    score = {}
    for rank, m in enumerate(merges):
        a, b = m.split(" ", 1) if isinstance(m, str) else m
        score.setdefault(a + b, -float(rank))
    norm = tj.get("normalizer") or {}
    norms = norm.get("normalizers", [norm])
    prepend = any(x.get("type") == "Prepend" for x in norms)

    mp = pb.ModelProto()
    for i, p in enumerate(pieces):
        sp = mp.pieces.add()
        if p is None:
            sp.piece, sp.type, sp.score = f"<missing{i}>", pb.ModelProto.SentencePiece.UNUSED, 0
            continue
        sp.piece = p
        sp.score = score.get(p, 0.0)
        if p == model.get("unk_token"):
            sp.type = pb.ModelProto.SentencePiece.UNKNOWN
        elif len(p) == 6 and p.startswith("<0x") and p.endswith(">"):
            sp.type = pb.ModelProto.SentencePiece.BYTE
        elif i in added and added[i]["special"] and p not in score:
            sp.type = pb.ModelProto.SentencePiece.CONTROL
        elif i in added and "\u2581" not in p:
            # Non-special added tokens are matched in the text before BPE, as HF does.
            sp.type = pb.ModelProto.SentencePiece.USER_DEFINED
        elif len(p) > 1 and p not in score:
            sp.type = pb.ModelProto.SentencePiece.UNUSED
        else:
            sp.type = pb.ModelProto.SentencePiece.NORMAL
    ts = mp.trainer_spec
    ts.model_type = pb.TrainerSpec.BPE
    ts.byte_fallback = bool(model.get("byte_fallback"))
    ts.vocab_size = n
    unk = vocab.get(model.get("unk_token"), -1)
    ts.unk_id = unk
    ts.bos_id = vocab.get("<s>", vocab.get("<bos>", -1))
    ts.eos_id = vocab.get("</s>", vocab.get("<eos>", -1))
    ts.pad_id = vocab.get("<pad>", -1)
    ns = mp.normalizer_spec
    ns.name = "identity"
    ns.add_dummy_prefix = prepend
    ns.remove_extra_whitespaces = False
    ns.escape_whitespaces = True
    with open(out_path, "wb") as f:
        f.write(mp.SerializeToString())


if __name__ == "__main__":
    convert(sys.argv[1], sys.argv[2])
