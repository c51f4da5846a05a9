#!/usr/bin/env node
// `npm test`: Jest (unit + e2e, with any arguments given, e.g. `npm test -- --json --outputFile=r.json`),
// then Vitest (the web app's component tests, jsdom). Both always run; the exit code is non-zero if either failed.
// VITEST_REPORT=<file> also writes Vitest's JSON report there (CI adds its counts to Jest's).
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const run = (command, args) => spawnSync(command, args, { stdio: 'inherit', cwd: root, env: process.env }).status ?? 1;

const jest = run(bin('jest'), process.argv.slice(2));

const vitestArgs = ['run', '--config', 'apps/web/vite.config.ts'];
if (process.env.VITEST_REPORT) {
  vitestArgs.push(
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${path.resolve(process.env.VITEST_REPORT)}`,
  );
}
const vitest = run(bin('vitest'), vitestArgs);

process.exit(jest !== 0 ? jest : vitest);
