/**
 * The tiny encoder's ONNX graph: BERT embeddings, N encoder layers, output `last_hidden_state`.
 * Weights come from a fixed-seed PRNG so every run writes the same bytes.
 */
import { DT, graph, model, node, tensor, valueInfo } from './make-tiny-model.proto.mjs';

/** mulberry32: tiny deterministic PRNG (quality is irrelevant, reproducibility is the point). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normals(rand, n, std) {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = Math.max(rand(), 1e-12);
    out[i] = std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  }
  return out;
}

/** Per-tensor asymmetric uint8 quantisation, the scheme DequantizeLinear undoes. */
function quantize(w) {
  let lo = 0;
  let hi = 0;
  for (const x of w) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  const scale = (hi - lo) / 255 || 1;
  const zero = Math.min(255, Math.max(0, Math.round(-lo / scale)));
  const q = new Uint8Array(w.length);
  for (let i = 0; i < w.length; i++) q[i] = Math.min(255, Math.max(0, Math.round(w[i] / scale) + zero));
  return { q, scale, zero };
}

export function buildModel(cfg, { quantized }) {
  const rand = rng(20240611);
  const { hidden: H, heads, intermediate: I, maxPositions, typeVocab, vocabSize } = cfg;
  const nodes = [];
  const inits = [];
  const f = (name, dims, data) => (inits.push(tensor(name, DT.FLOAT, dims, data)), name);
  const i64 = (name, dims, values) => (inits.push(tensor(name, DT.INT64, dims, BigInt64Array.from(values.map(BigInt)))), name);
  const scalar = (name, x) => f(name, [], Float32Array.of(x));
  const op = (type, inputs, out, attrs) => (nodes.push(node(type, inputs, [out], attrs)), out);

  /** A dense weight [rows, cols]; in the quantised model it is uint8 + DequantizeLinear. */
  const weight = (name, rows, cols) => {
    const w = normals(rand, rows * cols, 0.2);
    if (!quantized) return f(name, [rows, cols], w);
    const { q, scale, zero } = quantize(w);
    inits.push(tensor(`${name}_quantized`, DT.UINT8, [rows, cols], q));
    scalar(`${name}_scale`, scale);
    inits.push(tensor(`${name}_zero_point`, DT.UINT8, [], Uint8Array.of(zero)));
    return op('DequantizeLinear', [`${name}_quantized`, `${name}_scale`, `${name}_zero_point`], `${name}_dequantized`);
  };
  const dense = (prefix, x, rows, cols) => {
    const w = weight(`${prefix}.weight`, rows, cols);
    const b = f(`${prefix}.bias`, [cols], normals(rand, cols, 0.02));
    return op('Add', [op('MatMul', [x, w], `${prefix}.matmul`), b], `${prefix}.out`);
  };
  const layerNorm = (prefix, x) => {
    const mean = op('ReduceMean', [x], `${prefix}.mean`, { axes: [-1], keepdims: 1 });
    const d = op('Sub', [x, mean], `${prefix}.centered`);
    const variance = op('ReduceMean', [op('Mul', [d, d], `${prefix}.sq`)], `${prefix}.var`, { axes: [-1], keepdims: 1 });
    const sd = op('Sqrt', [op('Add', [variance, 'eps'], `${prefix}.var_eps`)], `${prefix}.sd`);
    const n = op('Div', [d, sd], `${prefix}.normed`);
    const g = f(`${prefix}.gamma`, [H], Float32Array.from({ length: H }, () => 1 + (rand() - 0.5) * 0.1));
    const b = f(`${prefix}.beta`, [H], normals(rand, H, 0.02));
    return op('Add', [op('Mul', [n, g], `${prefix}.scaled`), b], `${prefix}.out`);
  };

  scalar('eps', 1e-12);
  scalar('one', 1);
  scalar('half', 0.5);
  scalar('sqrt2', Math.SQRT2);
  scalar('mask_min', -10000);
  scalar('attn_scale', 1 / Math.sqrt(H / heads));
  i64('i0', [], [0]);
  i64('i1', [], [1]);
  i64('mask_axes', [2], [1, 2]);
  i64('heads_shape', [4], [0, 0, heads, H / heads]);
  i64('hidden_shape', [3], [0, 0, H]);

  // Embeddings: word + position + token type, then LayerNorm (the BERT recipe).
  f('word_embeddings', [vocabSize, H], normals(rand, vocabSize * H, 0.5));
  f('position_embeddings', [maxPositions, H], normals(rand, maxPositions * H, 0.1));
  f('token_type_embeddings', [typeVocab, H], normals(rand, typeVocab * H, 0.1));
  const words = op('Gather', ['word_embeddings', 'input_ids'], 'emb.words', { axis: 0 });
  const seqLen = op('Gather', [op('Shape', ['input_ids'], 'emb.shape'), 'i1'], 'emb.seq_len', { axis: 0 });
  const positions = op('Range', ['i0', seqLen, 'i1'], 'emb.position_ids');
  const pos = op('Gather', ['position_embeddings', positions], 'emb.positions', { axis: 0 });
  const types = op('Gather', ['token_type_embeddings', 'token_type_ids'], 'emb.types', { axis: 0 });
  const summed = op('Add', [op('Add', [words, pos], 'emb.words_pos'), types], 'emb.sum');
  let x = layerNorm('emb.ln', summed);

  // Padding mask as an additive bias [batch, 1, 1, seq]: 0 for tokens, -10000 for padding.
  const maskF = op('Cast', ['attention_mask'], 'mask.float', { to: DT.FLOAT });
  const mask4 = op('Unsqueeze', [maskF, 'mask_axes'], 'mask.4d');
  const maskBias = op('Mul', [op('Sub', ['one', mask4], 'mask.inverted'), 'mask_min'], 'mask.bias');

  for (let l = 0; l < cfg.layers; l++) {
    const p = `layer${l}`;
    const split = (t, perm, name) => op('Transpose', [op('Reshape', [t, 'heads_shape'], `${name}.split`)], name, { perm });
    const q = split(dense(`${p}.query`, x, H, H), [0, 2, 1, 3], `${p}.q`);
    const k = split(dense(`${p}.key`, x, H, H), [0, 2, 3, 1], `${p}.k`);
    const v = split(dense(`${p}.value`, x, H, H), [0, 2, 1, 3], `${p}.v`);
    const scores = op('Mul', [op('MatMul', [q, k], `${p}.qk`), 'attn_scale'], `${p}.scores`);
    const probs = op('Softmax', [op('Add', [scores, maskBias], `${p}.masked`)], `${p}.probs`, { axis: -1 });
    const ctx = op('Transpose', [op('MatMul', [probs, v], `${p}.ctx_heads`)], `${p}.ctx_t`, { perm: [0, 2, 1, 3] });
    const merged = op('Reshape', [ctx, 'hidden_shape'], `${p}.ctx`);
    const attnOut = dense(`${p}.attn_out`, merged, H, H);
    const x1 = layerNorm(`${p}.ln1`, op('Add', [attnOut, x], `${p}.res1`));
    // Exact GELU: 0.5 * h * (1 + erf(h / sqrt 2)); Gelu is not an ONNX op before opset 20.
    const h = dense(`${p}.intermediate`, x1, H, I);
    const erf = op('Erf', [op('Div', [h, 'sqrt2'], `${p}.h_scaled`)], `${p}.erf`);
    const gelu = op('Mul', [op('Mul', [h, op('Add', [erf, 'one'], `${p}.erf1`)], `${p}.h_erf`), 'half'], `${p}.gelu`);
    const ffn = dense(`${p}.output`, gelu, I, H);
    x = layerNorm(`${p}.ln2`, op('Add', [ffn, x1], `${p}.res2`));
  }
  op('Identity', [x], 'last_hidden_state');

  const ids = (name) => valueInfo(name, DT.INT64, ['batch_size', 'sequence_length']);
  const g = graph({
    name: 'tiny_minilm',
    nodes,
    initializers: inits,
    inputs: [ids('input_ids'), ids('attention_mask'), ids('token_type_ids')],
    outputs: [valueInfo('last_hidden_state', DT.FLOAT, ['batch_size', 'sequence_length', H])],
  });
  return model(g);
}
