#!/usr/bin/env node
/**
 * Generates the tiny BERT-like model that the transformers embedder tests really run:
 *   test/fixtures/tiny-model/Xenova/tiny-minilm/{config.json, tokenizer.json, tokenizer_config.json,
 *   onnx/model.onnx, onnx/model_quantized.onnx}
 *
 * Regenerate (deterministic: same bytes every run, no dependencies, no network):
 *   node scripts/make-tiny-model.mjs [outDir]        # outDir defaults to the fixture path above
 * then check it still loads: npx vitest run test/providers/embed/transformers.test.ts
 *
 * Why hand-written protobuf: this machine has no Python onnx/torch and we do not want a dev dependency
 * just to emit ~100 KB once. The ONNX field numbers come from onnx.proto (IR version 8, opset 13, which
 * the onnxruntime-node 1.14 bundled with @xenova/transformers 2.17 runs).
 * The graph is one real encoder layer (embeddings + LayerNorm, 2-head masked self-attention, GELU FFN),
 * so mean pooling over `last_hidden_state` behaves like a (useless but honest) sentence embedder.
 * model_quantized.onnx stores the dense weights as uint8 + DequantizeLinear (weight-only quantisation).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildModel } from './make-tiny-model.graph.mjs';
import { buildTokenizer, buildVocab } from './make-tiny-model.tokenizer.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, 'test/fixtures/tiny-model/Xenova/tiny-minilm'));

const vocab = buildVocab();
const cfg = {
  hidden: 32,
  heads: 2,
  intermediate: 64,
  layers: 1,
  maxPositions: 128,
  typeVocab: 2,
  vocabSize: vocab.length,
};

const config = {
  _name_or_path: 'Xenova/tiny-minilm',
  architectures: ['BertModel'],
  model_type: 'bert',
  attention_probs_dropout_prob: 0,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0,
  hidden_size: cfg.hidden,
  initializer_range: 0.02,
  intermediate_size: cfg.intermediate,
  layer_norm_eps: 1e-12,
  max_position_embeddings: cfg.maxPositions,
  num_attention_heads: cfg.heads,
  num_hidden_layers: cfg.layers,
  pad_token_id: 0,
  position_embedding_type: 'absolute',
  type_vocab_size: cfg.typeVocab,
  vocab_size: cfg.vocabSize,
};

const { tokenizer, tokenizerConfig } = buildTokenizer(vocab, cfg.maxPositions);

mkdirSync(join(outDir, 'onnx'), { recursive: true });
const writeJson = (name, value) => writeFileSync(join(outDir, name), JSON.stringify(value, null, 2) + '\n');
writeJson('config.json', config);
writeJson('tokenizer.json', tokenizer);
writeJson('tokenizer_config.json', tokenizerConfig);
writeFileSync(join(outDir, 'onnx/model.onnx'), buildModel(cfg, { quantized: false }));
writeFileSync(join(outDir, 'onnx/model_quantized.onnx'), buildModel(cfg, { quantized: true }));
console.log(`wrote tiny model (vocab ${cfg.vocabSize}, hidden ${cfg.hidden}) to ${outDir}`);
