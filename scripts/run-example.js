#!/usr/bin/env node
// Runs an example app (examples/<name>/main.ts) without a type-checking start:
// esbuild bundles it together with src/ in well under a second, then the bundle runs in-process.
// The typed L1 bindings are generated first when missing or stale.
//
//   node scripts/run-example.js <name>     (cdktf.json's "app" for examples/lab)
'use strict';
process.env.CHECKPOINT_DISABLE = '1';
const { execFileSync } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const name = process.argv[2];
if (!name || !/^[a-z0-9-]+$/.test(name)) {
  console.error('usage: run-example.js <example-name>');
  process.exit(2);
}
const tasks = require(path.join(root, '.projen', 'tasks.json')).tasks;
const gen = tasks['gen:bindings'].steps[0].exec;
execFileSync('sh', ['-c', gen], { cwd: root, stdio: 'inherit', env: process.env });

const outfile = path.join(root, '.build', 'examples', `${name}.js`);
require('esbuild').buildSync({
  entryPoints: [path.join(root, 'examples', name, 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  // cdktf and constructs must be the same module instances the CLI and tests see.
  external: ['cdktf', 'constructs'],
  logLevel: 'warning',
});
require(outfile);
