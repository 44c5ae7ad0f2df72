import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Test workers simulate a user's terminal: Ink decides at import whether it is in CI (then it draws only the last
    // frame), so CI=true from the runner would change what the TTY tests see. opsctl's own CI detection is tested
    // through the injected Io env, not process.env.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', CI: 'false' },
  },
});
