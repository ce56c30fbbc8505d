'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS loader */
// Loader for node-sane. Never throws on a machine without SANE: load() returns
// { available: false, reason, detail } so the app can show "no SANE" and offer file import.
const path = require('node:path');
const { existsSync } = require('node:fs');

const STATUS_NAMES = [
  'GOOD', 'UNSUPPORTED', 'CANCELLED', 'DEVICE_BUSY', 'INVAL', 'EOF', 'JAMMED', 'NO_DOCS',
  'COVER_OPEN', 'IO_ERROR', 'NO_MEM', 'ACCESS_DENIED', 'WARMING_UP', 'HW_LOCKED',
];

const DEFAULT_BINARY = path.join(__dirname, '..', 'build', 'Release', 'node_sane.node');

let cached = null;

function load(options) {
  const explicit = options && options.binaryPath;
  if (!explicit && cached) return cached;
  const binaryPath = explicit || process.env.NODE_SANE_BINARY || DEFAULT_BINARY;
  let result;
  if (process.platform === 'win32') {
    result = { available: false, reason: 'unsupported-platform', detail: 'SANE does not exist on Windows', binaryPath };
  } else if (!existsSync(binaryPath)) {
    result = { available: false, reason: 'not-built', detail: `no addon at ${binaryPath} (libsane-dev was missing at install, or the build was skipped)`, binaryPath };
  } else {
    try {
      const binding = require(binaryPath);
      result = { available: true, binding, binaryPath };
    } catch (e) {
      const msg = e && e.message ? String(e.message) : String(e);
      const reason = /libsane/.test(msg) ? 'no-libsane' : 'load-failed';
      result = { available: false, reason, detail: msg, binaryPath };
    }
  }
  if (!explicit) cached = result;
  return result;
}

/**
 * The library to preload (LD_PRELOAD) into a process that will load SANE backends, on Linux: it
 * turns the backends' asynchronous thread cancellation into deferred cancellation, so a reader
 * thread is never cancelled inside malloc (src/deferred-cancel.c). Null elsewhere or when it was
 * not built. Inside an Electron asar archive the path points at the unpacked copy.
 */
function deferredCancelPreload() {
  if (process.platform !== 'linux') return null;
  const file = path.join(__dirname, '..', 'build', 'Release', 'sane_deferred_cancel.node').replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
  return existsSync(file) ? file : null;
}

function statusName(code) {
  return STATUS_NAMES[code] || 'UNKNOWN';
}

module.exports = { load, statusName, deferredCancelPreload, STATUS_NAMES };
