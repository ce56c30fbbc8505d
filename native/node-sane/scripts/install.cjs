#!/usr/bin/env node
// Install step for node-sane. The addon is optional: when libsane's headers are missing (Windows,
// Linux without libsane-dev) or the compiler fails, this prints why and exits 0, so the app still
// installs; at run time lib/index.cjs then reports { available: false, reason } ("no SANE").
//
// Environment:
//   NODE_SANE_SKIP_BUILD=1        do not build (report "not built" at run time)
//   NODE_SANE_INCLUDE_DIRS=a:b    where to look for sane/sane.h instead of the usual places
//   NODE_SANE_REQUIRE_BUILD=1     fail the install when the addon cannot be built (CI on Linux)
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- runs as a plain CommonJS script */
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const log = (msg) => console.log(`node-sane: ${msg}`);

/** Directories that may hold sane/sane.h, in search order. */
function includeDirs(env = process.env) {
  if (env.NODE_SANE_INCLUDE_DIRS !== undefined) {
    return env.NODE_SANE_INCLUDE_DIRS.split(path.delimiter).filter(Boolean);
  }
  const dirs = [];
  const pc = spawnSync('pkg-config', ['--cflags-only-I', 'sane-backends'], { encoding: 'utf8' });
  if (pc.status === 0) {
    for (const flag of pc.stdout.trim().split(/\s+/)) if (flag.startsWith('-I')) dirs.push(flag.slice(2));
  }
  dirs.push('/usr/include', '/usr/local/include', '/opt/homebrew/include', '/opt/local/include');
  return dirs;
}

function findSaneHeader(env = process.env) {
  for (const dir of includeDirs(env)) {
    const header = path.join(dir, 'sane', 'sane.h');
    if (existsSync(header)) return header;
  }
  return null;
}

/** Decides whether to build; returns { build: boolean, reason: string }. */
function decide(env = process.env, platform = process.platform) {
  if (env.NODE_SANE_SKIP_BUILD === '1') return { build: false, reason: 'NODE_SANE_SKIP_BUILD=1' };
  if (platform === 'win32') return { build: false, reason: 'SANE does not exist on Windows (WIA/eSCL are follow-ups)' };
  const header = findSaneHeader(env);
  if (!header) return { build: false, reason: "libsane headers not found (sane/sane.h); install libsane-dev (Debian/Ubuntu) or sane-backends" };
  return { build: true, reason: `found ${header}` };
}

function nodeGypCommand(env = process.env) {
  // npm tells lifecycle scripts where its bundled node-gyp is.
  if (env.npm_config_node_gyp && existsSync(env.npm_config_node_gyp)) return [process.execPath, [env.npm_config_node_gyp]];
  try {
    return [process.execPath, [require.resolve('node-gyp/bin/node-gyp.js')]];
  } catch {
    return [process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--no-install', 'node-gyp']];
  }
}

function main() {
  const d = decide();
  if (!d.build) {
    log(`skipping the native build: ${d.reason}. The app installs without it, reports "no SANE" and offers file import.`);
    if (process.env.NODE_SANE_REQUIRE_BUILD === '1') process.exit(1);
    return;
  }
  log(`building (${d.reason})`);
  const [cmd, args] = nodeGypCommand();
  const r = spawnSync(cmd, [...args, 'rebuild'], { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    log(`the native build failed (exit ${r.status ?? r.signal}); continuing without it ("no SANE" at run time).`);
    if (process.env.NODE_SANE_REQUIRE_BUILD === '1') process.exit(1);
    return;
  }
  log('built build/Release/node_sane.node');
}

if (require.main === module) main();
module.exports = { decide, findSaneHeader, includeDirs };
