// ONNX Runtime (onnxruntime-node) worker for `./ember bench`: loads one .onnx model, runs it on
// random inputs, prints one JSON line {load_ms, times_ms, max_rss_bytes, version}.
// usage: node bench/ort_driver.js --model M.onnx --shape '[1,3,224,224]' --threads N --warmup W --iterations R
//        [--profile PREFIX]   (ONNX Runtime's per-node profile, written to PREFIX_<date>.json)
'use strict';
const path = require('path');

function arg(name, dflt) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : dflt;
}

function loadOrt() {
  const roots = [process.env.EMBER_ORT_NODE_MODULES, path.join(__dirname, '..', '.deps', 'npm', 'node_modules')];
  for (const r of roots) {
    if (!r) continue;
    try {
      return { ort: require(path.join(r, 'onnxruntime-node')), version: require(path.join(r, 'onnxruntime-node', 'package.json')).version };
    } catch (e) { /* try the next */ }
  }
  throw new Error('onnxruntime-node not found; run scripts/setup_bench.sh');
}

async function main() {
  const model = arg('model');
  const threads = parseInt(arg('threads', '1'), 10);
  const warmup = parseInt(arg('warmup', '5'), 10);
  const iterations = parseInt(arg('iterations', '20'), 10);
  const { ort, version } = loadOrt();
  const t0 = process.hrtime.bigint();
  const profile = arg('profile');
  const options = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  };
  if (profile) Object.assign(options, { enableProfiling: true, profileFilePrefix: profile });
  const session = await ort.InferenceSession.create(model, options);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const feeds = {};
  for (const name of session.inputNames) {
    const dims = JSON.parse(arg('shape', '[1,3,224,224]'));
    const n = dims.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    let s = 12345;
    for (let i = 0; i < n; ++i) { s = (s * 1103515245 + 12345) >>> 0; data[i] = (s / 4294967296) * 2 - 1; }
    feeds[name] = new ort.Tensor('float32', data, dims);
  }
  const times = [];
  for (let i = 0; i < warmup + iterations; ++i) {
    const s = process.hrtime.bigint();
    await session.run(feeds);
    const e = process.hrtime.bigint();
    if (i >= warmup) times.push(Number(e - s) / 1e6);
  }
  const result = { load_ms: loadMs, times_ms: times, version };
  if (profile) await session.endProfiling();
  result.max_rss_bytes = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
