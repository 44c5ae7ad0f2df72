import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FeatureExtractionPipeline } from '@xenova/transformers';
import { OpsctlError } from '../../core/errors.js';
import type { Embedder } from '../../core/ports.js';

export const DEFAULT_EMBED_MODEL = 'Xenova/all-MiniLM-L6-v2';
const BATCH = 32;

export interface TransformersEmbedderOptions {
  /** Hub id of a transformers.js model, e.g. "Xenova/all-MiniLM-L6-v2" (the default). */
  model?: string;
  /** Local copy of models (OPSCTL_MODEL_DIR): `<modelDir>/<model>/...`. Set → no network call, ever. */
  modelDir?: string;
  /** Download cache; defaults to ~/.cache/opsctl/models (same layout as modelDir, so it can be copied). */
  cacheDir?: string;
  /** Use onnx/model_quantized.onnx (default, ~4x smaller) rather than onnx/model.onnx. */
  quantized?: boolean;
  /** Hub mirror to download from instead of https://huggingface.co/ (tests use a loopback server). */
  remoteHost?: string;
  /** Download progress, for a stderr progress line. */
  onProgress?: (e: { status: string; file?: string; progress?: number }) => void;
  /** How transformers.js is imported (tests simulate an install without it). */
  importer?: () => Promise<Transformers>;
}

type Transformers = typeof import('@xenova/transformers');

/** The line that adds transformers.js, an optional peer dependency (~240 MB with onnxruntime) that a plain install leaves out. */
export const TRANSFORMERS_INSTALL = 'npm install @xenova/transformers@^2.17.2';

/** Imports transformers.js; when it is not installed, exit 4 with the exact `npm install` line. */
export async function importTransformers(load: () => Promise<Transformers> = () => import('@xenova/transformers')): Promise<Transformers> {
  try {
    return await load();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if ((err.code === 'ERR_MODULE_NOT_FOUND' || err.code === 'MODULE_NOT_FOUND') && err.message.includes('@xenova/transformers')) {
      throw new OpsctlError(
        'input',
        'the transformers embedder needs @xenova/transformers, an optional dependency that is not installed',
        `install it beside opsctl: ${TRANSFORMERS_INSTALL} (for a global opsctl: npm install -g @xenova/transformers@^2.17.2), or use --embedder lsa`,
        { cause: e },
      );
    }
    throw e;
  }
}

/**
 * transformers.js keeps its settings in one global `env`, read while files load. Loads are rare and
 * short, so they run one at a time under the settings of the embedder that asked.
 */
let queue: Promise<unknown> = Promise.resolve();
function serially<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

/** Dense embedder backed by a local ONNX sentence-transformer (mean pooling, L2-normalised). */
export class TransformersEmbedder implements Embedder {
  readonly id: string;
  private readonly model: string;
  private readonly opts: TransformersEmbedderOptions;
  private pipe?: Promise<FeatureExtractionPipeline>;
  private dim?: Promise<number>;

  constructor(opts: TransformersEmbedderOptions = {}) {
    this.opts = opts;
    this.model = opts.model ?? DEFAULT_EMBED_MODEL;
    this.id = `transformers:${this.model}`;
  }

  dimension(): Promise<number> {
    this.dim ??= (async () => {
      const size = await this.load(async (t) => {
        const config = (await t.AutoConfig.from_pretrained(this.model, this.hubOptions())) as unknown as Record<string, unknown>;
        return config.hidden_size ?? config.d_model ?? config.dim;
      });
      // Unusual config without a width: ask the model itself (outside load(), which runs one at a time).
      return typeof size === 'number' ? size : (await this.embedQuery('dimension probe')).length;
    })();
    this.dim.catch(() => (this.dim = undefined));
    return this.dim;
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const pipe = await this.pipeline();
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const batch = texts.slice(i, i + BATCH);
      const tensor = await pipe(batch, { pooling: 'mean', normalize: true });
      const data = tensor.data as Float32Array;
      const width = data.length / batch.length;
      for (let j = 0; j < batch.length; j++) out.push(data.slice(j * width, (j + 1) * width));
    }
    return out;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [v] = await this.embedDocuments([text]);
    return v;
  }

  private pipeline(): Promise<FeatureExtractionPipeline> {
    this.pipe ??= this.load((t) =>
      t.pipeline('feature-extraction', this.model, { ...this.hubOptions(), quantized: this.opts.quantized ?? true }),
    );
    // A failed load (e.g. no network) may succeed on a later call; do not cache the rejection.
    this.pipe.catch(() => (this.pipe = undefined));
    return this.pipe;
  }

  private hubOptions() {
    const cb = this.opts.onProgress;
    return {
      cache_dir: this.opts.cacheDir ?? join(homedir(), '.cache', 'opsctl', 'models'),
      local_files_only: this.opts.modelDir !== undefined,
      ...(cb ? { progress_callback: (e: { status: string; file?: string; progress?: number }) => cb(e) } : {}),
    };
  }

  /** Imports transformers.js on first use, applies this embedder's settings, maps failures to OpsctlError. */
  private load<T>(fn: (t: Transformers) => Promise<T>): Promise<T> {
    return serially(async () => {
      const { modelDir } = this.opts;
      if (modelDir !== undefined) await this.checkLocalModel(modelDir);
      const t = await importTransformers(this.opts.importer);
      if (modelDir !== undefined) {
        t.env.localModelPath = withSlash(resolve(modelDir));
        t.env.allowLocalModels = true;
        t.env.allowRemoteModels = false;
      } else {
        // Only the cache or the hub: never transformers.js's own models/ folder inside node_modules.
        t.env.allowLocalModels = false;
        t.env.allowRemoteModels = true;
      }
      t.env.remoteHost = withSlash(this.opts.remoteHost ?? 'https://huggingface.co/');
      try {
        return await fn(t);
      } catch (e) {
        throw this.toError(e);
      }
    });
  }

  private async checkLocalModel(modelDir: string): Promise<void> {
    const onnx = this.opts.quantized === false ? 'onnx/model.onnx' : 'onnx/model_quantized.onnx';
    for (const file of ['config.json', 'tokenizer.json', onnx]) {
      try {
        await access(join(modelDir, this.model, file));
      } catch {
        throw this.notFound(modelDir, onnx);
      }
    }
  }

  private notFound(modelDir: string, onnx = 'onnx/model_quantized.onnx'): OpsctlError {
    return new OpsctlError(
      'input',
      `embedding model ${this.model} not found in ${modelDir}`,
      `copy the model folder (config.json, tokenizer.json, ${onnx}) there, or unset OPSCTL_MODEL_DIR to download it`,
    );
  }

  private toError(e: unknown): Error {
    if (e instanceof OpsctlError) return e;
    const msg = e instanceof Error ? e.message : String(e);
    const { modelDir } = this.opts;
    if (modelDir !== undefined && /not found locally|allowRemoteModels=false|local_files_only/.test(msg)) {
      return this.notFound(modelDir);
    }
    const host = new URL(withSlash(this.opts.remoteHost ?? 'https://huggingface.co/')).host;
    const offline = 'set OPSCTL_MODEL_DIR to a local copy of the model, or use --embedder lsa (no download)';
    if (/Could not locate file|Unauthorized access|Error \((401|403|404)\)/.test(msg)) {
      return new OpsctlError('input', `embedding model ${this.model} is not available from ${host}`, `check the model name (embedModel), or ${offline}`, { cause: e });
    }
    if (/fetch failed|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|Internal server error|Error \(5\d\d\)/i.test(msg + causeCode(e))) {
      return new OpsctlError('input', `could not download embedding model ${this.model} from ${host}`, `check the network, or ${offline}`, { cause: e });
    }
    if (/protobuf|onnx|session|Unexpected token|JSON/i.test(msg)) {
      return new OpsctlError('input', `embedding model ${this.model} could not be loaded: ${msg.split('\n')[0]}`, `delete its folder in the model cache or OPSCTL_MODEL_DIR and fetch it again`, { cause: e });
    }
    return e instanceof Error ? e : new Error(msg);
  }
}

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

function causeCode(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof cause?.code === 'string' ? ` ${cause.code}` : '';
}
