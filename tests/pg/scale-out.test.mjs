// scale-out.test.mjs: PostgreSQL only.  Several `cxm serve` processes on one
// database, multi-host connection URLs, a database outage under load, and
// `cxm db copy` / `cxm backup` between SQLite and PostgreSQL.
// Needs CXM_TEST_PG (the cluster's base URL) and CXM_TEST_PG_DIR (its folder,
// for the restart); scripts/run-tests http-pg sets both.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, tempDatabase, dbSql, runCxm, pgBase } from '../lib/server.mjs';
import {
  seed, api, login, page, postForm, addUser, addToken, cookieHeader,
} from '../lib/fixtures.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const pgDir = process.env.CXM_TEST_PG_DIR || null;
const skip = pgBase ? false : 'PostgreSQL only (set CXM_TEST_PG)';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** fetch that never hangs: aborts after ms. */
function fetchT(url, opts = {}, ms = 5000) {
  return fetch(url, { redirect: 'manual', ...opts, signal: AbortSignal.timeout(ms) });
}

async function healthz(srv) {
  const r = await fetchT(srv.url + '/healthz');
  return { status: r.status, body: await r.json().catch(() => null) };
}

/** A fresh temporary folder, removed by the returned function. */
function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, rm: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The name of a PostgreSQL database from its URL. */
const dbName = (url) => new URL(url).pathname.slice(1);

// ---------------------------------------------------------------------------

describe('two servers on one database', { skip }, () => {
  let a, b, s;
  before(async () => {
    a = await startServer();
    s = await seed(a);
    b = await startServer({ db: a.db, init: false });
  });
  // b does not own the database; a drops it, so b stops first.
  after(async () => { await b?.stop(); await a?.stop(); });

  test('an organization created through A is read, changed and listed through B', async () => {
    let r = await api(a, s.tokens.admin, 'POST', '/api/v1/orgs',
      { name: 'Made on A', kind: 'office', parent_id: s.ids.orgA, short_name: 'MOA' });
    assert.equal(r.status, 201, r.text);
    const id = r.body.id;
    r = await api(b, s.tokens.analyst, 'GET', `/api/v1/orgs/${id}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.name, 'Made on A');
    assert.equal(r.body.short_name, 'MOA');
    assert.equal(r.body.parent_id, s.ids.orgA);
    r = await api(b, s.tokens.viewer, 'GET', '/api/v1/orgs');
    assert.equal(r.status, 200);
    assert.ok(r.body.orgs.some((o) => o.id === id && o.name === 'Made on A'), 'listed on B');
    // And the other way round.
    r = await api(b, s.tokens.analyst, 'PATCH', `/api/v1/orgs/${id}`, { name: 'Renamed on B' });
    assert.equal(r.status, 200, r.text);
    r = await api(a, s.tokens.viewer, 'GET', `/api/v1/orgs/${id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.name, 'Renamed on B');
    // A duplicate made through B of a name made through A is a conflict.
    r = await api(b, s.tokens.analyst, 'POST', '/api/v1/orgs',
      { name: 'renamed on b', kind: 'office', parent_id: s.ids.orgA });
    assert.equal(r.status, 409, r.text);
  });

  test('a session made by signing in on A works on B, and signing out on B ends it on A', async () => {
    // Without the cookie B does not know the caller.
    const anon = await page(b, {}, '/account');
    assert.notEqual(anon.status, 200);
    const l = await login(a, s.emails.facilitator);
    assert.equal(l.status, 303);
    assert.ok(l.jar.cxm_session, 'a session cookie was set by A');
    const p = await page(b, l.jar, '/account');
    assert.equal(p.status, 200, 'B accepts the session made on A');
    assert.ok(p.html.includes(s.emails.facilitator));
    const me = await fetchT(b.url + '/api/v1/me', { headers: { cookie: cookieHeader(l.jar) } });
    assert.equal(me.status, 200);
    assert.equal((await me.json()).email, s.emails.facilitator);
    // The session's CSRF token (kept in the database) is good on B too.
    assert.ok(p.csrf);
    const session = l.jar.cxm_session;
    const out = await postForm(b, l.jar, '/logout', {}, p.csrf);
    assert.equal(out.status, 303, out.html);
    const again = await fetchT(a.url + '/account', { headers: { cookie: `cxm_session=${session}` } });
    assert.notEqual(again.status, 200, 'the session ended on B no longer works on A');
  });

  test('a token revoked through B stops working on A at once', async () => {
    const token = addToken(a.db, s.emails.analyst, 'cross-server');
    const id = Number(dbSql(a.db, "SELECT id FROM api_tokens WHERE name = 'cross-server'"));
    assert.equal((await api(a, token, 'GET', '/api/v1/me')).status, 200);
    assert.equal((await api(b, token, 'GET', '/api/v1/me')).status, 200);
    const l = await login(b, s.emails.admin);
    assert.equal(l.status, 303);
    const { csrf } = await page(b, l.jar, '/account');
    const r = await postForm(b, l.jar, `/admin/tokens/${id}/revoke`, {}, csrf);
    assert.equal(r.status, 303, r.html);
    const onA = await api(a, token, 'GET', '/api/v1/me');
    assert.equal(onA.status, 401, 'A refuses the token revoked through B');
    assert.equal(onA.body.error.code, 'unauthorized');
    assert.equal((await api(a, token, 'POST', '/api/v1/orgs',
      { name: 'Never', kind: 'office', parent_id: s.ids.orgA })).status, 401);
    assert.equal((await api(a, s.tokens.analyst, 'GET', '/api/v1/me')).status, 200,
      'the analyst\'s other token still works');
  });

  test('audit entries written through both servers are in one log, read the same from either', async () => {
    let r = await api(a, s.tokens.admin, 'POST', '/api/v1/orgs',
      { name: 'Audit via A', kind: 'office', parent_id: s.ids.orgB });
    assert.equal(r.status, 201);
    const viaA = r.body.id;
    r = await api(b, s.tokens.admin, 'POST', '/api/v1/orgs',
      { name: 'Audit via B', kind: 'office', parent_id: s.ids.orgB });
    assert.equal(r.status, 201);
    const viaB = r.body.id;
    const fromA = await api(a, s.tokens.admin, 'GET', '/api/v1/audit?limit=1000');
    const fromB = await api(b, s.tokens.admin, 'GET', '/api/v1/audit?limit=1000');
    assert.equal(fromA.status, 200, fromA.text);
    assert.equal(fromB.status, 200, fromB.text);
    const entries = fromA.body.entries;
    for (const [id, name] of [[viaA, 'Audit via A'], [viaB, 'Audit via B']]) {
      const e = entries.find((x) => x.action === 'create' && x.object_type === 'org' && x.object_id === id);
      assert.ok(e, `the create of ${name} is in the log`);
      assert.equal(e.changes.name, name);
      assert.equal(e.via, 'api');
      assert.equal(e.actor, s.emails.admin);
    }
    const revoke = entries.find((x) => x.action === 'revoke');
    assert.ok(revoke, 'the revoke made through B is in the log read through A');
    assert.equal(revoke.via, 'web');
    // One log: the same entries from either server, newest first, no gaps
    // between ids from different servers' writes.
    assert.deepEqual(fromB.body.entries, entries);
    const ids = entries.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => y - x), 'newest first');
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    assert.equal(Number(dbSql(a.db, 'SELECT count(*) FROM audit_log')), entries.length);
  });

  test('two servers starting at once on a new database both migrate and come up', async () => {
    for (let round = 0; round < 3; round++) {
      const { dir, rm } = tempDir('cxm-race-');
      const t = tempDatabase(dir);
      const started = await Promise.allSettled([
        startServer({ db: t.db, init: false }),
        startServer({ db: t.db, init: false }),
      ]);
      const up = started.filter((x) => x.status === 'fulfilled').map((x) => x.value);
      try {
        const failures = started.filter((x) => x.status === 'rejected').map((x) => String(x.reason?.message));
        assert.deepEqual(failures, [], `round ${round}: both servers start`);
        for (const srv of up) {
          const h = await healthz(srv);
          assert.equal(h.status, 200);
          assert.equal(h.body.db, 'ok');
          assert.doesNotMatch(srv.logs(), /migration|error/i);
        }
        // Each migration applied exactly once, and nothing is pending.
        assert.equal(dbSql(t.db, 'SELECT count(*) = count(DISTINCT version) FROM schema_migrations'), 't');
        const init = runCxm(['init', '--db', t.db]);
        assert.equal(init.status, 0, init.stderr);
        assert.match(init.stdout, /is up to date \(schema version \d+\)/);
        const v = Number(/schema version (\d+)/.exec(init.stdout)[1]);
        assert.equal(Number(dbSql(t.db, 'SELECT count(*) FROM schema_migrations')), v);
        if (round === 0) {
          // Both work on the same schema.
          addUser(t.db, 'race@test.example', 'Race Admin', { role: 'admin' });
          const token = addToken(t.db, 'race@test.example');
          const r = await api(up[0], token, 'POST', '/api/v1/orgs', { name: 'Raced', kind: 'department' });
          assert.equal(r.status, 201, r.text);
          const g = await api(up[1], token, 'GET', `/api/v1/orgs/${r.body.id}`);
          assert.equal(g.status, 200);
          assert.equal(g.body.name, 'Raced');
        }
      } finally {
        await Promise.all(up.map((srv) => srv.stop()));
        t.drop();
        rm();
      }
    }
  });
});

// ---------------------------------------------------------------------------

describe('multi-host connection URLs', { skip }, () => {
  let srv, t, tmp, multi;
  before(() => {
    tmp = tempDir('cxm-multi-');
    t = tempDatabase(tmp.dir);
    const port = new URL(pgBase).port;
    assert.ok(port, `a port in ${pgBase}`);
    // Nothing listens on port 1: the first host is down.
    multi = `postgresql://cxm@127.0.0.1:1,127.0.0.1:${port}/${dbName(t.db)}?target_session_attrs=read-write`;
  });
  after(async () => { await srv?.stop(); t?.drop(); tmp?.rm(); });

  test('the first host alone is down: a clear one-line error, exit 1', () => {
    const r = runCxm(['init', '--db', `postgresql://cxm@127.0.0.1:1/${dbName(t.db)}`], { timeout: 20_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot connect to PostgreSQL/);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  });

  test('cxm init, the user and token commands and cxm serve fail over to the second host', async () => {
    const init = runCxm(['init', '--db', multi], { timeout: 20_000 });
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stdout, /upgraded from schema version 0 to \d+/);
    assert.ok(Number(dbSql(t.db, 'SELECT count(*) FROM schema_migrations')) > 0, 'migrated the real database');
    addUser(multi, 'multi@test.example', 'Multi Host', { role: 'admin' });
    const token = addToken(multi, 'multi@test.example');
    srv = await startServer({ db: multi, init: false });
    const h = await healthz(srv);
    assert.equal(h.status, 200);
    assert.equal(h.body.db, 'ok');
    const r = await api(srv, token, 'POST', '/api/v1/orgs', { name: 'Failed Over', kind: 'department' });
    assert.equal(r.status, 201, r.text);
    assert.equal(dbSql(t.db, `SELECT name FROM orgs WHERE id = ${r.body.id}`), 'Failed Over');
    const l = await login(srv, 'multi@test.example');
    assert.equal(l.status, 303, 'signing in writes a session through the failed-over connection');
    assert.equal((await page(srv, l.jar, '/account')).status, 200);
  });
});

// ---------------------------------------------------------------------------

/** `SELECT * FROM table` in key order, as text (the same for both engines). */
const TABLES = {
  settings: 'key', orgs: 'id', services: 'id', users: 'id', grants: 'id', sessions: 'id',
  api_tokens: 'id', login_failures: 'key', audit_log: 'id', models: 'id, version',
};
const dumpTable = (db, table) => dbSql(db, `SELECT * FROM ${table} ORDER BY ${TABLES[table]}`);
const countRows = (db) => Object.fromEntries(Object.keys(TABLES)
  .map((tb) => [tb, Number(dbSql(db, `SELECT count(*) FROM ${tb}`))]));

/** The per-table counts `cxm db copy` prints. */
function printedCounts(stdout) {
  assert.match(stdout, /rows match in every table/);
  const counts = {};
  for (const m of stdout.matchAll(/^ {2}(\w+)\s+(\d+)$/gm)) counts[m[1]] = Number(m[2]);
  return counts;
}

describe('cxm db copy and cxm backup', { skip }, () => {
  const NEW_PASSWORD = 'copied databases keep passwords';
  const VIEWER_PASSWORD = 'set on the postgresql copy';
  let tmp, sqliteSrc, sqliteBack, pg, srcSrv, pgSrv, token;
  const before_ = {};

  before(async () => {
    tmp = tempDir('cxm-copy-');
    sqliteSrc = join(tmp.dir, 'source.db');
    sqliteBack = join(tmp.dir, 'back.db');
    pg = tempDatabase(tmp.dir);
    const init = runCxm(['init', '--db', sqliteSrc, '--demo']);
    assert.equal(init.status, 0, init.stderr);
    assert.match(init.stdout, /Loaded the demo agency/);
    const pw = runCxm(['user', 'passwd', '--db', sqliteSrc, '--email', 'admin@demo.example'],
      { input: NEW_PASSWORD + '\n' });
    assert.equal(pw.status, 0, pw.stderr);
    token = addToken(sqliteSrc, 'admin@demo.example', 'before the copy');
    // A few writes through a server on the SQLite file.
    srcSrv = await startServer({ db: sqliteSrc, init: false });
    assert.equal(dbSql(sqliteSrc, 'SELECT count(*) FROM orgs'), '4', 'the server really uses the SQLite file');
    let r = await api(srcSrv, token, 'POST', '/api/v1/orgs', { name: 'Copied Office', kind: 'office', parent_id: 2 });
    assert.equal(r.status, 201, r.text);
    const office = r.body.id;
    r = await api(srcSrv, token, 'POST', '/api/v1/services',
      { org_id: office, name: 'Copied service', channels: ['website', 'phone'], hisp: true, annual_customers: 1234 });
    assert.equal(r.status, 201, r.text);
    r = await api(srcSrv, token, 'PATCH', '/api/v1/orgs/3', { short_name: 'TIO2' });
    assert.equal(r.status, 200, r.text);
    const l = await login(srcSrv, 'admin@demo.example', NEW_PASSWORD);
    assert.equal(l.status, 303, 'signed in on the source');
    before_.orgs = (await api(srcSrv, token, 'GET', '/api/v1/orgs')).body;
    before_.services = (await api(srcSrv, token, 'GET', '/api/v1/services')).body;
    before_.audit = (await api(srcSrv, token, 'GET', '/api/v1/audit?limit=1000')).body;
    await srcSrv.stop();
    srcSrv = null;
  });
  after(async () => {
    await srcSrv?.stop();
    await pgSrv?.stop();
    pg?.drop();
    tmp?.rm();
  });

  test('SQLite -> PostgreSQL -> SQLite keeps every row; counts are printed and match', () => {
    const source = countRows(sqliteSrc);
    assert.ok(source.orgs >= 5 && source.services >= 7 && source.users === 4 && source.sessions >= 1,
      JSON.stringify(source));
    let r = runCxm(['db', 'copy', '--from', sqliteSrc, '--to', pg.db]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(printedCounts(r.stdout), source);
    assert.deepEqual(countRows(pg.db), source);
    r = runCxm(['db', 'copy', '--from', pg.db, '--to', sqliteBack]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(printedCounts(r.stdout), source);
    assert.deepEqual(countRows(sqliteBack), source);
    // The rows themselves, not just their number, are the same on all three.
    for (const table of Object.keys(TABLES)) {
      const want = dumpTable(sqliteSrc, table);
      assert.equal(dumpTable(pg.db, table), want, `${table} on PostgreSQL`);
      assert.equal(dumpTable(sqliteBack, table), want, `${table} back on SQLite`);
    }
    const lists = [sqliteSrc, pg.db, sqliteBack].map((db) => runCxm(['user', 'list', '--db', db]));
    for (const l of lists) assert.equal(l.status, 0, l.stderr);
    assert.match(lists[0].stdout, /viewer@demo\.example/);
    assert.equal(lists[1].stdout, lists[0].stdout, 'cxm user list on PostgreSQL');
    assert.equal(lists[2].stdout, lists[0].stdout, 'cxm user list back on SQLite');
  });

  test('a server on the PostgreSQL copy serves the demo data, passwords and tokens', async () => {
    pgSrv = await startServer({ db: pg.db, init: false });
    // The token and the API answers carried over unchanged.
    assert.deepEqual((await api(pgSrv, token, 'GET', '/api/v1/orgs')).body, before_.orgs);
    assert.deepEqual((await api(pgSrv, token, 'GET', '/api/v1/services')).body, before_.services);
    assert.deepEqual((await api(pgSrv, token, 'GET', '/api/v1/audit?limit=1000')).body, before_.audit);
    const pw = runCxm(['user', 'passwd', '--db', pg.db, '--email', 'viewer@demo.example'],
      { input: VIEWER_PASSWORD + '\n' });
    assert.equal(pw.status, 0, pw.stderr);
    // The viewer signs in with the password set on the copy and sees the demo agency.
    const l = await login(pgSrv, 'viewer@demo.example', VIEWER_PASSWORD);
    assert.equal(l.status, 303);
    const orgs = await page(pgSrv, l.jar, '/orgs');
    assert.equal(orgs.status, 200);
    assert.match(orgs.html, /Department of Example Services/);
    assert.match(orgs.html, /Copied Office/);
    const svc = await fetchT(pgSrv.url + '/api/v1/services', { headers: { cookie: cookieHeader(l.jar) } });
    assert.equal(svc.status, 200);
    assert.ok((await svc.json()).services.some((x) => x.name === 'Apply for retirement benefits'));
    // The admin's password hash came across from SQLite.
    const admin = await login(pgSrv, 'admin@demo.example', NEW_PASSWORD);
    assert.equal(admin.status, 303, 'a password set on SQLite works on the copy');
    assert.equal((await login(pgSrv, 'analyst@demo.example', 'not the password at all')).status, 401);
  });

  test('new rows on the PostgreSQL copy get ids above the copied ones', async () => {
    const max = Object.fromEntries(['orgs', 'services', 'users', 'grants', 'sessions', 'api_tokens', 'audit_log']
      .map((tb) => [tb, Number(dbSql(pg.db, `SELECT coalesce(max(id), 0) FROM ${tb}`))]));
    let r = await api(pgSrv, token, 'POST', '/api/v1/orgs', { name: 'After Copy', kind: 'program', parent_id: 2 });
    assert.equal(r.status, 201, r.text);
    assert.ok(r.body.id > max.orgs, `org id ${r.body.id} > ${max.orgs}`);
    r = await api(pgSrv, token, 'POST', '/api/v1/services', { org_id: r.body.id, name: 'After copy service' });
    assert.equal(r.status, 201, r.text);
    assert.ok(r.body.id > max.services, `service id ${r.body.id} > ${max.services}`);
    const user = addUser(pg.db, 'new@demo.example', 'New Person', { role: 'viewer', org: 1 });
    assert.ok(user > max.users, `user id ${user} > ${max.users}`);
    addToken(pg.db, 'new@demo.example', 'after copy');
    assert.equal((await login(pgSrv, 'new@demo.example')).status, 303);
    const newest = (tb, where = '') => Number(dbSql(pg.db, `SELECT max(id) FROM ${tb} ${where}`));
    assert.ok(newest('grants', `WHERE user_id = ${user}`) > max.grants, 'grant id');
    assert.ok(newest('api_tokens', "WHERE name = 'after copy'") > max.api_tokens, 'token id');
    assert.ok(newest('sessions', `WHERE user_id = ${user}`) > max.sessions, 'session id');
    assert.ok(Number(dbSql(pg.db, `SELECT min(id) FROM audit_log WHERE id > ${max.audit_log}`)) > max.audit_log);
    assert.equal(dbSql(pg.db, 'SELECT count(*) = count(DISTINCT id) FROM audit_log'), 't');
  });

  test('copying into a database that is not empty is refused and changes nothing', () => {
    for (const [from, to] of [[sqliteSrc, pg.db], [pg.db, sqliteBack]]) {
      const counts = countRows(to);
      const r = runCxm(['db', 'copy', '--from', from, '--to', to]);
      assert.equal(r.status, 1, `${from} -> ${to}: ${r.stdout}`);
      assert.match(r.stderr, /^cxm: the target database is not empty \(\w+ has \d+ rows\); copy only into a new database\n$/);
      assert.equal(r.stdout, '');
      assert.deepEqual(countRows(to), counts);
    }
    // Usage errors are exit 2.
    assert.equal(runCxm(['db', 'copy', '--from', sqliteSrc]).status, 2);
    assert.equal(runCxm(['db', 'copy', '--from', pg.db, '--to', pg.db]).status, 2);
  });

  test('cxm backup refuses PostgreSQL (use pg_dump) and copies SQLite to a readable file', () => {
    const file = join(tmp.dir, 'backup.db');
    let r = runCxm(['backup', '--db', pg.db, file]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /pg_dump/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.ok(!existsSync(file), 'no file written');
    r = runCxm(['backup', '--db', sqliteSrc, file]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(existsSync(file));
    const want = runCxm(['user', 'list', '--db', sqliteSrc]).stdout;
    const got = runCxm(['user', 'list', '--db', file]);
    assert.equal(got.status, 0, got.stderr);
    assert.equal(got.stdout, want);
    assert.deepEqual(countRows(file), countRows(sqliteSrc));
    // It will not overwrite.
    r = runCxm(['backup', '--db', sqliteSrc, file]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /already exists/);
  });
});

// ---------------------------------------------------------------------------
// The outage test restarts the shared cluster: it runs last in this file.

function pgBin() {
  const base = '/usr/lib/postgresql';
  const v = readdirSync(base).sort((x, y) => Number(x) - Number(y)).at(-1);
  return join(base, v, 'bin');
}

function clusterUp() {
  const r = spawnSync('psql', [`${pgBase}/postgres`, '-X', '-q', '-At', '-c', 'SELECT 1'],
    { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0;
}

/** Whatever happened, leave the cluster running for the other test files. */
async function ensureClusterUp(restarting) {
  if (clusterUp()) return;
  if (restarting) await Promise.race([restarting, sleep(60_000)]);
  for (let i = 0; i < 20 && !clusterUp(); i++) await sleep(250);
  if (clusterUp()) return;
  // Start it the way scripts/pg-cluster does (it has no plain "start again").
  const port = new URL(pgBase).port;
  const args = ['-D', join(pgDir, 'data'), '-l', join(pgDir, 'server.log'), '-w', '-t', '60',
    '-o', `-h 127.0.0.1 -p ${port} -k ${join(pgDir, 'sock')} -c fsync=off -c full_page_writes=off -c max_connections=300`,
    'start'];
  const cmd = process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', join(pgBin(), 'pg_ctl'), ...args]]
    : [join(pgBin(), 'pg_ctl'), args];
  spawnSync(cmd[0], cmd[1], { encoding: 'utf8', timeout: 90_000 });
  assert.ok(clusterUp(), 'the test cluster is running again');
}

/** Waits (up to ms) until no other database of the cluster has clients, so
 *  the restart does not break a test file running alongside this one. */
async function waitForQuietCluster(mine, ms) {
  const deadline = Date.now() + ms;
  let quiet = 0;
  while (Date.now() < deadline && quiet < 3) {
    const n = Number(dbSql(`${pgBase}/postgres`,
      `SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'
         AND pid <> pg_backend_pid() AND datname IS DISTINCT FROM '${mine}'`));
    quiet = n === 0 ? quiet + 1 : 0;
    if (quiet < 3) await sleep(200);
  }
  return quiet >= 3;
}

const THREADS = 4;
/** How many of each status: {"201": 40, "503": 7}. */
const tally = (list) => list.reduce((m, x) => { m[x.status] = (m[x.status] || 0) + 1; return m; }, {});

describe('a database outage under load', { skip: skip || (pgDir ? false : 'needs CXM_TEST_PG_DIR') }, () => {
  let srv, token, parent, restarting = null;
  before(async () => {
    srv = await startServer({ args: ['--threads', String(THREADS)] });
    addUser(srv.db, 'load@test.example', 'Load Admin', { role: 'admin' });
    token = addToken(srv.db, 'load@test.example');
    const r = await api(srv, token, 'POST', '/api/v1/orgs', { name: 'Load Department', kind: 'department' });
    assert.equal(r.status, 201, r.text);
    parent = r.body.id;
  });
  after(async () => {
    await ensureClusterUp(restarting);
    await srv?.stop();
  });

  test('requests fail with 503 during a restart, succeed after it, and nothing acknowledged is lost', async (t) => {
    const writes = [];   // { name, status, id, code, t0, t1 }
    const reads = [];    // { status, t0 }
    const health = [];   // { status, t0 }
    let stop = false;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

    async function writer(w) {
      for (let i = 0; !stop; i++) {
        const name = `load ${w}-${i}`;
        const rec = { name, status: null, id: null, code: null, t0: Date.now() };
        try {
          const r = await fetchT(srv.url + '/api/v1/orgs', { method: 'POST', headers,
            body: JSON.stringify({ name, kind: 'office', parent_id: parent }) });
          rec.status = r.status;
          const body = await r.json().catch(() => null);
          if (r.status === 201) rec.id = body?.id;
          else rec.code = body?.error?.code;
        } catch (e) {
          rec.status = e.name === 'TimeoutError' ? 'timeout' : `network error: ${e.message}`;
        }
        rec.t1 = Date.now();
        writes.push(rec);
        if (rec.status !== 201) await sleep(10);
      }
    }
    async function poll(path, into, auth) {
      while (!stop) {
        const t0 = Date.now();
        try {
          const r = await fetchT(srv.url + path, { headers: auth ? { authorization: `Bearer ${token}` } : {} });
          await r.arrayBuffer();
          into.push({ status: r.status, t0 });
        } catch (e) {
          into.push({ status: e.name === 'TimeoutError' ? 'timeout' : `network error: ${e.message}`, t0 });
        }
        await sleep(20);
      }
    }

    const quiet = await waitForQuietCluster(dbName(srv.db), 45_000);
    if (!quiet) console.log('# the cluster still has other clients; restarting anyway');

    const workers = [writer(0), writer(1), writer(2), poll('/api/v1/orgs', reads, true), poll('/healthz', health, false)];
    let restartEnd = null, recovered = null, restartResult = null;
    try {
      const okBefore = () => writes.filter((x) => x.status === 201).length;
      for (let i = 0; i < 100 && okBefore() < 20; i++) await sleep(50);
      assert.ok(okBefore() >= 20, `writes succeed before the outage: ${JSON.stringify(writes.slice(-5))}`);

      // Restart without blocking this process (spawnSync would stall the load
      // loop, so no request would be made while the database is down).
      const restartStart = Date.now();
      restarting = new Promise((res) => {
        const p = spawn(join(root, 'scripts', 'pg-cluster'), ['restart', pgDir, 'immediate'],
          { stdio: ['ignore', 'pipe', 'pipe'] });
        let err = '';
        p.stderr.on('data', (d) => { err += d; });
        const timer = setTimeout(() => p.kill('SIGKILL'), 60_000);
        p.on('exit', (code, signal) => { clearTimeout(timer); res({ code, signal, err }); });
      });
      restartResult = await restarting;
      restartEnd = Date.now();
      assert.equal(restartResult.code, 0, `pg-cluster restart: ${restartResult.err}`);

      // healthz is back within a few seconds, with the same cxm process.
      while (Date.now() - restartEnd < 10_000) {
        const h = await healthz(srv).catch(() => ({ status: 'error' }));
        if (h.status === 200) { recovered = Date.now(); break; }
        await sleep(100);
      }
      if (!recovered) {
        stop = true;
        await Promise.allSettled(workers);
        assert.fail(`healthz is not 200 again within 10 s of the restart; cxm ${
          srv.proc.exitCode === null && srv.proc.signalCode === null ? 'is still running'
            : `exited (code ${srv.proc.exitCode}, signal ${srv.proc.signalCode})`}; write answers: ${
          JSON.stringify(tally(writes))}; log tail:\n${srv.logs().split('\n').slice(-8).join('\n')}`);
      }
      // Keep the load going a little after the recovery.
      const okAt = okBefore();
      for (let i = 0; i < 60 && okBefore() < okAt + 30; i++) await sleep(50);
      stop = true;
      await Promise.all(workers);

      t.diagnostic(`writes ${JSON.stringify(tally(writes))}, reads ${JSON.stringify(tally(reads))}, healthz ${
        JSON.stringify(tally(health))}; restart took ${restartEnd - restartStart} ms, healthz 200 again ${
        recovered - restartEnd} ms later`);
      assert.equal(srv.proc.exitCode, null, 'cxm is still running');
      assert.equal(srv.proc.signalCode, null, 'cxm did not crash');
      const outage = writes.filter((x) => x.t1 >= restartStart && x.t0 <= restartEnd);
      // Only 201 and 503: never a 500, a hang (timeout) or a dropped connection.
      const bad = writes.filter((x) => x.status !== 201 && x.status !== 503);
      assert.deepEqual(bad, [], 'every write is answered 201 or 503');
      assert.deepEqual(writes.filter((x) => x.status === 503 && x.code !== 'unavailable'), [],
        '503s carry the "unavailable" error code');
      assert.deepEqual(reads.filter((x) => x.status !== 200 && x.status !== 503), [], 'reads are 200 or 503');
      assert.deepEqual(health.filter((x) => x.status !== 200 && x.status !== 503), [], 'healthz is 200 or 503');
      assert.ok(writes.some((x) => x.status === 503), `writes during the outage were refused with 503 (${outage.length} made)`);
      assert.ok(health.some((x) => x.status === 503), 'healthz said 503 during the outage');
      // After the recovery writes succeed again.  A pooled connection that
      // sat idle through the restart may fail once when next used (it
      // cannot know it was cut), so at most THREADS requests in all may
      // still get a 503 after healthz recovered.
      const later = writes.filter((x) => x.t0 >= recovered);
      assert.ok(later.filter((x) => x.status === 201).length >= 10,
        `writes succeed after the restart: ${JSON.stringify(later.map((x) => x.status))}`);
      const late503 = [...writes, ...reads, ...health].filter((x) => x.t0 >= recovered && x.status === 503);
      assert.ok(late503.length <= THREADS, `${late503.length} requests got 503 after the recovery`);

      // Nothing acknowledged is lost; nothing appears that was not asked for.
      const rows = dbSql(srv.db, `SELECT id, name FROM orgs WHERE parent_id = ${parent} ORDER BY id`)
        .split('\n').filter(Boolean).map((l) => { const [id, name] = l.split('|'); return { id: Number(id), name }; });
      const byName = new Map(rows.map((r) => [r.name, r]));
      assert.equal(byName.size, rows.length, 'no duplicate organizations');
      const acked = writes.filter((x) => x.status === 201);
      const lost = acked.filter((x) => byName.get(x.name)?.id !== x.id);
      assert.deepEqual(lost, [], 'every 201 is in the database with the id it was given');
      const answered = new Map(writes.map((x) => [x.name, x.status]));
      const unexplained = rows.filter((r) => ![201, 503].includes(answered.get(r.name)));
      assert.deepEqual(unexplained, [], 'every stored organization was acknowledged or answered 503');
      // The API agrees with the database.
      const list = await api(srv, token, 'GET', `/api/v1/orgs?parent=${parent}`);
      assert.equal(list.status, 200);
      const listed = new Set(list.body.orgs.map((o) => o.id));
      assert.deepEqual(acked.filter((x) => !listed.has(x.id)), [], 'every 201 is listed by the API');
    } finally {
      stop = true;
      await Promise.allSettled(workers);
      await ensureClusterUp(restarting);
    }
  });

  test('each failed health check during the outage is logged with its cause intact', () => {
    const lines = srv.logs().split('\n').filter((l) => l.includes('health check failed'));
    assert.ok(lines.length > 0, 'the 503s from /healthz were logged');
    for (const l of lines) {
      assert.match(l, / warn health check failed: database unreadable: \S/);
      assert.equal(l.split('database unreadable').length - 1, 1, `the cause is said once, not garbled: ${l}`);
    }
  });
});
