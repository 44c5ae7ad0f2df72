#!/usr/bin/env node
// The CLI runs from one esbuild bundle of dist/ (split per command, packages external): loading ~40 ES modules
// one by one cost ~35 ms of every cold start. dist/bundle sits two levels down, like dist/cli, so paths relative
// to a module (the package root) resolve the same in both.
import '../dist/bundle/main.js';
