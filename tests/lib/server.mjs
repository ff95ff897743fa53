// server.mjs: starts a real cxm on a free 127.0.0.1 port with a throwaway database.
// Shared by the HTTP and browser suites.  The server stops when stop() is
// called, and by itself if this process dies (it watches its stdin).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

/** The cxm binary under test: $CXM_BIN, else build/cxm. */
export const cxmBin = process.env.CXM_BIN
  ? resolve(root, process.env.CXM_BIN) : join(root, 'build', 'cxm');

/** The static folder the server uses: $CXM_STATIC_DIR, else build/static. */
export const staticDir = process.env.CXM_STATIC_DIR
  ? resolve(root, process.env.CXM_STATIC_DIR) : join(root, 'build', 'static');

/** Base URL of the test PostgreSQL cluster (postgresql://cxm@127.0.0.1:PORT)
 *  when the suite runs against PostgreSQL, else null (SQLite). */
export const pgBase = process.env.CXM_TEST_PG || null;

/** The engine under test: 'postgresql' or 'sqlite'. */
export const engine = pgBase ? 'postgresql' : 'sqlite';

function psql(url, query) {
  const r = spawnSync('psql', [url, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', query],
    { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`psql ${query}: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * A new empty database for the engine under test: a file in dir (SQLite) or
 * a fresh database in the test cluster (PostgreSQL).  Returns { db, drop() }.
 */
export function tempDatabase(dir) {
  if (!pgBase) return { db: join(dir, 'cxm.db'), drop() {} };
  const name = `cxm_t_${randomBytes(6).toString('hex')}`;
  psql(`${pgBase}/postgres`, `CREATE DATABASE ${name}`);
  return {
    db: `${pgBase}/${name}`,
    drop() { psql(`${pgBase}/postgres`, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); },
  };
}

/** Runs one SQL statement on a database (file path or URL); returns the rows
 *  as text, columns separated by '|', rows by newlines (as sqlite3 and
 *  psql -At print them). */
export function dbSql(db, query) {
  if (db.startsWith('postgresql://')) return psql(db, query);
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', db, query], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 ${query}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Everything stored in a database as one string, to prove a secret is not
 *  in it: the raw files (SQLite) or a data dump (PostgreSQL). */
export function dbDump(db) {
  if (db.startsWith('postgresql://')) {
    const r = spawnSync('pg_dump', ['--data-only', db], { encoding: 'latin1', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`pg_dump: ${r.stderr}`);
    return r.stdout;
  }
  const dir = db.slice(0, db.lastIndexOf('/'));
  const base = db.slice(db.lastIndexOf('/') + 1);
  return readdirSync(dir).filter((f) => f.startsWith(base))
    .map((f) => readFileSync(join(dir, f), 'latin1')).join('\n');
}

/** Runs `cxm ARGS...` to completion; returns {status, stdout, stderr}. */
export function runCxm(args, opts = {}) {
  const r = spawnSync(cxmBin, args, { encoding: 'utf8', timeout: 60_000, ...opts });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

/**
 * Starts `cxm serve` on 127.0.0.1 and a free port.
 * options: { args: extra flags, env: extra environment, init: run `cxm init` first (default true),
 *            db: use this database instead of a new one (it is not dropped) }
 * Returns { url, port, db, dir, proc, logs(), waitForLog(re), stop(signal) }.
 */
export async function startServer(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cxm-test-'));
  const database = options.db ? { db: options.db, drop() {} } : tempDatabase(dir);
  const db = database.db;
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
        stopped = exited.then((r) => {
          rmSync(dir, { recursive: true, force: true });
          database.drop();
          return r;
        });
      }
      return stopped;
    },
  };
}
