#!/usr/bin/env node
// Install script of @logitlab/native: compiles the addon with node-gyp against the running Node's own
// headers (never downloaded) and the system's oneDNN and OpenBLAS. It must never fail an install: on any
// problem it writes the one-line reason to build/BUILD_FAILED (what `logitlab backends` prints) and exits
// 0, and @logitlab/backends falls back to wasm. `--strict` (the package's build:addon script) exits 1.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const failedFile = path.join(root, 'build', 'BUILD_FAILED');
const strict = process.argv.includes('--strict');
const APT = 'apt-get install g++ make libdnnl-dev libopenblas-dev';

function fail(reason) {
  // a binary left from an earlier build must not outlive a failed one
  fs.rmSync(path.join(root, 'build', 'Release'), { recursive: true, force: true });
  fs.mkdirSync(path.dirname(failedFile), { recursive: true });
  fs.writeFileSync(failedFile, `${reason}\n`);
  console.warn(`@logitlab/native: not built (${reason}); the 'native' backend is unavailable, 'auto' uses wasm. Fix: ${APT}`);
  process.exit(strict ? 1 : 0);
}

if (process.env.LOGITLAB_NATIVE_SKIP_BUILD) fail('LOGITLAB_NATIVE_SKIP_BUILD is set');
if (process.platform !== 'linux' || process.arch !== 'x64')
  fail(`only linux x64 is supported, this is ${process.platform} ${process.arch}`);

// Node's headers: the prefix of the running node (Debian's nodejs ships them in /usr/include/node) or
// npm's nodedir setting; node-gyp would otherwise download them.
const prefixes = [process.env.npm_config_nodedir, process.config.variables.node_prefix, path.resolve(process.execPath, '..', '..')];
const nodedir = prefixes.find((p) => p && fs.existsSync(path.join(p, 'include', 'node', 'node_api.h')));
if (!nodedir) fail(`no Node headers (include/node/node_api.h) under ${prefixes.filter(Boolean).join(', ')}`);

const headers = [
  ['oneDNN', ['/usr/include/dnnl.hpp', '/usr/include/oneapi/dnnl/dnnl.hpp'], 'libdnnl-dev'],
  ['OpenBLAS', ['/usr/include/x86_64-linux-gnu/cblas.h', '/usr/include/cblas.h', '/usr/include/openblas/cblas.h'], 'libopenblas-dev'],
];
for (const [lib, files, pkg] of headers) {
  if (!files.some((f) => fs.existsSync(f))) fail(`${lib} headers not found (${files[0]}): apt-get install ${pkg}`);
}
if (spawnSync('g++', ['--version']).status !== 0) fail('no C++ compiler (g++) on PATH');

// node-gyp: the one npm or pnpm runs this script with, else a local or global install
function findNodeGyp() {
  const candidates = [process.env.npm_config_node_gyp];
  for (const from of [root, path.dirname(process.execPath)]) {
    try {
      // built at run time: node-gyp ships with npm and pnpm, it is not a dependency of this package
      candidates.push(require.resolve(['node-gyp', 'bin', 'node-gyp.js'].join('/'), { paths: [from] }));
    } catch {}
  }
  const npmDir = path.resolve(process.execPath, '..', '..', 'lib', 'node_modules');
  candidates.push(path.join(npmDir, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(path.join(npmDir, 'pnpm', 'dist', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  return candidates.find((c) => c && fs.existsSync(c));
}
const gyp = findNodeGyp();
if (!gyp) fail('node-gyp not found (it ships with npm)');

fs.rmSync(failedFile, { force: true });
const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--jobs=max'], { cwd: root, encoding: 'utf8' });
if (r.status !== 0) {
  const lines = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim());
  // the compiler's or linker's first error says the most (a missing library, a header)
  const first = lines.find((l) => /error|cannot find|No such file/i.test(l) && !l.startsWith('gyp')) ?? lines.filter(Boolean).at(-1);
  fail(`node-gyp rebuild failed: ${first ?? `exit ${r.status}`}`);
}
console.log('@logitlab/native: built build/Release/logitlab_native.node');
