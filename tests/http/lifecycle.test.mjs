// lifecycle.test.mjs: start-up, configuration, database checks, limits and clean shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { openSync, writeSync, closeSync, statSync, readFileSync } from 'node:fs';
import { startServer, runCxm, staticDir, engine, pgBase, dbSql, tempDatabase } from '../lib/server.mjs';
import { connect, readAll, parseResponse } from '../lib/raw.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('SIGTERM: exits 0 after finishing an in-flight request', async () => {
  const srv = await startServer();
  const body = JSON.stringify({ 'csp-report': { 'violated-directive': 'img-src' } });
  const sock = await connect(srv.port);
  const reading = readAll(sock, 10_000);
  // Headers and half the body: the request is now in flight.
  sock.write(`POST /api/v1/csp-reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`);
  await sleep(300);
  srv.proc.kill('SIGTERM');
  await srv.waitForLog(/SIGTERM received: no new connections; finishing 1 in-flight/);
  assert.equal(srv.proc.exitCode, null, 'still running while a request is in flight');
  sock.write(body.slice(10));
  const res = parseResponse((await reading).text);
  assert.equal(res.status, 204, 'the in-flight request was answered');
  const { code } = await srv.stop();
  assert.equal(code, 0);
  assert.match(srv.logs(), /info stopped/);
});

test('SIGINT: stops accepting and exits 0', async () => {
  const srv = await startServer();
  assert.equal((await fetch(srv.url + '/healthz')).status, 200);
  const { code, signal } = await srv.stop('SIGINT');
  assert.equal(signal, null);
  assert.equal(code, 0);
  await assert.rejects(fetch(srv.url + '/healthz'));
});

test('the server stops by itself when its standard input closes', async () => {
  const srv = await startServer();
  srv.proc.stdin.end();
  const { code } = await srv.exited;
  assert.equal(code, 0);
  await srv.stop();
});

test('healthz is 503 when the database cannot be read, and recovers', async () => {
  const srv = await startServer();
  assert.equal((await fetch(srv.url + '/healthz')).status, 200);
  let restore = () => {};
  if (engine === 'postgresql') {
    // Cut every connection and refuse new ones: the server must answer 503
    // and reconnect once the database accepts connections again.
    const name = srv.db.slice(srv.db.lastIndexOf('/') + 1);
    const admin = `${pgBase}/postgres`;
    dbSql(admin, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    dbSql(admin, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${name}'`);
    restore = () => dbSql(admin, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
  } else {
    // Overwrite the database file in place (same inode) with garbage.
    const size = statSync(srv.db).size;
    const good = readFileSync(srv.db);
    const fd = openSync(srv.db, 'r+');
    writeSync(fd, Buffer.alloc(size, 0x41), 0, size, 0);
    closeSync(fd);
    restore = () => {
      const fd2 = openSync(srv.db, 'r+');
      writeSync(fd2, good, 0, good.length, 0);
      closeSync(fd2);
    };
  }
  const r = await fetch(srv.url + '/healthz');
  assert.equal(r.status, 503);
  const body = await r.json();
  assert.equal(body.status, 'unavailable');
  assert.equal(body.db, 'unavailable');
  await srv.waitForLog(/health check failed/);
  // Pages and the API answer 503 too, not 500.
  assert.equal((await fetch(srv.url + '/api/v1/me', { headers: { authorization: 'Bearer cxm_x' } })).status, 503);
  restore();
  assert.equal((await fetch(srv.url + '/healthz')).status, 200);
  await srv.stop();
});

test('a database newer than the program is refused with a clear message', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'cxm-newer-'));
  const { db, drop } = tempDatabase(dir);
  assert.equal(runCxm(['init', '--db', db]).status, 0);
  dbSql(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 'x')");
  for (const cmd of [['init', '--db', db],
    ['serve', '--db', db, '--static-dir', staticDir, '--listen', '127.0.0.1:0']]) {
    const r = runCxm(cmd, { timeout: 10_000 });
    assert.equal(r.status, 1, cmd.join(' '));
    assert.match(r.stderr, /schema version 9999 .*only up to \d+/);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  }
  drop();
  rmSync(dir, { recursive: true });
});

test('the body limit is configurable', async () => {
  const srv = await startServer({ args: ['--body-limit', '2K'] });
  const pad = 'x'.repeat(3000);
  let r = await fetch(srv.url + '/api/v1/csp-reports', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ 'csp-report': { 'blocked-uri': pad } }) });
  assert.equal(r.status, 413);
  assert.match((await r.json()).error.message, /2048 bytes/);
  r = await fetch(srv.url + '/api/v1/csp-reports', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ 'csp-report': { 'blocked-uri': 'x' } }) });
  assert.equal(r.status, 204);
  await srv.stop();
});

test('the per-client connection limit is enforced', async () => {
  const srv = await startServer({ args: ['--per-ip-connections', '2', '--threads', '1'] });
  const a = await connect(srv.port);
  const b = await connect(srv.port);
  await sleep(100);
  const c = await connect(srv.port);
  const third = readAll(c, 3000);
  c.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  const res = await third;
  assert.equal(res.closed, true, 'the third connection is closed');
  assert.doesNotMatch(res.text, /200 OK/);
  a.destroy(); b.destroy(); c.destroy();
  await srv.stop();
});

test('idle connections time out as configured', async () => {
  const srv = await startServer({ args: ['--conn-timeout', '1'] });
  const s = await connect(srv.port);
  const t0 = Date.now();
  const res = await readAll(s, 8000);
  assert.equal(res.closed, true);
  assert.ok(Date.now() - t0 < 7000, 'closed well before our own timeout');
  await srv.stop();
});

test('settings come from the environment', async () => {
  const srv = await startServer({ env: { CXM_BODY_LIMIT: '1K' } });
  const r = await fetch(srv.url + '/api/v1/csp-reports', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ 'csp-report': { 'blocked-uri': 'y'.repeat(2000) } }) });
  assert.equal(r.status, 413);
  await srv.stop();
});
