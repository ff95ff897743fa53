// server.mjs: starts a real cxm on a free 127.0.0.1 port with a throwaway database.
// Shared by the HTTP and browser suites.  The server stops when stop() is
// called, and by itself if this process dies (it watches its stdin).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

/** The cxm binary under test: $CXM_BIN, else build/cxm. */
export const cxmBin = process.env.CXM_BIN
  ? resolve(root, process.env.CXM_BIN) : join(root, 'build', 'cxm');

/** The static folder the server uses: $CXM_STATIC_DIR, else build/static. */
export const staticDir = process.env.CXM_STATIC_DIR
  ? resolve(root, process.env.CXM_STATIC_DIR) : join(root, 'build', 'static');

/** Runs `cxm ARGS...` to completion; returns {status, stdout, stderr}. */
export function runCxm(args, opts = {}) {
  const r = spawnSync(cxmBin, args, { encoding: 'utf8', timeout: 60_000, ...opts });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

/**
 * Starts `cxm serve` on 127.0.0.1 and a free port.
 * options: { args: extra flags, env: extra environment, init: run `cxm init` first (default true) }
 * Returns { url, port, db, dir, proc, logs(), waitForLog(re), stop(signal) }.
 */
export async function startServer(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cxm-test-'));
  const db = join(dir, 'cxm.db');
  const env = { ...process.env, ...(options.env || {}) };
  delete env.CXM_DB;
  delete env.CXM_LISTEN;
  if (options.init !== false) {
    const r = runCxm(['init', '--db', db], { env });
    if (r.status !== 0) throw new Error(`cxm init failed: ${r.stderr}`);
  }
  const args = ['serve', '--db', db, '--listen', '127.0.0.1:0',
    '--static-dir', staticDir, '--exit-on-stdin-close', ...(options.args || [])];
  const proc = spawn(cxmBin, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let log = '';
  const waiters = [];
  const onData = (chunk) => {
    log += chunk.toString('utf8');
    for (const w of waiters.splice(0)) {
      const m = log.match(w.re);
      if (m) w.resolve(m); else waiters.push(w);
    }
  };
  proc.stderr.on('data', onData);
  proc.stdout.on('data', onData);
  const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));

  function waitForLog(re, ms = 10_000) {
    const m = log.match(re);
    if (m) return Promise.resolve(m);
    return new Promise((res, rej) => {
      const w = { re, resolve: (x) => { clearTimeout(t); res(x); } };
      const t = setTimeout(() => {
        const i = waiters.indexOf(w);
        if (i >= 0) waiters.splice(i, 1);
        rej(new Error(`timed out waiting for ${re} in server log:\n${log}`));
      }, ms);
      waiters.push(w);
      exited.then(() => setTimeout(() => {
        if (waiters.includes(w)) { clearTimeout(t); rej(new Error(`server exited before ${re}:\n${log}`)); }
      }, 50));
    });
  }

  const m = await waitForLog(/listening on http:\/\/127\.0\.0\.1:(\d+)\//);
  const port = Number(m[1]);
  let stopped = null;
  return {
    url: `http://127.0.0.1:${port}`,
    port, db, dir, proc, exited,
    logs: () => log,
    waitForLog,
    /** Stops the server (SIGTERM by default); resolves to {code, signal}. */
    async stop(signal = 'SIGTERM') {
      if (!stopped) {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
        stopped = exited.then((r) => { rmSync(dir, { recursive: true, force: true }); return r; });
      }
      return stopped;
    },
  };
}
