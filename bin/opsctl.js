#!/usr/bin/env node
// The AWS SDK prints a 9-line Node-version notice on stderr for every AWS command on Node < 22: opsctl supports
// Node 20 and says so itself, so the notice is silenced here, before any SDK module loads (a user's own setting wins).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The CLI runs from one esbuild bundle of dist/ (split per command, packages external): loading ~40 ES modules
// one by one cost ~35 ms of every cold start. dist/bundle sits two levels down, like dist/cli, so paths relative
// to a module (the package root) resolve the same in both.
await import('../dist/bundle/main.js');
