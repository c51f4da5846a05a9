#!/usr/bin/env node
// `npm start`: runs the built API and worker side by side and stops both on SIGINT/SIGTERM.
// Each process migrates (under an advisory lock) before it starts, so this needs no other step.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const children = ['api', 'worker'].map((name) => {
  const child = spawn(process.execPath, [path.join(root, 'dist/apps', name, 'main.js')], {
    stdio: 'inherit',
    env: process.env,
  });
  child.name = name;
  return child;
});

let stopping = false;
let exitCode = 0;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}

for (const child of children) {
  child.on('exit', (code, signal) => {
    if (!stopping) {
      // One of the two died on its own: take the other down too rather than run half a system.
      process.stderr.write(`${child.name} exited (${signal ?? code}); stopping\n`);
      exitCode = code || 1;
      stop('SIGTERM');
    }
    if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(exitCode);
  });
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
