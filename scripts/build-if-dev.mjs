// `prepare` runs on `npm ci` in a clone: build there, since the quick start runs from dist/. An install without dev
// dependencies has no tsc (`npm ci --omit=dev` used to fail with exit 127): skip, saying so. `npm pack` builds in
// `prepack`, so the tarball always ships dist/.
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';

try {
  createRequire(import.meta.url).resolve('typescript');
} catch {
  console.error('opsctl: dev dependencies not installed; skipping the build (dist/ ships in the npm package)');
  process.exit(0);
}
execSync('npm run build', { stdio: 'inherit' });
