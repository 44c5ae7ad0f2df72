// Bundles dist/cli (tsc output) into dist/bundle, dependencies included: a production install then needs only the
// native addons (and the optional transformers.js), about 10 MB instead of ~150 MB of node_modules (issue 16),
// and a cold start loads a few chunks instead of hundreds of package files. Split per command: `opsctl ask` does
// not load rollback's AWS SDK. CommonJS dependencies call require(): the banner gives every chunk one.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli/main.js'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  // ESM builds first where a package has both: the AWS SDK's CommonJS build loses its named exports when bundled.
  mainFields: ['module', 'main'],
  outdir: 'dist/bundle',
  logLevel: 'warning',
  // Native addons and optional packages stay outside, resolved from node_modules at run time.
  external: ['better-sqlite3', 'hnswlib-node', '@xenova/transformers', 'pg-native', 'react-devtools-core'],
  banner: { js: "import { createRequire as __opsctlRequire } from 'node:module'; const require = __opsctlRequire(import.meta.url);" },
});
