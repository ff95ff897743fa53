// cli.test.mjs: the command line contract: help, version, exit statuses, settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCxm, staticDir } from '../lib/server.mjs';

const version = readFileSync(join(import.meta.dirname, '..', '..', 'VERSION'), 'utf8').trim();

function tmp() { return mkdtempSync(join(tmpdir(), 'cxm-cli-')); }

test('cxm --help lists the commands and exits 0', () => {
  const r = runCxm(['--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Usage: cxm COMMAND/);
  assert.match(r.stdout, /init/);
  assert.match(r.stdout, /serve/);
});

test('cxm --version prints the version', () => {
  const r = runCxm(['--version']);
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), `cxm ${version}`);
});

test('no command or an unknown command is a usage error (2)', () => {
  assert.equal(runCxm([]).status, 2);
  const r = runCxm(['frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
});

test('each command has --help', () => {
  for (const c of ['init', 'serve']) {
    const r = runCxm([c, '--help']);
    assert.equal(r.status, 0, c);
    assert.match(r.stdout, new RegExp(`^Usage: cxm ${c}`), c);
    assert.match(r.stdout, /--db/, c);
  }
  assert.match(runCxm(['serve', '--help']).stdout, /CXM_LISTEN/);
});

test('cxm init creates the database and is safe to run twice', () => {
  const dir = tmp();
  const db = join(dir, 'new.db');
  let r = runCxm(['init', '--db', db]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /upgraded from schema version 0 to \d+/);
  assert.ok(existsSync(db));
  r = runCxm(['init', '--db', db]);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /is up to date \(schema version \d+\)/);
  rmSync(dir, { recursive: true });
});

test('CXM_DB chooses the database; --db wins over it', () => {
  const dir = tmp();
  let r = runCxm(['init'], { env: { ...process.env, CXM_DB: join(dir, 'env.db') } });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'env.db')));
  r = runCxm(['init', '--db', join(dir, 'flag.db')], { env: { ...process.env, CXM_DB: join(dir, 'env.db') } });
  assert.equal(r.status, 0);
  assert.ok(existsSync(join(dir, 'flag.db')));
  rmSync(dir, { recursive: true });
});

test('an unusable database path is a user error (1) on one line', () => {
  const r = runCxm(['init', '--db', '/nonexistent-dir/sub/x.db']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^cxm: cannot open database '\/nonexistent-dir\/sub\/x\.db'/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('bad options are usage errors (2) that name the option', () => {
  let r = runCxm(['init', '--bogus']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--bogus/);
  r = runCxm(['serve', '--listen', 'not-an-address']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /listen/);
  r = runCxm(['serve', '--listen', '127.0.0.1:70000']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /port/);
  r = runCxm(['serve', '--body-limit', '12Q']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--body-limit/);
  r = runCxm(['init', 'extra']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unexpected argument 'extra'/);
});

test('a bad environment setting names the variable', () => {
  const r = runCxm(['serve'], { env: { ...process.env, CXM_LISTEN: 'nowhere' } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /CXM_LISTEN/);
});

test('a port already in use is a clear error', async () => {
  const net = await import('node:net');
  const blocker = net.createServer();
  await new Promise((res) => blocker.listen(0, '127.0.0.1', res));
  const port = blocker.address().port;
  const dir = tmp();
  const r = runCxm(['serve', '--db', join(dir, 'x.db'), '--static-dir', staticDir,
    '--listen', `127.0.0.1:${port}`], { timeout: 10_000 });
  blocker.close();
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}`));
  rmSync(dir, { recursive: true });
});
