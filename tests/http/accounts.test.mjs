// accounts.test.mjs: sign-in, throttling, sessions, CSRF, API tokens, users and
// grants (command line and admin pages), organization/service input checks
// and the audit log, against a real `cxm serve`.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { startServer, runCxm, dbSql, dbDump } from '../lib/server.mjs';
import {
  seed, api, login, page, postForm, csrfFrom, addUser, addToken, PASSWORD,
  takeCookies, cookieHeader,
} from '../lib/fixtures.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const FORM = 'application/x-www-form-urlencoded';
const NEW_PASSWORD = 'a different long passphrase';

/** Runs SQL against the server's database (either engine); returns stdout. */
const sql = dbSql;

/** Everything the database holds, as text (raw files or a data dump). */
const dbBytes = dbDump;

/** One cookie from a response's Set-Cookie headers: {value, attrs (lower-case), raw} or null. */
function setCookie(res, name) {
  const raw = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!raw) return null;
  const [pair, ...attrs] = raw.split(/;\s*/);
  return { value: pair.slice(name.length + 1), attrs: attrs.map((a) => a.toLowerCase()), raw };
}

function assertJsonError(body, code) {
  assert.equal(typeof body?.error, 'object', 'error object present');
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
  assert.ok(Array.isArray(body.error.details), 'details is an array');
}

/** The field names in a JSON error's details. */
const fields = (body) => (body?.error?.details || []).map((d) => d.field);

/** GET /login: the anonymous form token and the cookie jar that carries it. */
async function loginForm(srv, headers = {}, jar = {}) {
  const r = await fetch(srv.url + '/login', { headers: { ...headers, cookie: cookieHeader(jar) } });
  takeCookies(r, jar);
  const csrf = csrfFrom(await r.text());
  assert.ok(csrf, 'the sign-in form has a csrf field');
  return { jar, csrf, res: r };
}

/** POST /login with exactly these fields; returns {status, res, html, location, session}. */
async function postLogin(srv, jar, fieldsIn, headers = {}) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fieldsIn)) if (v !== undefined) body.append(k, v);
  const res = await fetch(srv.url + '/login', {
    method: 'POST', redirect: 'manual', body: body.toString(),
    headers: { 'content-type': FORM, cookie: cookieHeader(jar), ...headers },
  });
  const session = setCookie(res, 'cxm_session');
  takeCookies(res, jar);
  return { status: res.status, res, html: await res.text(), location: res.headers.get('location'), session };
}

/** A complete browser-like sign-in with optional extra headers and next. */
async function signIn(srv, email, password = PASSWORD, { headers = {}, next = '/account' } = {}) {
  const { jar, csrf } = await loginForm(srv, headers);
  const r = await postLogin(srv, jar, { email, password, csrf, next }, headers);
  return { ...r, jar };
}

/** The session's CSRF token, from the account page. */
async function sessionCsrf(srv, jar) {
  const p = await page(srv, jar, '/account');
  assert.equal(p.status, 200, 'signed in');
  assert.ok(p.csrf, 'the account page carries the session csrf token');
  return p.csrf;
}

/** A fetch with the session cookie (and whatever else). */
function withSession(srv, jar, path, init = {}) {
  return fetch(srv.url + path, {
    redirect: 'manual', ...init, headers: { ...(init.headers || {}), cookie: cookieHeader(jar) },
  });
}

/** A secret shown once after a form post: on the 201 page itself, or on the
 *  page the 303 leads to.  Returns { html, res } of the page that shows it. */
async function shownOnce(srv, jar, posted) {
  if (posted.status === 201) return { html: posted.html, res: posted.res };
  assert.equal(posted.status, 303, 'created: 201, or 303 to the page that shows it');
  const p = await page(srv, jar, posted.location);
  assert.equal(p.status, 200);
  return { html: p.html, res: p.res };
}

function userIdOf(db, email) {
  return Number(sql(db, `SELECT id FROM users WHERE email = '${email}'`));
}

function tokenIdFromCli(stdout) {
  const m = /^Token (\d+) for /m.exec(stdout);
  assert.ok(m, stdout);
  return Number(m[1]);
}

// ---------------------------------------------------------------------------
describe('sign-in', () => {
  let srv, secureSrv, proxySrv, s;
  before(async () => {
    const started = await Promise.allSettled([
      startServer(),
      startServer({ args: ['--secure-cookies'] }),
      startServer({ args: ['--trusted-proxy', '127.0.0.1/32'] }),
    ]);
    [srv, secureSrv, proxySrv] = started.map((r) => r.value); // stopped in after() whatever happens
    for (const r of started) if (r.status === 'rejected') throw r.reason;
    s = await seed(srv);
    addUser(secureSrv.db, 'secure@test.example', 'Secure Sam');
    addUser(proxySrv.db, 'proxied@test.example', 'Proxied Pat');
  });
  after(async () => { await Promise.all([srv, secureSrv, proxySrv].map((x) => x?.stop())); });

  test('a wrong password and an unknown email get the same 401 and the same page', async () => {
    const { jar, csrf } = await loginForm(srv);
    const wrong = await postLogin(srv, jar, { email: s.emails.viewer, password: 'not the password at all', csrf, next: '/account' });
    const unknown = await postLogin(srv, jar, { email: 'nobody@test.example', password: 'not the password at all', csrf, next: '/account' });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.session, null, 'no session on failure');
    assert.equal(unknown.session, null, 'no session on failure');
    const msg = 'The email address or password is not correct.';
    assert.ok(wrong.html.includes(msg), 'the message is shown for a wrong password');
    assert.ok(unknown.html.includes(msg), 'the message is shown for an unknown email');
    // The form is shown again, with the email typed; otherwise the pages are identical.
    assert.match(wrong.html, /<form method="post" action="\/login"/);
    assert.ok(wrong.html.includes(s.emails.viewer));
    assert.equal(wrong.html.replaceAll(s.emails.viewer, 'EMAIL'),
      unknown.html.replaceAll('nobody@test.example', 'EMAIL'));
    assert.equal(wrong.res.headers.get('content-type'), unknown.res.headers.get('content-type'));
  });

  test('success: 303 to next and an HttpOnly, SameSite=Lax, Path=/ session cookie (not Secure)', async () => {
    const r = await signIn(srv, s.emails.analyst, PASSWORD, { next: '/orgs?sort=name' });
    assert.equal(r.status, 303);
    assert.equal(r.location, '/orgs?sort=name');
    assert.ok(r.session, 'cxm_session is set');
    assert.match(r.session.value, /^[A-Za-z0-9_-]{43}$/, '256 bits as 43 base64url characters');
    assert.ok(r.session.attrs.includes('httponly'), r.session.raw);
    assert.ok(r.session.attrs.includes('samesite=lax'), r.session.raw);
    assert.ok(r.session.attrs.includes('path=/'), r.session.raw);
    assert.ok(!r.session.attrs.includes('secure'), `no Secure over plain HTTP: ${r.session.raw}`);
    // The cookie signs the browser in.
    const me = await withSession(srv, r.jar, '/api/v1/me');
    assert.equal(me.status, 200);
    const body = await me.json();
    assert.equal(body.email, s.emails.analyst);
    assert.equal(body.via, 'session');
  });

  test('the session token is stored only as a hash', async () => {
    const r = await signIn(srv, s.emails.facilitator);
    assert.equal(r.status, 303);
    const token = r.session.value;
    const hashes = sql(srv.db, 'SELECT token_hash FROM sessions');
    assert.ok(hashes.length > 0, 'sessions are stored');
    assert.ok(!hashes.includes(token), 'the token is not a stored hash');
    assert.equal(sql(srv.db, `SELECT count(*) FROM sessions WHERE token_hash = '${token}' OR csrf = '${token}'`), '0');
    assert.ok(!dbBytes(srv.db).includes(token), 'the token appears nowhere in the database files');
  });

  test('--secure-cookies marks the session and form cookies Secure', async () => {
    const form = await loginForm(secureSrv);
    const csrfCookie = setCookie(form.res, 'cxm_csrf');
    assert.ok(csrfCookie?.attrs.includes('secure'), csrfCookie?.raw);
    const r = await postLogin(secureSrv, form.jar, { email: 'secure@test.example', password: PASSWORD, csrf: form.csrf, next: '/account' });
    assert.equal(r.status, 303);
    assert.ok(r.session.attrs.includes('secure'), r.session.raw);
    assert.ok(r.session.attrs.includes('httponly'), r.session.raw);
  });

  test('X-Forwarded-Proto: https makes cookies Secure only from a trusted proxy', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    let r = await signIn(proxySrv, 'proxied@test.example', PASSWORD, { headers: https });
    assert.equal(r.status, 303);
    assert.ok(r.session.attrs.includes('secure'), `trusted proxy said https: ${r.session.raw}`);
    r = await signIn(proxySrv, 'proxied@test.example', PASSWORD);
    assert.equal(r.status, 303);
    assert.ok(!r.session.attrs.includes('secure'), `trusted proxy, no header: ${r.session.raw}`);
    r = await signIn(srv, s.emails.viewer, PASSWORD, { headers: https });
    assert.equal(r.status, 303);
    assert.ok(!r.session.attrs.includes('secure'), `no trusted proxy, header ignored: ${r.session.raw}`);
  });

  test('an unsafe next sends the browser to / instead', async () => {
    for (const next of ['//evil.example/', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      const r = await signIn(srv, s.emails.viewer, PASSWORD, { next });
      assert.equal(r.status, 303, next);
      assert.equal(r.location, '/', next);
    }
  });

  test('sign-in without the form token, or with a mismatched one, is 403 and signs nobody in', async () => {
    const { jar, csrf } = await loginForm(srv);
    const good = { email: s.emails.viewer, password: PASSWORD, next: '/account' };
    const cases = [
      ['no csrf field', jar, { ...good }],
      ['a wrong csrf field', jar, { ...good, csrf: 'A'.repeat(43) }],
      ['no csrf cookie', {}, { ...good, csrf }],
      ['an empty csrf field', jar, { ...good, csrf: '' }],
    ];
    for (const [what, j, f] of cases) {
      const r = await postLogin(srv, { ...j }, f);
      assert.equal(r.status, 403, what);
      assert.equal(r.session, null, `${what}: no session`);
    }
    // The same form with its token works.
    const ok = await postLogin(srv, jar, { ...good, csrf });
    assert.equal(ok.status, 303);
  });

  test('someone already signed in can sign in again as somebody else from /login', async () => {
    const first = await signIn(srv, s.emails.viewer);
    assert.equal(first.status, 303);
    const jar = first.jar;
    const form = await page(srv, jar, '/login');
    assert.equal(form.status, 200);
    // The sign-in form's own token (the page may hold a sign-out form too).
    const signInForm = form.html.slice(form.html.indexOf('action="/login"'));
    const r = await postForm(srv, jar, '/login',
      { email: s.emails.analyst, password: PASSWORD, next: '/account' }, csrfFrom(signInForm));
    assert.equal(r.status, 303, 'the sign-in form works for a signed-in browser');
    const me = await (await withSession(srv, jar, '/api/v1/me')).json();
    assert.equal(me.email, s.emails.analyst);
  });
});

// ---------------------------------------------------------------------------
describe('sign-in throttling', () => {
  let srv;
  const users = ['t1', 't2', 't3', 't4', 't5', 't6'].map((u) => `${u}@test.example`);
  before(async () => {
    srv = await startServer({ args: ['--trusted-proxy', '127.0.0.1/32'] });
    for (const e of users) addUser(srv.db, e, e);
  });
  after(async () => { await srv?.stop(); });

  const from = (ip) => ({ 'x-forwarded-for': ip });

  /** The server counts throttling in whole seconds, so the 5th failure and
   *  the attempts checked after it must fall within one wall-clock second.
   *  prepare(attempt) makes the first failures; then this waits for a new
   *  second to begin and runs finish(attempt) (the 5th failure and the
   *  checks, a few hundred milliseconds).  If that still crossed into the
   *  next second it starts again with fresh accounts and addresses (at most
   *  3 times).  finish returns the assertions to run. */
  async function withinOneSecond(prepare, finish) {
    for (let attempt = 0; ; attempt++) {
      await prepare(attempt);
      const ms = Date.now() % 1000;
      if (ms > 20) await sleep(1000 - ms + 5);
      const start = Math.floor(Date.now() / 1000);
      const checks = await finish(attempt);
      if (Math.floor(Date.now() / 1000) === start || attempt === 2) return checks();
    }
  }

  test('after 5 failures for one account, even the right password gets 429 with Retry-After', async () => {
    let form, fails;
    const attempt = (email, password, ip) => postLogin(srv, form.jar,
      { email, password, csrf: form.csrf, next: '/' }, from(ip));
    await withinOneSecond(async (n) => {
      form = await loginForm(srv);
      fails = await Promise.all([1, 2, 3, 4].map((i) => attempt(users[n], `wrong password ${i}`, `10.1.${n}.1`)));
    }, async (n) => {
      const victim = users[n]; // a fresh account each attempt
      fails.push(await attempt(victim, 'wrong password 5', `10.1.${n}.1`));
      const right = await attempt(victim, PASSWORD, `10.1.${n}.1`);
      const otherClient = await attempt(victim, PASSWORD, `10.1.${n}.2`);
      return () => {
        assert.deepEqual(fails.map((f) => f.status), [401, 401, 401, 401, 401]);
        assert.equal(sql(srv.db, `SELECT failures FROM login_failures WHERE key = 'account:${victim}'`), '5');
        assert.equal(right.status, 429, 'the right password is refused while throttled');
        assert.equal(right.session, null);
        assert.ok(Number(right.res.headers.get('retry-after')) > 0, 'Retry-After > 0');
        assert.match(right.html, /Too many failed sign-in attempts/);
        assert.equal(otherClient.status, 429, 'the account is throttled from any address');
        assert.ok(Number(otherClient.res.headers.get('retry-after')) > 0);
      };
    });
  });

  test('5 failures from one client address slow down its attempts on other accounts too', async () => {
    let form, fails;
    const attempt = (email, password, ip) => postLogin(srv, form.jar,
      { email, password, csrf: form.csrf, next: '/' }, from(ip));
    await withinOneSecond(async (n) => {
      form = await loginForm(srv);
      // One failure each for five different (unknown) accounts: no account key reaches 5.
      fails = await Promise.all([1, 2, 3, 4].map((i) =>
        attempt(`nobody${n}-${i}@test.example`, 'wrong password', `10.2.${n}.9`)));
    }, async (n) => {
      const ip = `10.2.${n}.9`;
      fails.push(await attempt(`nobody${n}-5@test.example`, 'wrong password', ip));
      const sameClient = await attempt(users[3 + n], PASSWORD, ip);
      return () => {
        assert.deepEqual(fails.map((f) => f.status), [401, 401, 401, 401, 401]);
        assert.equal(sql(srv.db, `SELECT failures FROM login_failures WHERE key = 'client:${ip}'`), '5');
        assert.equal(sameClient.status, 429, 'another account from the same client is slowed down');
        assert.ok(Number(sameClient.res.headers.get('retry-after')) > 0);
        assert.equal(sameClient.session, null);
      };
    });
    // Throttling is per account and per client, not global: another client signs in.
    const r = await signIn(srv, users[5], PASSWORD, { headers: from('10.3.0.1') });
    assert.equal(r.status, 303);
    assert.ok(r.session);
  });
});

// ---------------------------------------------------------------------------
describe('sessions', () => {
  let srv;
  before(async () => {
    srv = await startServer({ args: ['--session-idle', '30', '--session-max', '12'] });
    for (const u of ['out', 'idle', 'max', 'pw']) addUser(srv.db, `${u}@test.example`, u);
  });
  after(async () => { await srv?.stop(); });

  const account = (jar) => withSession(srv, jar, '/account');

  test('sign-out ends the session; the old cookie is then sent to the sign-in page', async () => {
    const r = await signIn(srv, 'out@test.example');
    assert.equal(r.status, 303);
    const oldJar = { ...r.jar };
    const csrf = await sessionCsrf(srv, r.jar);
    // Without the token sign-out is refused and the session goes on.
    let out = await postForm(srv, r.jar, '/logout', {});
    assert.equal(out.status, 403);
    assert.equal((await account(r.jar)).status, 200);
    out = await postForm(srv, r.jar, '/logout', {}, csrf);
    assert.equal(out.status, 303);
    assert.equal(out.location, '/login?signed_out=1');
    const cleared = setCookie(out.res, 'cxm_session');
    assert.ok(cleared, 'the cookie is cleared');
    assert.equal(cleared.value, '');
    assert.ok(cleared.attrs.includes('max-age=0'), cleared.raw);
    assert.equal(sql(srv.db, `SELECT count(*) FROM sessions WHERE user_id = ${userIdOf(srv.db, 'out@test.example')}`), '0');
    const again = await account(oldJar);
    assert.equal(again.status, 303);
    assert.match(again.headers.get('location'), /^\/login\?next=%2Faccount/);
    assert.equal((await withSession(srv, oldJar, '/api/v1/me')).status, 401);
  });

  test('a session idle longer than --session-idle is refused', async () => {
    const r = await signIn(srv, 'idle@test.example');
    assert.equal(r.status, 303);
    const uid = userIdOf(srv.db, 'idle@test.example');
    // Two hours old, used 10 minutes ago: still fine.
    sql(srv.db, `UPDATE sessions SET created_at = created_at - 7200, last_seen = last_seen - 600 WHERE user_id = ${uid}`);
    assert.equal((await account(r.jar)).status, 200, 'idle 10 of 30 minutes');
    // Unused for two hours.
    sql(srv.db, `UPDATE sessions SET last_seen = last_seen - 7200 WHERE user_id = ${uid}`);
    const res = await account(r.jar);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/login?next=%2Faccount&expired=1');
    assert.equal(sql(srv.db, `SELECT count(*) FROM sessions WHERE user_id = ${uid}`), '0', 'the session is gone');
    const login = await page(srv, {}, '/login?next=%2Faccount&expired=1');
    assert.match(login.html, /Your session has ended/);
  });

  test('a session older than --session-max is refused however recently used', async () => {
    const r = await signIn(srv, 'max@test.example');
    assert.equal(r.status, 303);
    const uid = userIdOf(srv.db, 'max@test.example');
    sql(srv.db, `UPDATE sessions SET created_at = created_at - 11 * 3600 WHERE user_id = ${uid}`);
    assert.equal((await account(r.jar)).status, 200, '11 of 12 hours');
    sql(srv.db, `UPDATE sessions SET created_at = created_at - 2 * 3600 WHERE user_id = ${uid}`);
    const res = await account(r.jar);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/login?next=%2Faccount&expired=1');
    assert.equal((await withSession(srv, r.jar, '/api/v1/me')).status, 401);
  });

  test('a password change ends the user\'s other sessions but keeps the one that made it', async () => {
    const email = 'pw@test.example';
    const a = await signIn(srv, email);
    const b = await signIn(srv, email);
    assert.equal(a.status, 303);
    assert.equal(b.status, 303);
    const csrf = await sessionCsrf(srv, a.jar);
    // Refused changes end nothing.
    let r = await postForm(srv, a.jar, '/account/password',
      { current: 'not my password', password: NEW_PASSWORD, confirm: NEW_PASSWORD }, csrf);
    assert.equal(r.status, 422);
    r = await postForm(srv, a.jar, '/account/password',
      { current: PASSWORD, password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!` }, csrf);
    assert.equal(r.status, 422);
    r = await postForm(srv, a.jar, '/account/password',
      { current: PASSWORD, password: 'short', confirm: 'short' }, csrf);
    assert.equal(r.status, 422);
    assert.equal((await account(b.jar)).status, 200, 'the other session survives refused changes');

    r = await postForm(srv, a.jar, '/account/password',
      { current: PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD }, csrf);
    assert.equal(r.status, 303);
    assert.equal(r.location, '/account?done=password');
    assert.equal((await account(a.jar)).status, 200, 'the session that changed it goes on');
    const other = await account(b.jar);
    assert.equal(other.status, 303, 'the other session has ended');
    assert.match(other.headers.get('location'), /^\/login\?next=%2Faccount/);
    assert.equal((await signIn(srv, email, PASSWORD)).status, 401, 'the old password fails');
    assert.equal((await signIn(srv, email, NEW_PASSWORD)).status, 303, 'the new one works');
  });
});

// ---------------------------------------------------------------------------
describe('CSRF', () => {
  let srv, s, jar, csrf, victimOrg;
  before(async () => {
    srv = await startServer();
    s = await seed(srv);
    victimOrg = (await api(srv, s.tokens.admin, 'POST', '/api/v1/orgs',
      { name: 'Empty Office', kind: 'office', parent_id: s.ids.orgA })).body.id;
    const r = await login(srv, s.emails.admin);
    assert.equal(r.status, 303);
    jar = r.jar;
    csrf = await sessionCsrf(srv, jar);
  });
  after(async () => { await srv?.stop(); });

  /** Everything a refused request might have changed. */
  async function snapshot() {
    const orgs = await api(srv, s.tokens.admin, 'GET', '/api/v1/orgs');
    const services = await api(srv, s.tokens.admin, 'GET', '/api/v1/services');
    assert.equal(orgs.status, 200, 'the admin token still works');
    return {
      orgs: orgs.body, services: services.body,
      users: runCxm(['user', 'list', '--db', srv.db]).stdout,
      tokens: runCxm(['token', 'list', '--db', srv.db]).stdout,
      audit: sql(srv.db, 'SELECT count(*), max(id) FROM audit_log'),
      sessions: sql(srv.db, 'SELECT count(*) FROM sessions'),
      hashes: sql(srv.db, 'SELECT id, password_hash, is_admin FROM users ORDER BY id'),
    };
  }

  /** The route table's state-changing routes that a signed-in browser can reach. */
  function unsafeRoutes() {
    const r = runCxm(['routes', '--json']);
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout).filter((rt) => rt.method !== 'GET' && rt.method !== 'HEAD' &&
      rt.role !== 'public');
  }

  function fill(pattern) {
    const viewerToken = Number(sql(srv.db, `SELECT min(id) FROM api_tokens WHERE user_id = ${s.ids.viewer}`));
    const adminToken = Number(sql(srv.db, `SELECT min(id) FROM api_tokens WHERE user_id = (SELECT id FROM users WHERE email = '${s.emails.admin}')`));
    const own = pattern.startsWith('/account/');
    return pattern
      .replace('{id}', String(pattern.includes('services') ? s.ids.serviceA : victimOrg))
      .replace('{user}', String(s.ids.viewer))
      .replace('{token}', String(own ? adminToken : viewerToken));
  }

  const FORM_BODIES = {
    '/account/password': { current: PASSWORD, password: NEW_PASSWORD, confirm: NEW_PASSWORD },
    '/account/tokens': { name: 'csrf token' },
    '/orgs': { name: 'CSRF Org', kind: 'office', parent_id: 'ORG_A' },
    '/orgs/{id}': { name: 'Renamed by CSRF', kind: 'office', parent_id: 'ORG_A' },
    '/services': { org_id: 'ORG_A', name: 'CSRF Service' },
    '/services/{id}': { org_id: 'ORG_A', name: 'Renamed by CSRF' },
    '/admin/users': { email: 'csrf@test.example', name: 'CSRF', password: NEW_PASSWORD },
    '/admin/users/{user}/grants': { org_id: 'ORG_B', role: 'analyst' },
    '/admin/users/{user}/grants/delete': { org_id: 'ORG_A' },
    '/admin/users/{user}/admin': { admin: '1' },
    '/admin/users/{user}/password': { password: NEW_PASSWORD },
  };
  const JSON_BODIES = {
    '/api/v1/orgs': { name: 'CSRF Org', kind: 'office', parent_id: 'ORG_A' },
    '/api/v1/orgs/{id}': { name: 'Renamed by CSRF' },
    '/api/v1/services': { org_id: 'ORG_A', name: 'CSRF Service' },
    '/api/v1/services/{id}': { name: 'Renamed by CSRF' },
  };
  function body(table, pattern) {
    const b = { ...(table[pattern] || {}) };
    for (const [k, v] of Object.entries(b)) {
      if (v === 'ORG_A') b[k] = table === JSON_BODIES ? s.ids.orgA : String(s.ids.orgA);
      if (v === 'ORG_B') b[k] = table === JSON_BODIES ? s.ids.orgB : String(s.ids.orgB);
    }
    return b;
  }

  test('every state-changing request with a session but without the right token is 403 and changes nothing', async () => {
    const routes = unsafeRoutes();
    assert.ok(routes.length >= 20, `found ${routes.length} routes`);
    assert.ok(routes.some((r) => r.pattern === '/logout'));
    const beforeState = await snapshot();
    let tried = 0;
    for (const rt of routes) {
      const path = fill(rt.pattern);
      for (const token of [undefined, 'A'.repeat(43), `${csrf}x`, '']) {
        let res;
        if (rt.kind === 'api') {
          const headers = { cookie: cookieHeader(jar) };
          if (token !== undefined) headers['x-csrf-token'] = token;
          const b = body(JSON_BODIES, rt.pattern);
          if (rt.body) headers['content-type'] = 'application/json';
          res = await fetch(srv.url + path, { method: rt.method, headers, redirect: 'manual',
            body: rt.body ? JSON.stringify(b) : undefined });
        } else {
          const f = body(FORM_BODIES, rt.pattern);
          if (token !== undefined) f.csrf = token;
          res = await postForm(srv, { ...jar }, path, f);
        }
        const what = `${rt.method} ${path} with csrf ${JSON.stringify(token)}`;
        assert.equal(res.status, 403, what);
        const text = rt.kind === 'api' ? await res.text() : res.html;
        assert.match(text, /did not come from this site/, `${what}: refused for its CSRF token`);
        tried++;
      }
    }
    assert.ok(tried >= 80);
    assert.deepEqual(await snapshot(), beforeState, 'nothing changed');
    assert.equal((await page(srv, jar, '/account')).status, 200, 'still signed in');
  });

  test('API calls with the session cookie need X-CSRF-Token; Bearer calls do not', async () => {
    const names = async () => (await api(srv, s.tokens.admin, 'GET', '/api/v1/orgs')).body.orgs.map((o) => o.name);
    const post = (name, headers) => withSession(srv, jar, '/api/v1/orgs', {
      method: 'POST', body: JSON.stringify({ name, kind: 'office', parent_id: s.ids.orgA }),
      headers: { 'content-type': 'application/json', ...headers } });
    let r = await post('Cookie Org');
    assert.equal(r.status, 403);
    assertJsonError(await r.json(), 'forbidden');
    r = await post('Cookie Org', { 'x-csrf-token': 'nope' });
    assert.equal(r.status, 403);
    assert.ok(!(await names()).includes('Cookie Org'), 'nothing was created');
    r = await post('Cookie Org', { 'x-csrf-token': csrf });
    assert.equal(r.status, 201);
    const created = await r.json();
    assert.equal(created.name, 'Cookie Org');
    // PATCH and DELETE the same way.
    const patch = (headers) => withSession(srv, jar, `/api/v1/orgs/${created.id}`, {
      method: 'PATCH', body: JSON.stringify({ name: 'Cookie Org Renamed' }),
      headers: { 'content-type': 'application/json', ...headers } });
    assert.equal((await patch({})).status, 403);
    assert.ok(!(await names()).includes('Cookie Org Renamed'));
    r = await patch({ 'x-csrf-token': csrf });
    assert.equal(r.status, 200);
    assert.equal((await r.json()).name, 'Cookie Org Renamed');
    r = await withSession(srv, jar, `/api/v1/orgs/${created.id}`, { method: 'DELETE' });
    assert.equal(r.status, 403);
    r = await withSession(srv, jar, `/api/v1/orgs/${created.id}`, { method: 'DELETE', headers: { 'x-csrf-token': csrf } });
    assert.equal(r.status, 204);
    // A Bearer token needs no CSRF token.
    const t = await api(srv, s.tokens.admin, 'POST', '/api/v1/orgs', { name: 'Token Org', kind: 'office', parent_id: s.ids.orgA });
    assert.equal(t.status, 201);
    assert.ok((await names()).includes('Token Org'));
  });
});

// ---------------------------------------------------------------------------
describe('API tokens', () => {
  let srv, s;
  before(async () => { srv = await startServer(); s = await seed(srv); });
  after(async () => { await srv?.stop(); });

  const me = (token) => api(srv, token, 'GET', '/api/v1/me');

  test('a Bearer token acts as its user', async () => {
    const r = await me(s.tokens.viewer);
    assert.equal(r.status, 200);
    assert.equal(r.body.email, s.emails.viewer);
    assert.equal(r.body.via, 'token');
    assert.equal(r.body.admin, false);
    assert.deepEqual(r.body.grants, [{ org_id: s.ids.orgA, role: 'viewer' }]);
    const orgs = await api(srv, s.tokens.viewer, 'GET', '/api/v1/orgs');
    assert.deepEqual(orgs.body.orgs.map((o) => o.id).sort(), [s.ids.orgA, s.ids.officeA].sort());
  });

  test('a malformed Authorization header or an unknown token is 401 with WWW-Authenticate', async () => {
    const bad = s.tokens.viewer.slice(0, -1) + (s.tokens.viewer.endsWith('A') ? 'B' : 'A');
    for (const authz of ['Basic dmlld2VyOnBhc3N3b3Jk', `Token ${s.tokens.viewer}`, 'Bearer',
      s.tokens.viewer, `Bearer cxm_${'A'.repeat(43)}`, `Bearer ${bad}`, `Bearer ${'x'.repeat(300)}`]) {
      const r = await fetch(srv.url + '/api/v1/me', { headers: { authorization: authz } });
      assert.equal(r.status, 401, authz);
      assert.match(r.headers.get('www-authenticate') || '', /^Bearer/, authz);
      assert.match(r.headers.get('content-type'), /^application\/json/, authz);
      assertJsonError(await r.json(), 'unauthorized');
    }
    // A bad token on a write is refused before anything else is looked at.
    const w = await api(srv, `cxm_${'A'.repeat(43)}`, 'POST', '/api/v1/orgs', { name: 'X', kind: 'office', parent_id: s.ids.orgA });
    assert.equal(w.status, 401);
  });

  test('cxm token revoke makes the token 401', async () => {
    const c = runCxm(['token', 'create', '--db', srv.db, '--email', s.emails.analyst, '--name', 'to revoke']);
    assert.equal(c.status, 0, c.stderr);
    const id = tokenIdFromCli(c.stdout);
    const token = c.stdout.trim().split('\n').pop();
    assert.equal((await me(token)).status, 200);
    const r = runCxm(['token', 'revoke', String(id), '--db', srv.db]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Token ${id} revoked`));
    const after = await me(token);
    assert.equal(after.status, 401);
    assertJsonError(after.body, 'unauthorized');
    assert.ok(after.headers.get('www-authenticate'));
    // Revoking twice, or an unknown id, is an error.
    assert.equal(runCxm(['token', 'revoke', String(id), '--db', srv.db]).status, 1);
    assert.equal(runCxm(['token', 'revoke', '99999', '--db', srv.db]).status, 1);
    const list = runCxm(['token', 'list', '--db', srv.db, '--email', s.emails.analyst]).stdout;
    assert.match(list, new RegExp(`^${id}\\t${s.emails.analyst}\\tto revoke\\t.*\\trevoked$`, 'm'));
    // The analyst's other token still works.
    assert.equal((await me(s.tokens.analyst)).status, 200);
  });

  test('an expired token is 401; cxm token list --email shows it with its expiry', async () => {
    const c = runCxm(['token', 'create', '--db', srv.db, '--email', s.emails.facilitator,
      '--name', 'one day', '--expires', '1']);
    assert.equal(c.status, 0, c.stderr);
    const id = tokenIdFromCli(c.stdout);
    const token = c.stdout.trim().split('\n').pop();
    assert.match(token, /^cxm_[A-Za-z0-9_-]{43}$/);
    assert.equal((await me(token)).status, 200);
    const expires = Number(sql(srv.db, `SELECT expires_at - created_at FROM api_tokens WHERE id = ${id}`));
    assert.equal(expires, 86400);
    const list = runCxm(['token', 'list', '--db', srv.db, '--email', s.emails.facilitator]);
    assert.equal(list.status, 0, list.stderr);
    const line = list.stdout.split('\n').find((l) => l.startsWith(`${id}\t`));
    assert.ok(line, list.stdout);
    assert.match(line, new RegExp(`^${id}\\t${s.emails.facilitator}\\tone day\\tcreated \\S+\\tlast used \\S+\\texpires \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\dZ\\tactive$`));
    assert.ok(!list.stdout.includes(s.emails.viewer), 'only that user\'s tokens');
    sql(srv.db, `UPDATE api_tokens SET expires_at = ${Math.floor(Date.now() / 1000) - 60} WHERE id = ${id}`);
    const r = await me(token);
    assert.equal(r.status, 401);
    assertJsonError(r.body, 'unauthorized');
  });

  test('a token made on the account page is shown once, works, and can be revoked there', async () => {
    const l = await login(srv, s.emails.viewer);
    assert.equal(l.status, 303);
    const csrf = await sessionCsrf(srv, l.jar);
    let r = await postForm(srv, l.jar, '/account/tokens', { name: 'page token', expires: '0' }, csrf);
    assert.equal(r.status, 422, 'expiry 0 days is refused');
    r = await postForm(srv, l.jar, '/account/tokens', { name: 'page token', expires: '' }, csrf);
    const shown = await shownOnce(srv, l.jar, r);
    assert.equal(shown.res.headers.get('cache-control'), 'no-store');
    const m = /id="new-token">(cxm_[A-Za-z0-9_-]{43})</.exec(shown.html);
    assert.ok(m, 'the new token is on the page');
    const token = m[1];
    const who = await me(token);
    assert.equal(who.status, 200);
    assert.equal(who.body.email, s.emails.viewer);
    const again = await page(srv, l.jar, '/account');
    assert.ok(!again.html.includes(token), 'shown only once');
    assert.match(again.html, /page token/);
    const id = Number(sql(srv.db, `SELECT id FROM api_tokens WHERE name = 'page token'`));
    assert.ok(again.html.includes(`/account/tokens/${id}/revoke`));
    // Someone else's token cannot be revoked from one's own account page.
    const otherId = Number(sql(srv.db, `SELECT min(id) FROM api_tokens WHERE user_id = ${s.ids.analyst}`));
    r = await postForm(srv, l.jar, `/account/tokens/${otherId}/revoke`, {}, csrf);
    assert.equal(r.status, 404);
    assert.equal((await me(s.tokens.analyst)).status, 200);
    r = await postForm(srv, l.jar, `/account/tokens/${id}/revoke`, {}, csrf);
    assert.equal(r.status, 303);
    assert.equal(r.location, '/account?done=revoked');
    assert.equal((await me(token)).status, 401);
    assert.equal((await me(s.tokens.viewer)).status, 200, 'the user\'s other token still works');
  });

  test('tokens are stored hashed, and their last use is recorded', async () => {
    const token = addToken(srv.db, s.emails.other, 'hash check');
    const id = Number(sql(srv.db, `SELECT max(id) FROM api_tokens WHERE name = 'hash check'`));
    const hashes = sql(srv.db, 'SELECT token_hash FROM api_tokens');
    assert.ok(!hashes.includes(token));
    assert.ok(!hashes.includes(token.slice(4)), 'not even without the cxm_ prefix');
    assert.ok(!dbBytes(srv.db).includes(token.slice(4)), 'nowhere in the database files');
    assert.equal(sql(srv.db, `SELECT CASE WHEN last_used_at IS NULL THEN 1 ELSE 0 END FROM api_tokens WHERE id = ${id}`), '1');
    const t0 = Math.floor(Date.now() / 1000);
    assert.equal((await me(token)).status, 200);
    const used = Number(sql(srv.db, `SELECT last_used_at FROM api_tokens WHERE id = ${id}`));
    assert.ok(used >= t0 - 1 && used <= t0 + 5, `last_used_at ${used} near ${t0}`);
    const list = runCxm(['token', 'list', '--db', srv.db, '--email', s.emails.other]).stdout;
    assert.match(list, new RegExp(`^${id}\\t.*\\tlast used \\d{4}-`, 'm'));
  });
});

// ---------------------------------------------------------------------------
describe('users on the command line', () => {
  let srv, s;
  before(async () => { srv = await startServer(); s = await seed(srv); });
  after(async () => { await srv?.stop(); });

  const add = (email, password, extra = []) => runCxm(['user', 'add', '--db', srv.db,
    '--email', email, '--name', 'Someone', ...extra], { input: `${password}\n` });
  const listed = () => runCxm(['user', 'list', '--db', srv.db]).stdout;

  test('a weak password is refused (exit 1, naming the password)', () => {
    const r = add('weak@test.example', 'elevenchars');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /password/i);
    assert.match(r.stderr, /12/);
    assert.ok(!listed().includes('weak@test.example'), 'the user was not added');
  });

  test('a duplicate email is refused whatever its case', () => {
    let r = add('Foo@X.example', PASSWORD);
    assert.equal(r.status, 0, r.stderr);
    for (const dup of ['foo@x.example', 'FOO@X.EXAMPLE']) {
      r = add(dup, PASSWORD);
      assert.equal(r.status, 1, dup);
      assert.match(r.stderr, /already exists/, dup);
    }
    assert.equal(listed().split('\n').filter((l) => l.includes('foo@x.example')).length, 1);
  });

  test('an invalid email is refused (exit 1)', () => {
    for (const bad of ['not-an-email', '@x.example', 'a@b', 'a b@x.example', 'a@@x.example']) {
      const r = add(bad, PASSWORD);
      assert.equal(r.status, 1, bad);
      assert.match(r.stderr, /email/, bad);
    }
  });

  test('a password from standard input signs in', async () => {
    const pw = 'my own stdin password';
    const r = add('stdin@test.example', pw);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Added user \d+/);
    assert.doesNotMatch(r.stdout, /Password \(shown only now\)/, 'nothing generated');
    assert.equal((await signIn(srv, 'stdin@test.example', pw)).status, 303);
  });

  test('cxm user passwd --email changes the password', async () => {
    const email = 'passwd@test.example';
    assert.equal(add(email, PASSWORD).status, 0);
    const l = await signIn(srv, email);
    assert.equal(l.status, 303);
    let r = runCxm(['user', 'passwd', '--db', srv.db, '--email', email.toUpperCase()], { input: 'short\n' });
    assert.equal(r.status, 1, 'a weak new password is refused');
    r = runCxm(['user', 'passwd', '--db', srv.db, '--email', email], { input: `${NEW_PASSWORD}\n` });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await withSession(srv, l.jar, '/api/v1/me')).status, 401, 'sessions ended');
    assert.equal((await signIn(srv, email, PASSWORD)).status, 401, 'the old password fails');
    assert.equal((await signIn(srv, email, NEW_PASSWORD)).status, 303, 'the new one signs in');
    r = runCxm(['user', 'passwd', '--db', srv.db, '--email', 'nobody@test.example'], { input: `${NEW_PASSWORD}\n` });
    assert.equal(r.status, 1);
  });

  test('cxm user grant and revoke change what the user sees', async () => {
    const email = 'granted@test.example';
    assert.equal(add(email, PASSWORD).status, 0);
    const token = addToken(srv.db, email);
    const orgIds = async () => {
      const r = await api(srv, token, 'GET', '/api/v1/orgs');
      return r.status === 200 ? r.body.orgs.map((o) => o.id).sort((a, b) => a - b) : r.status;
    };
    const cli = (...args) => runCxm(['user', ...args, '--db', srv.db, '--email', email]);
    assert.equal(await orgIds(), 403, 'no role, no organizations');
    let r = cli('grant', '--role', 'viewer', '--org', String(s.ids.orgB));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(await orgIds(), [s.ids.orgB]);
    r = cli('grant', '--role', 'analyst', '--org', String(s.ids.orgA));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(await orgIds(), [s.ids.orgA, s.ids.orgB, s.ids.officeA].sort((a, b) => a - b));
    r = cli('revoke', '--org', String(s.ids.orgB));
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(await orgIds(), [s.ids.orgA, s.ids.officeA].sort((a, b) => a - b));
    assert.equal(cli('revoke', '--org', String(s.ids.orgB)).status, 1, 'no such grant');
    assert.equal(cli('grant', '--role', 'viewer', '--org', '99999').status, 1, 'no such organization');
    r = cli('grant', '--role', 'admin');
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await api(srv, token, 'GET', '/api/v1/me')).body.admin, true);
    assert.equal((await api(srv, token, 'GET', '/api/v1/orgs')).body.orgs.length, 4, 'an admin sees everything');
    r = cli('revoke', '--role', 'admin');
    assert.equal(r.status, 0, r.stderr);
    r = cli('revoke', '--org', String(s.ids.orgA));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(await orgIds(), 403);
  });

  test('cxm user list shows every user with their grants', () => {
    const r = runCxm(['user', 'list', '--db', srv.db]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    const row = (email) => lines.find((l) => l.split('\t')[1] === email);
    assert.match(row(s.emails.admin), /^\d+\tadmin@test\.example\tAda Admin\tadmin$/);
    assert.equal(row(s.emails.viewer), `${s.ids.viewer}\t${s.emails.viewer}\tviewer user\t-\tviewer@${s.ids.orgA}`);
    assert.equal(row(s.emails.other), `${s.ids.other}\t${s.emails.other}\tOther analyst\t-\tanalyst@${s.ids.orgB}`);
    assert.equal(row(s.emails.facilitator).split('\t')[4], `facilitator@${s.ids.orgA}`);
    const users = Number(sql(srv.db, 'SELECT count(*) FROM users'));
    assert.equal(lines.length, users);
  });
});

// ---------------------------------------------------------------------------
describe('organizations and services: bad input', () => {
  let srv, s, T;
  before(async () => { srv = await startServer(); s = await seed(srv); T = s.tokens.admin; });
  after(async () => { await srv?.stop(); });

  async function state() {
    const orgs = await api(srv, T, 'GET', '/api/v1/orgs');
    const services = await api(srv, T, 'GET', '/api/v1/services');
    return { orgs: orgs.body, services: services.body, audit: sql(srv.db, 'SELECT count(*) FROM audit_log') };
  }

  /** Sends a refused request; asserts its status (and error fields) and that nothing changed. */
  async function refused(method, path, body, status, field) {
    const beforeState = await state();
    const r = await api(srv, T, method, path, body);
    assert.equal(r.status, status, `${method} ${path} ${JSON.stringify(body)}: ${r.text}`);
    assertJsonError(r.body, { 400: 'malformed', 404: 'not_found', 409: 'conflict', 422: 'invalid' }[status]);
    if (field) assert.ok(fields(r.body).includes(field), `names ${field}: ${r.text}`);
    assert.deepEqual(await state(), beforeState, `${method} ${path} changed nothing`);
    return r;
  }

  test('a duplicate sibling name is 409 (any case), on create and rename', async () => {
    await refused('POST', '/api/v1/orgs', { name: 'component a', kind: 'component', parent_id: s.ids.dept }, 409);
    await refused('PATCH', `/api/v1/orgs/${s.ids.orgB}`, { name: 'Component A' }, 409);
    await refused('POST', '/api/v1/services', { org_id: s.ids.orgB, name: 'SERVICE B' }, 409);
    // The same name under another parent is fine.
    const ok = await api(srv, T, 'POST', '/api/v1/orgs', { name: 'Component A', kind: 'office', parent_id: s.ids.orgB });
    assert.equal(ok.status, 201);
    assert.equal((await api(srv, T, 'DELETE', `/api/v1/orgs/${ok.body.id}`)).status, 204);
  });

  test('moving an organization under itself or its descendant is 422 naming parent_id', async () => {
    await refused('PATCH', `/api/v1/orgs/${s.ids.orgA}`, { parent_id: s.ids.officeA }, 422, 'parent_id');
    await refused('PATCH', `/api/v1/orgs/${s.ids.dept}`, { parent_id: s.ids.officeA }, 422, 'parent_id');
    await refused('PATCH', `/api/v1/orgs/${s.ids.orgA}`, { parent_id: s.ids.orgA }, 422, 'parent_id');
  });

  test('deleting an organization with services or children is 409', async () => {
    await refused('DELETE', `/api/v1/orgs/${s.ids.orgB}`, undefined, 409);
    await refused('DELETE', `/api/v1/orgs/${s.ids.orgA}`, undefined, 409);
    await refused('DELETE', `/api/v1/orgs/${s.ids.dept}`, undefined, 409);
  });

  test('an unknown parent or organization is 422 naming the field', async () => {
    await refused('POST', '/api/v1/orgs', { name: 'Orphan', kind: 'office', parent_id: 99999 }, 422, 'parent_id');
    await refused('PATCH', `/api/v1/orgs/${s.ids.officeA}`, { parent_id: 99999 }, 422, 'parent_id');
    await refused('POST', '/api/v1/services', { org_id: 99999, name: 'Orphan' }, 422, 'org_id');
  });

  test('names over 200 characters are 422 naming name; 200 are fine', async () => {
    await refused('POST', '/api/v1/orgs', { name: 'x'.repeat(201), kind: 'office', parent_id: s.ids.orgA }, 422, 'name');
    await refused('POST', '/api/v1/orgs', { name: 'é'.repeat(201), kind: 'office', parent_id: s.ids.orgA }, 422, 'name');
    await refused('PATCH', `/api/v1/orgs/${s.ids.officeA}`, { name: 'x'.repeat(201) }, 422, 'name');
    await refused('POST', '/api/v1/services', { org_id: s.ids.orgA, name: 'y'.repeat(201) }, 422, 'name');
    const ok = await api(srv, T, 'POST', '/api/v1/orgs', { name: 'é'.repeat(200), kind: 'office', parent_id: s.ids.orgA });
    assert.equal(ok.status, 201, ok.text);
    assert.equal((await api(srv, T, 'DELETE', `/api/v1/orgs/${ok.body.id}`)).status, 204);
  });

  test('invalid UTF-8 inside a JSON string is 400', async () => {
    const beforeState = await state();
    const body = Buffer.concat([Buffer.from('{"name":"Bad '), Buffer.from([0xc3, 0x28]),
      Buffer.from(`","kind":"office","parent_id":${s.ids.orgA}}`)]);
    const r = await fetch(srv.url + '/api/v1/orgs', { method: 'POST', body,
      headers: { authorization: `Bearer ${T}`, 'content-type': 'application/json' } });
    assert.equal(r.status, 400);
    assertJsonError(await r.json(), 'malformed');
    assert.deepEqual(await state(), beforeState);
  });

  test('wrong types and unknown fields are 422 naming the field', async () => {
    await refused('POST', '/api/v1/orgs', { name: 5, kind: 'office', parent_id: s.ids.orgA }, 422, 'name');
    await refused('POST', '/api/v1/orgs', { name: 'Typed', kind: 'office', parent_id: String(s.ids.orgA) }, 422, 'parent_id');
    await refused('POST', '/api/v1/orgs', { name: 'Kind', kind: 'agency', parent_id: s.ids.orgA }, 422, 'kind');
    const r = await refused('POST', '/api/v1/orgs', { name: 'Colourful', kind: 'office', parent_id: s.ids.orgA, colour: 'red' }, 422, 'colour');
    assert.match(JSON.stringify(r.body.error.details), /not a known field/);
    await refused('PATCH', `/api/v1/services/${s.ids.serviceA}`, { hisp: 'yes' }, 422, 'hisp');
    await refused('PATCH', `/api/v1/services/${s.ids.serviceA}`, { channels: 'website' }, 422, 'channels');
    await refused('POST', '/api/v1/services', { org_id: s.ids.orgA, name: 'Extra', owner: 'me' }, 422, 'owner');
    await refused('POST', '/api/v1/orgs', [{ name: 'Array' }], 422);
  });

  test('an unknown channel is 422 naming channels', async () => {
    await refused('POST', '/api/v1/services', { org_id: s.ids.orgA, name: 'Pigeon', channels: ['carrier_pigeon'] }, 422, 'channels');
    await refused('PATCH', `/api/v1/services/${s.ids.serviceA}`, { channels: ['website', 'telepathy'] }, 422, 'channels');
  });

  test('negative annual_customers is 422 naming it', async () => {
    await refused('POST', '/api/v1/services', { org_id: s.ids.orgA, name: 'Negative', annual_customers: -5 }, 422, 'annual_customers');
    await refused('PATCH', `/api/v1/services/${s.ids.serviceB}`, { annual_customers: -100 }, 422, 'annual_customers');
  });

  // -1 is the handlers' internal "not given" value; a client sending it is
  // still sending a negative number.
  test('annual_customers -1 is refused on create, not stored as "unknown"', async () => {
    await refused('POST', '/api/v1/services', { org_id: s.ids.orgA, name: 'Minus one', annual_customers: -1 }, 422, 'annual_customers');
  });

  test('annual_customers -1 is refused on update, not clearing the stored number', async () => {
    const set = await api(srv, T, 'PATCH', `/api/v1/services/${s.ids.serviceA}`, { annual_customers: 1200 });
    assert.equal(set.status, 200);
    try {
      await refused('PATCH', `/api/v1/services/${s.ids.serviceA}`, { annual_customers: -1 }, 422, 'annual_customers');
    } finally {
      // null is how a client clears it.
      const cleared = await api(srv, T, 'PATCH', `/api/v1/services/${s.ids.serviceA}`, { annual_customers: null });
      assert.equal(cleared.status, 200);
      assert.equal(cleared.body.annual_customers, null);
    }
  });

  test('PATCH or DELETE of a missing id is 404', async () => {
    await refused('PATCH', '/api/v1/orgs/99999', { name: 'Ghost' }, 404);
    await refused('PATCH', '/api/v1/services/99999', { name: 'Ghost' }, 404);
    await refused('DELETE', '/api/v1/orgs/99999', undefined, 404);
    await refused('DELETE', '/api/v1/services/99999', undefined, 404);
  });
});

// ---------------------------------------------------------------------------
describe('audit log', () => {
  let srv, s, since, entries, adminId, orgId, webOrgId, cliTokenId, pageTokenId;
  before(async () => {
    srv = await startServer();
    s = await seed(srv);
    adminId = userIdOf(srv.db, s.emails.admin);
    await sleep(5);
    since = new Date().toISOString();
    await sleep(5);
    // API writes with a token.
    let r = await api(srv, s.tokens.admin, 'POST', '/api/v1/orgs', { name: 'Audited', kind: 'office', parent_id: s.ids.orgA });
    assert.equal(r.status, 201);
    orgId = r.body.id;
    r = await api(srv, s.tokens.admin, 'PATCH', `/api/v1/orgs/${orgId}`, { name: 'Audited Again' });
    assert.equal(r.status, 200);
    r = await api(srv, s.tokens.admin, 'DELETE', `/api/v1/orgs/${orgId}`);
    assert.equal(r.status, 204);
    // Sign-ins, a failed one, and form posts.
    assert.equal((await signIn(srv, s.emails.viewer, 'wrong wrong wrong')).status, 401);
    const l = await login(srv, s.emails.admin);
    assert.equal(l.status, 303);
    const csrf = await sessionCsrf(srv, l.jar);
    r = await postForm(srv, l.jar, '/orgs', { name: 'Web Made', kind: 'office', parent_id: String(s.ids.orgB) }, csrf);
    assert.equal(r.status, 303);
    webOrgId = Number(/\/orgs\/(\d+)/.exec(r.location)[1]);
    r = await postForm(srv, l.jar, '/account/tokens', { name: 'page made' }, csrf);
    assert.ok(r.status === 201 || r.status === 303, `token made: ${r.status}`);
    pageTokenId = Number(sql(srv.db, `SELECT id FROM api_tokens WHERE name = 'page made'`));
    // The command line.
    assert.equal(runCxm(['user', 'grant', '--db', srv.db, '--email', s.emails.viewer, '--role', 'analyst',
      '--org', String(s.ids.orgB)]).status, 0);
    const c = runCxm(['token', 'create', '--db', srv.db, '--email', s.emails.viewer, '--name', 'cli made']);
    assert.equal(c.status, 0);
    cliTokenId = tokenIdFromCli(c.stdout);
    r = await api(srv, s.tokens.admin, 'GET', `/api/v1/audit?since=${encodeURIComponent(since)}&limit=1000`);
    assert.equal(r.status, 200, r.text);
    entries = r.body.entries;
  });
  after(async () => { await srv?.stop(); });

  const find = (pred, what) => {
    const e = entries.find(pred);
    assert.ok(e, `an entry for ${what} in ${JSON.stringify(entries, null, 1)}`);
    return e;
  };

  test('API writes are recorded with actor, via "api", object and changes', () => {
    const tokenId = Number(sql(srv.db, `SELECT min(id) FROM api_tokens WHERE user_id = ${adminId}`));
    const created = find((e) => e.action === 'create' && e.changes.name === 'Audited', 'org create');
    assert.equal(created.object_type, 'org');
    assert.equal(created.object_id, orgId);
    assert.equal(created.actor, s.emails.admin);
    assert.equal(created.actor_id, adminId);
    assert.equal(created.via, 'api');
    assert.equal(created.changes.name, 'Audited');
    assert.equal(created.changes.parent_id, s.ids.orgA);
    assert.equal(created.changes.token_id, tokenId, 'which token made the change');
    assert.equal(created.client, '127.0.0.1');
    const updated = find((e) => e.action === 'update' && e.changes.name === 'Audited Again', 'org update');
    assert.equal(updated.object_id, orgId);
    assert.equal(updated.via, 'api');
    assert.equal(updated.object_type, 'org');
    assert.equal(updated.changes.name, 'Audited Again');
    const deleted = find((e) => e.action === 'delete' && e.object_type === 'org', 'org delete');
    assert.equal(deleted.object_id, orgId);
    assert.equal(deleted.via, 'api');
    assert.equal(deleted.actor, s.emails.admin);
  });

  test('sign-ins, failed sign-ins and form posts are recorded with via "web"', () => {
    const signin = find((e) => e.action === 'sign-in' && e.object_id === adminId, 'sign-in');
    assert.equal(signin.via, 'web');
    assert.equal(signin.object_type, 'user');
    assert.equal(signin.actor, s.emails.admin);
    const failed = find((e) => e.action === 'sign-in-failed', 'sign-in-failed');
    assert.equal(failed.object_type, 'user');
    assert.equal(failed.object_id, s.ids.viewer);
    assert.equal(failed.actor, s.emails.viewer);
    assert.equal(failed.actor_id, null, 'nobody was signed in');
    assert.equal(failed.via, 'web');
    const web = find((e) => e.action === 'create' && e.changes.name === 'Web Made', 'form create');
    assert.equal(web.object_type, 'org');
    assert.equal(web.object_id, webOrgId);
    assert.equal(web.via, 'web');
    assert.equal(web.actor_id, adminId);
    assert.equal(web.changes.name, 'Web Made');
    assert.equal(web.changes.token_id, undefined);
    const token = find((e) => e.action === 'create' && e.object_type === 'token' && e.object_id === pageTokenId, 'page token');
    assert.equal(token.via, 'web');
    assert.equal(token.changes.name, 'page made');
    assert.equal(token.changes.user_id, adminId);
  });

  test('command-line changes are recorded with via "cli"', () => {
    const grant = find((e) => e.action === 'role-change' && e.object_type === 'grant', 'grant');
    assert.equal(grant.via, 'cli');
    assert.match(grant.actor, /^cli:/);
    assert.equal(grant.actor_id, null);
    assert.equal(grant.object_id, s.ids.viewer);
    assert.deepEqual(grant.changes, { org_id: s.ids.orgB, role: 'analyst' });
    const token = find((e) => e.action === 'create' && e.object_type === 'token' && e.object_id === cliTokenId, 'cli token');
    assert.equal(token.via, 'cli');
    assert.equal(token.changes.name, 'cli made');
    assert.equal(token.changes.user_id, s.ids.viewer);
  });

  test('entries are newest first and since excludes what came before', () => {
    assert.ok(entries.length >= 9, `${entries.length} entries`);
    for (let i = 1; i < entries.length; i++) assert.ok(entries[i - 1].id > entries[i].id, 'newest first');
    for (const e of entries) assert.ok(e.at >= since, `${e.at} >= ${since}`);
    assert.ok(!entries.some((e) => e.changes.name === 'Department of Tests'), 'the seed is before since');
  });

  test('limit, action and since filter the list', async () => {
    const get = async (q) => {
      const r = await api(srv, s.tokens.admin, 'GET', `/api/v1/audit?${q}`);
      assert.equal(r.status, 200, `${q}: ${r.text}`);
      return r.body.entries;
    };
    const two = await get(`since=${encodeURIComponent(since)}&limit=2`);
    assert.deepEqual(two.map((e) => e.id), entries.slice(0, 2).map((e) => e.id));
    const failed = await get('action=sign-in-failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].action, 'sign-in-failed');
    const creates = await get(`action=create&since=${encodeURIComponent(since)}`);
    assert.deepEqual(creates.map((e) => e.id), entries.filter((e) => e.action === 'create').map((e) => e.id));
    const all = await get('limit=1000');
    assert.ok(all.length > entries.length, 'without since the seed is there too');
    assert.ok(all.some((e) => e.changes.name === 'Department of Tests'));
    assert.deepEqual(await get(`since=${encodeURIComponent('2999-01-01T00:00:00.000Z')}`), []);
  });

  test('only administrators read it; limit must be 1 to 1000', async () => {
    for (const who of ['viewer', 'analyst', 'other']) {
      const r = await api(srv, s.tokens[who], 'GET', '/api/v1/audit');
      assert.equal(r.status, 403, who);
      assertJsonError(r.body, 'forbidden');
    }
    assert.equal((await api(srv, null, 'GET', '/api/v1/audit')).status, 401);
    for (const limit of ['0', '5000', '1001', '-1', 'ten']) {
      const r = await api(srv, s.tokens.admin, 'GET', `/api/v1/audit?limit=${limit}`);
      assert.equal(r.status, 422, `limit=${limit}`);
      assert.ok(fields(r.body).includes('limit'), r.text);
    }
  });
});

// ---------------------------------------------------------------------------
describe('admin pages', () => {
  let srv, s, jar, csrf, adminId;
  before(async () => {
    srv = await startServer();
    s = await seed(srv);
    adminId = userIdOf(srv.db, s.emails.admin);
    const l = await login(srv, s.emails.admin);
    assert.equal(l.status, 303);
    jar = l.jar;
    csrf = await sessionCsrf(srv, jar);
  });
  after(async () => { await srv?.stop(); });

  test('POST /admin/users adds a user; a duplicate email is 409 with the form again', async () => {
    let r = await postForm(srv, jar, '/admin/users', { email: 'Added@Test.example', name: 'Added Person', password: NEW_PASSWORD }, csrf);
    assert.equal(r.status, 303);
    const m = /^\/admin\/users\/(\d+)\?done=created$/.exec(r.location);
    assert.ok(m, r.location);
    const id = Number(m[1]);
    assert.equal(userIdOf(srv.db, 'added@test.example'), id, 'stored with the email in lower case');
    assert.equal((await signIn(srv, 'added@test.example', NEW_PASSWORD)).status, 303);
    const before = sql(srv.db, 'SELECT count(*) FROM users');
    r = await postForm(srv, jar, '/admin/users', { email: 'added@test.EXAMPLE', name: 'Again', password: NEW_PASSWORD }, csrf);
    assert.equal(r.status, 409);
    assert.match(r.html, /<form method="post" action="\/admin\/users"/);
    assert.match(r.html, /already exists/);
    assert.equal(sql(srv.db, 'SELECT count(*) FROM users'), before);
    r = await postForm(srv, jar, '/admin/users', { email: 'weak@test.example', name: 'Weak', password: 'short' }, csrf);
    assert.equal(r.status, 422);
    assert.equal(sql(srv.db, 'SELECT count(*) FROM users'), before);
    // An empty password: one is made up and shown once.
    r = await postForm(srv, jar, '/admin/users', { email: 'generated@test.example', name: 'Gen' }, csrf);
    const shown = await shownOnce(srv, jar, r);
    assert.equal(shown.res.headers.get('cache-control'), 'no-store');
    const pw = /id="generated-password">([^<]+)</.exec(shown.html);
    assert.ok(pw, 'the generated password is shown');
    if (r.status === 303) {
      const again = await page(srv, jar, r.location);
      assert.ok(!again.html.includes(pw[1]), 'shown only once');
    }
    assert.equal((await signIn(srv, 'generated@test.example', pw[1])).status, 303);
  });

  test('grants given and removed on the user page change what the user sees', async () => {
    const email = 'page-granted@test.example';
    const id = addUser(srv.db, email, 'Granted');
    const token = addToken(srv.db, email);
    const orgs = async () => {
      const r = await api(srv, token, 'GET', '/api/v1/orgs');
      return r.status === 200 ? r.body.orgs.map((o) => o.id) : r.status;
    };
    assert.equal(await orgs(), 403);
    const p = await page(srv, jar, `/admin/users/${id}`);
    assert.equal(p.status, 200);
    assert.ok(p.html.includes(`action="/admin/users/${id}/grants"`));
    let r = await postForm(srv, jar, `/admin/users/${id}/grants`, { org_id: String(s.ids.orgB), role: 'viewer' }, csrf);
    assert.equal(r.status, 303);
    assert.equal(r.location, `/admin/users/${id}?done=saved`);
    assert.deepEqual(await orgs(), [s.ids.orgB]);
    r = await postForm(srv, jar, `/admin/users/${id}/grants`, { org_id: String(s.ids.orgB), role: 'owner' }, csrf);
    assert.equal(r.status, 422, 'an unknown role');
    r = await postForm(srv, jar, `/admin/users/${id}/grants/delete`, { org_id: String(s.ids.orgB) }, csrf);
    assert.equal(r.status, 303);
    assert.equal(await orgs(), 403);
    r = await postForm(srv, jar, `/admin/users/${id}/grants/delete`, { org_id: String(s.ids.orgB) }, csrf);
    assert.equal(r.status, 404, 'no such grant any more');
  });

  test('an administrator cannot remove their own administrator role', async () => {
    const r = await postForm(srv, jar, `/admin/users/${adminId}/admin`, { admin: '0' }, csrf);
    assert.equal(r.status, 409);
    assert.equal((await api(srv, s.tokens.admin, 'GET', '/api/v1/me')).body.admin, true);
    assert.equal(sql(srv.db, `SELECT is_admin FROM users WHERE id = ${adminId}`), '1');
    // ...but can give and take another user's.
    let x = await postForm(srv, jar, `/admin/users/${s.ids.viewer}/admin`, { admin: '1' }, csrf);
    assert.equal(x.status, 303);
    assert.equal((await api(srv, s.tokens.viewer, 'GET', '/api/v1/me')).body.admin, true);
    x = await postForm(srv, jar, `/admin/users/${s.ids.viewer}/admin`, { admin: '0' }, csrf);
    assert.equal(x.status, 303);
    assert.equal((await api(srv, s.tokens.viewer, 'GET', '/api/v1/me')).body.admin, false);
  });

  test('non-administrators cannot use the admin pages', async () => {
    const l = await login(srv, s.emails.analyst);
    assert.equal(l.status, 303);
    const c = await sessionCsrf(srv, l.jar);
    assert.equal((await page(srv, l.jar, '/admin/users')).status, 403);
    const r = await postForm(srv, l.jar, '/admin/users', { email: 'sneaky@test.example', name: 'Sneaky', password: NEW_PASSWORD }, c);
    assert.equal(r.status, 403);
    const g = await postForm(srv, l.jar, `/admin/users/${s.ids.analyst}/grants`, { org_id: String(s.ids.dept), role: 'analyst' }, c);
    assert.equal(g.status, 403);
    assert.equal(sql(srv.db, `SELECT count(*) FROM users WHERE email = 'sneaky@test.example'`), '0');
    assert.equal(sql(srv.db, `SELECT count(*) FROM grants WHERE user_id = ${s.ids.analyst} AND org_id = ${s.ids.dept}`), '0');
  });
});
