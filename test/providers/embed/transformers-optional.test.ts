import { describe, expect, it } from 'vitest';
import { OpsctlError } from '../../../src/core/errors.js';
import { TRANSFORMERS_INSTALL, TransformersEmbedder } from '../../../src/providers/embed/transformers.js';

// Issue 16: transformers.js (~240 MB with onnxruntime) is an optional peer dependency, loaded only for
// `embedder: transformers`; an install without it gets exit 4 and the exact line to add it.
const missing = (pkg: string) => () => Promise.reject(Object.assign(new Error(`Cannot find package '${pkg}' imported from /opt/opsctl/dist/bundle/x.js`), { code: 'ERR_MODULE_NOT_FOUND' }));

describe('the transformers embedder without @xenova/transformers installed', () => {
  it('fails with exit 4 and the exact npm install line', async () => {
    const e = await new TransformersEmbedder({ importer: missing('@xenova/transformers') }).embedQuery('x').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OpsctlError);
    expect((e as OpsctlError).exitCode).toBe(4);
    expect(TRANSFORMERS_INSTALL).toBe('npm install @xenova/transformers@^2.17.2');
    expect((e as OpsctlError).hint).toContain(TRANSFORMERS_INSTALL);
  });

  it('does not dress up another missing module as this one', async () => {
    const e = await new TransformersEmbedder({ importer: missing('onnxruntime-node') }).embedQuery('x').catch((err: unknown) => err);
    expect(e).not.toBeInstanceOf(OpsctlError);
  });
});
