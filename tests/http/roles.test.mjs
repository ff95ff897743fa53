// roles.test.mjs: the role matrix.  Every route `cxm routes --json` declares is
// called by every kind of caller (anonymous, viewer, facilitator, analyst,
// admin, and "other": an analyst over a different subtree), and the status
// must be what the route's role and scope imply.  Paths the table does not
// declare must never be served.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCxm } from '../lib/server.mjs';
import {
  seed, login, page, addToken, cookieHeader, takeCookies, PASSWORD, csrfFrom,
} from '../lib/fixtures.mjs';

const ROLES = ['public', 'signed-in', 'viewer', 'facilitator', 'analyst', 'admin'];
const SCOPES = ['none', 'org', 'service', 'body-org', 'body-parent'];
const RANK = { viewer: 3, facilitator: 4, analyst: 5, admin: 6 };
// Denials are checked before grants so that an allowed destructive call
// cannot change what a later caller sees; admin goes last.
const WHO = ['anonymous', 'viewer', 'facilitator', 'analyst', 'other', 'admin'];
// Public endpoints for files and browser reports: only their role is checked.
const SKIP = new Set(['GET /static/{path...}', 'POST /api/v1/csp-reports']);

const key = (r) => `${r.method} ${r.pattern}`;
const listed = runCxm(['routes', '--json']);
assert.equal(listed.status, 0, `cxm routes --json: ${listed.stderr}`);
const table = JSON.parse(listed.stdout);

/** Changes state that later checks rely on; runs after every other route. */
function destructive(r) {
  return r.method === 'DELETE' ||
    /\/(delete|revoke|password|admin|logout)$/.test(r.pattern);
}

/** What the rules say `who` gets from route r: allow | deny | unauth | login. */
function expected(r, who) {
  if (r.role === 'public') return 'allow';
  if (who === 'anonymous') {
    if (r.kind === 'api') return 'unauth';
    return r.method === 'GET' ? 'login' : 'unauth';
  }
  if (r.role === 'signed-in' || who === 'admin') return 'allow';
  if (r.role === 'admin') return 'deny';
  // "other" is an analyst, but over orgB: every scoped check here points at orgA.
  if (who === 'other') return r.scope === 'none' && RANK.analyst >= RANK[r.role] ? 'allow' : 'deny';
  return RANK[who] >= RANK[r.role] ? 'allow' : 'deny';
}

const LABEL = { allow: 'not 401/403', deny: '403', unauth: '401', login: '303 /login' };

let srv;
let ids;
let tokens;
let emails;
const sessions = {}; // who -> { jar, csrf }
const tokenIds = {}; // token name -> id, from `cxm token list`
const results = []; // { route, who, expect, status, ok, why }
let throwaways = 0;

async function signIn(who) {
  const r = await login(srv, emails[who]);
  assert.equal(r.status, 303, `sign-in as ${who}`);
  const { csrf } = await page(srv, r.jar, '/account');
  assert.ok(csrf, `csrf for ${who}`);
  sessions[who] = { jar: r.jar, csrf };
}

async function adminApi(method, path, body) {
  const r = await fetch(srv.url + path, {
    method,
    headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await r.json();
  assert.equal(r.status, 201, `${method} ${path}: ${JSON.stringify(json)}`);
  return json.id;
}

/** The value for path parameter `name` of route r when `who` calls it. */
async function param(r, who, name) {
  if (name === 'id') {
    if (!destructive(r)) return r.scope === 'service' ? ids.serviceA : ids.orgA;
    // A fresh object inside orgA's subtree for each destructive check.
    const n = ++throwaways;
    if (r.scope === 'service') {
      return adminApi('POST', '/api/v1/services', { org_id: ids.officeA, name: `Throwaway service ${n}` });
    }
    return adminApi('POST', '/api/v1/orgs', { name: `Throwaway office ${n}`, kind: 'office', parent_id: ids.orgA });
  }
  if (name === 'user') return ids.viewer;
  if (name === 'model') return 'example';
  if (name === 'token') {
    // Each caller revokes a spare token of its own; the admin revokes a spare of the viewer's.
    if (r.pattern.startsWith('/admin/')) return tokenIds['spare-for-admin-revoke'];
    return tokenIds[`spare-${who === 'anonymous' ? 'viewer' : who}`];
  }
  throw new Error(`${key(r)}: no rule to fill {${name}}; teach roles.test.mjs about it`);
}

async function fillPath(r, who) {
  let path = r.pattern;
  for (const [m, name] of r.pattern.matchAll(/\{([a-z_]+)\}/g)) {
    const v = await param(r, who, name);
    assert.ok(v, `${key(r)}: value for {${name}}`);
    path = path.replace(m, String(v));
  }
  return path;
}

function bodyFields(r) {
  const b = {};
  if (r.scope === 'body-org') b.org_id = ids.orgA;
  if (r.scope === 'body-parent') b.parent_id = ids.orgA;
  return b;
}

/** Makes route r's request as `who`; returns { status, location, json, path }. */
async function call(r, who) {
  const path = await fillPath(r, who);
  const headers = {};
  let body;
  const s = sessions[who];
  let jar = s ? s.jar : {};
  if (r.kind === 'api') {
    if (who !== 'anonymous') headers.authorization = `Bearer ${tokens[who]}`;
    if (r.body) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(bodyFields(r));
    }
  } else if (r.body) {
    const form = new URLSearchParams();
    if (key(r) === 'POST /login') {
      // Signing in is the one public form: an empty form is a wrong
      // password (401, and it feeds the sign-in throttle), so send the
      // caller's real credentials with the sign-in form's own token, as a
      // browser would, on a copy of the jar so the session in use stays.
      jar = { ...jar };
      const form0 = await page(srv, jar, '/login');
      form.append('email', emails[who === 'anonymous' ? 'viewer' : who]);
      form.append('password', PASSWORD);
      form.append('next', '/account');
      const token = csrfFrom(form0.html, '/login');
      if (token) form.append('csrf', token);
    } else {
      for (const [k, v] of Object.entries(bodyFields(r))) form.append(k, String(v));
      if (s) form.append('csrf', s.csrf);
    }
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = form.toString();
  }
  if (r.kind !== 'api' && Object.keys(jar).length) headers.cookie = cookieHeader(jar);
  const res = await fetch(srv.url + path, { method: r.method, headers, body, redirect: 'manual' });
  if (r.kind !== 'api' && s && jar === s.jar) takeCookies(res, s.jar);
  // Event streams never end: the status and headers are the answer.
  const text = r.pattern.endsWith('/events') && res.status === 200
    ? (await res.body?.cancel(), '') : await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { json = null; }
  return { status: res.status, location: res.headers.get('location'),
    wwwAuth: res.headers.get('www-authenticate'), json, path };
}

/** Why got does not meet expectation exp for route r, or '' when it does. */
function judge(r, exp, got) {
  const s = got.status;
  const code = got.json && got.json.error && got.json.error.code;
  switch (exp) {
    case 'allow':
      if (s === 401 || s === 403) return `refused (${code || s})`;
      if (s >= 500) return 'server error';
      if (s === 303 && /^\/login\?next=/.test(got.location || '')) return 'sent to sign in';
      return '';
    case 'deny':
      if (s !== 403) return 'not refused';
      if (r.kind === 'api' && code !== 'forbidden') return `error code ${code}`;
      return '';
    case 'unauth':
      if (s !== 401) return 'not 401';
      if (r.kind === 'api') {
        if (code !== 'unauthorized' || typeof got.json.error.message !== 'string' ||
          !Array.isArray(got.json.error.details)) return 'bad JSON error shape';
        if (!/^Bearer/.test(got.wwwAuth || '')) return 'no WWW-Authenticate: Bearer';
      }
      return '';
    case 'login': {
      if (s !== 303) return 'not 303';
      const m = /^\/login\?next=([^&]*)/.exec(got.location || '');
      if (!m) return `Location ${got.location}`;
      if (decodeURIComponent(m[1]) !== got.path) return `next=${m[1]}`;
      return '';
    }
    default:
      return `unknown expectation ${exp}`;
  }
}

function formatRows(rows) {
  const w = Math.max(...rows.map((x) => x.route.length), 5);
  const head = `${'route'.padEnd(w)}  ${'identity'.padEnd(11)}  ${'expected'.padEnd(12)}  got  result`;
  return [head, ...rows.map((x) =>
    `${x.route.padEnd(w)}  ${x.who.padEnd(11)}  ${LABEL[x.expect].padEnd(12)}  ${String(x.status).padEnd(3)}  ` +
    (x.ok ? 'ok' : `FAIL: ${x.why}`))].join('\n');
}

/** The whole matrix, one row per route, one column per identity. */
function formatGrid() {
  const routes = [...new Set(results.map((x) => x.route))];
  const w = Math.max(...routes.map((x) => x.length));
  const cell = (x) => (x ? (x.ok ? `${x.status}` : `${x.status}!=${x.expect === 'allow' ? 'ok' : LABEL[x.expect].split(' ')[0]}`) : '-');
  const lines = [`${''.padEnd(w)}  ${WHO.map((v) => v.padEnd(11)).join(' ')}`];
  for (const route of routes) {
    lines.push(`${route.padEnd(w)}  ${WHO.map((v) => cell(results.find((x) => x.route === route && x.who === v)).padEnd(11)).join(' ')}`);
  }
  return lines.join('\n');
}

before(async () => {
  srv = await startServer();
  ({ ids, tokens, emails } = await seed(srv));
  for (const who of ['viewer', 'facilitator', 'analyst', 'other', 'admin']) {
    addToken(srv.db, emails[who], `spare-${who}`);
    await signIn(who);
  }
  addToken(srv.db, emails.viewer, 'spare-for-admin-revoke');
  const list = runCxm(['token', 'list', '--db', srv.db]);
  assert.equal(list.status, 0, list.stderr);
  for (const line of list.stdout.trim().split('\n')) {
    const [id, , name] = line.split('\t');
    tokenIds[name] = Number(id);
  }
  assert.ok(tokenIds['spare-for-admin-revoke'], list.stdout);
});

after(async () => {
  if (results.some((x) => !x.ok)) {
    console.log(`\nrole matrix (status, or status!=expected where it is wrong):\n${formatGrid()}\n`);
  }
  if (srv) await srv.stop();
});

test('the route table names only known roles, scopes and kinds', () => {
  assert.ok(table.length > 0);
  const bad = table.filter((r) => !ROLES.includes(r.role) || !SCOPES.includes(r.scope) ||
    !['page', 'api'].includes(r.kind) || !['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
  assert.deepEqual(bad, [], 'routes with an unknown role, scope, kind or method');
  for (const k of SKIP) {
    const r = table.find((x) => key(x) === k);
    assert.ok(r, `${k} is declared`);
    assert.equal(r.role, 'public', `${k} is public`);
  }
  // A scope must have something to be about.
  for (const r of table) {
    if (r.scope === 'org' || r.scope === 'service') assert.match(r.pattern, /\{id\}/, key(r));
    if (r.scope.startsWith('body-')) assert.ok(r.body, `${key(r)} reads a body`);
    if (r.role === 'public' || r.role === 'signed-in' || r.role === 'admin') {
      assert.equal(r.scope, 'none', `${key(r)}: role ${r.role} has no organization scope`);
    }
  }
});

const ordered = [...table.filter((r) => !destructive(r)), ...table.filter(destructive)]
  .filter((r) => !SKIP.has(key(r)));

for (const r of ordered) {
  test(`matrix: ${key(r)} (${r.role}, scope ${r.scope})`, async () => {
    const order = [...WHO].sort((a, b) =>
      (expected(r, a) === 'allow') - (expected(r, b) === 'allow') || WHO.indexOf(a) - WHO.indexOf(b));
    const rows = [];
    for (const who of order) {
      const exp = expected(r, who);
      const got = await call(r, who);
      const why = judge(r, exp, got);
      const row = { route: key(r), who, expect: exp, status: got.status, ok: !why, why };
      rows.push(row);
      results.push(row);
      // Signing out ends only that session; sign in again for what follows.
      if (key(r) === 'POST /logout' && who !== 'anonymous') await signIn(who);
    }
    const failed = rows.filter((x) => !x.ok);
    assert.equal(failed.length, 0, `\n${formatRows(rows)}`);
  });
}

test('every route was checked for every identity', () => {
  assert.equal(results.length, ordered.length * WHO.length);
});

test('after the matrix, every identity is still signed in and its token still works', async () => {
  for (const who of ['viewer', 'facilitator', 'analyst', 'other', 'admin']) {
    const me = await fetch(srv.url + '/api/v1/me', { headers: { authorization: `Bearer ${tokens[who]}` } });
    assert.equal(me.status, 200, `${who} token`);
    assert.equal((await me.json()).email, emails[who]);
    const p = await page(srv, sessions[who].jar, '/account');
    assert.equal(p.status, 200, `${who} session`);
  }
  // The viewer kept its grant and is still no administrator.
  const me = await (await fetch(srv.url + '/api/v1/me', { headers: { authorization: `Bearer ${tokens.viewer}` } })).json();
  assert.equal(me.admin, false);
  assert.deepEqual(me.grants, [{ org_id: ids.orgA, role: 'viewer' }]);
  // Only the spare tokens were revoked.
  const list = runCxm(['token', 'list', '--db', srv.db]).stdout;
  for (const line of list.trim().split('\n')) {
    const cols = line.split('\t');
    assert.equal(cols.at(-1), cols[2].startsWith('spare') ? 'revoked' : 'active', line);
  }
});

test('a route missing from the table cannot be served, whoever asks', async () => {
  const a = ids.orgA;
  const probes = [
    ['GET', '/admin'], ['GET', '/api/v1/users'], ['DELETE', '/api/v1/audit'], ['GET', '/orgs/1/edit'],
    ['GET', `/orgs/${a}/edit`], ['POST', '/api/v1/audit'], ['PUT', `/api/v1/orgs/${a}`],
    ['DELETE', `/orgs/${a}`], ['GET', `/orgs/${a}/delete`], ['GET', `/api/v1/orgs/${a}/services`],
    ['GET', '/api/v1/users/1'], ['GET', '/api/v1/tokens'], ['GET', '/admin/tokens'],
    ['POST', '/admin/audit'], ['GET', '/admin/users/'], ['GET', '//admin/users'], ['GET', '/Admin/users'],
    ['GET', '/API/v1/audit'], ['GET', '/api/v2/audit'], ['GET', '/api/v1/orgs/'], ['GET', '/logout'],
    ['GET', '/account/password'], ['GET', `/admin/users/${ids.viewer}/grants`], ['PATCH', '/api/v1/me'],
    ['GET', '/api/v1/audit/1'], ['GET', '/admin/audit.json'], ['GET', '/healthz/'],
  ];
  const bad = [];
  for (const who of WHO) {
    for (const [method, path] of probes) {
      const headers = {};
      if (who !== 'anonymous') {
        if (path.toLowerCase().startsWith('/api/')) headers.authorization = `Bearer ${tokens[who]}`;
        else headers.cookie = cookieHeader(sessions[who].jar);
      }
      const res = await fetch(srv.url + path, { method, headers, redirect: 'manual' });
      await res.arrayBuffer();
      if (res.status !== 404 && res.status !== 405) bad.push(`${method} ${path}  ${who}  got ${res.status}`);
    }
  }
  assert.deepEqual(bad, [], `undeclared paths answered other than 404/405:\n${bad.join('\n')}`);
});
