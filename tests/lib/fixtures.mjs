// fixtures.mjs: a known department, users of every role, their tokens, and sign-in helpers.
// Built through the real command line and API, so fixtures exercise them too.
import assert from 'node:assert/strict';
import { runCxm } from './server.mjs';

export const PASSWORD = 'correct horse battery staple';

/** Adds a user through `cxm user add` (password on stdin); returns its id. */
export function addUser(db, email, name, { role, org, password = PASSWORD } = {}) {
  const args = ['user', 'add', '--db', db, '--email', email, '--name', name];
  if (role) args.push('--role', role);
  if (org) args.push('--org', String(org));
  const r = runCxm(args, { input: password + '\n' });
  assert.equal(r.status, 0, `cxm user add ${email}: ${r.stderr}`);
  const m = /Added user (\d+)/.exec(r.stdout);
  assert.ok(m, r.stdout);
  return Number(m[1]);
}

/** Creates an API token through `cxm token create`; returns its text. */
export function addToken(db, email, name = 'test') {
  const r = runCxm(['token', 'create', '--db', db, '--email', email, '--name', name]);
  assert.equal(r.status, 0, `cxm token create ${email}: ${r.stderr}`);
  const token = r.stdout.trim().split('\n').pop();
  assert.match(token, /^cxm_[A-Za-z0-9_-]{43}$/);
  return token;
}

/** Calls the API: api(srv, token, 'POST', '/api/v1/orgs', body) -> {status, body, headers}. */
export async function api(srv, token, method, path, body, headers = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
  const r = await fetch(srv.url + path, { method, headers: h, redirect: 'manual',
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)) });
  const text = await r.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  return { status: r.status, body: json, text, headers: r.headers };
}

/**
 * Seeds a department with two components (A and B), one service in each, and
 * users: admin, viewer/facilitator/analyst granted on component A, and
 * "other" (analyst on component B).  Returns { ids, tokens, emails }.
 */
export async function seed(srv) {
  const db = srv.db;
  const emails = {
    admin: 'admin@test.example', viewer: 'viewer@test.example',
    facilitator: 'facilitator@test.example', analyst: 'analyst@test.example',
    other: 'other@test.example',
  };
  addUser(db, emails.admin, 'Ada Admin', { role: 'admin' });
  const tokens = { admin: addToken(db, emails.admin) };
  const mk = async (path, body) => {
    const r = await api(srv, tokens.admin, 'POST', path, body);
    assert.equal(r.status, 201, `${path}: ${r.text}`);
    return r.body.id;
  };
  const ids = {};
  ids.dept = await mk('/api/v1/orgs', { name: 'Department of Tests', kind: 'department', short_name: 'DOT' });
  ids.orgA = await mk('/api/v1/orgs', { name: 'Component A', kind: 'component', parent_id: ids.dept });
  ids.orgB = await mk('/api/v1/orgs', { name: 'Component B', kind: 'component', parent_id: ids.dept });
  ids.officeA = await mk('/api/v1/orgs', { name: 'Office A1', kind: 'office', parent_id: ids.orgA });
  ids.serviceA = await mk('/api/v1/services', { org_id: ids.officeA, name: 'Service A', channels: ['website'] });
  ids.serviceB = await mk('/api/v1/services', { org_id: ids.orgB, name: 'Service B', hisp: true });
  for (const role of ['viewer', 'facilitator', 'analyst']) {
    ids[role] = addUser(db, emails[role], `${role} user`, { role, org: ids.orgA });
    tokens[role] = addToken(db, emails[role]);
  }
  ids.other = addUser(db, emails.other, 'Other analyst', { role: 'analyst', org: ids.orgB });
  tokens.other = addToken(db, emails.other);
  return { ids, tokens, emails };
}

/** Pulls cookies from a response's Set-Cookie headers into jar (name -> value). */
export function takeCookies(res, jar = {}) {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair.indexOf('=');
    jar[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return jar;
}

export function cookieHeader(jar) {
  return Object.entries(jar).filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join('; ');
}

/** The value of the hidden csrf field in a page: the first one, or the one
 *  inside the form posting to `action` when given (pages for signed-in users
 *  also carry the sign-out form's token). */
export function csrfFrom(html, action) {
  let from = html;
  if (action) {
    const i = html.indexOf(`action="${action}"`);
    if (i < 0) return null;
    from = html.slice(i);
  }
  const m = /name="csrf" value="([^"]+)"/.exec(from);
  return m ? m[1] : null;
}

/**
 * Signs in through the login form like a browser.  Returns
 * { status, jar, location, res } (status 303 on success).
 */
export async function login(srv, email, password = PASSWORD, jar = {}) {
  let r = await fetch(srv.url + '/login', { headers: { cookie: cookieHeader(jar) } });
  takeCookies(r, jar);
  const csrf = csrfFrom(await r.text(), '/login');
  r = await fetch(srv.url + '/login', {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: new URLSearchParams({ email, password, csrf, next: '/account' }).toString(),
  });
  takeCookies(r, jar);
  return { status: r.status, jar, location: r.headers.get('location'), res: r };
}

/** GET a page with the session; returns { status, html, csrf, res }. */
export async function page(srv, jar, path) {
  const r = await fetch(srv.url + path, { headers: { cookie: cookieHeader(jar) }, redirect: 'manual' });
  takeCookies(r, jar);
  const html = await r.text();
  return { status: r.status, html, csrf: csrfFrom(html), res: r };
}

/** POST a form with the session and its CSRF token (unless fields.csrf is given). */
export async function postForm(srv, jar, path, fields, csrf) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (Array.isArray(v)) v.forEach((x) => body.append(k, x)); else body.append(k, v);
  }
  if (csrf && !('csrf' in fields)) body.append('csrf', csrf);
  const r = await fetch(srv.url + path, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader(jar) },
    body: body.toString(),
  });
  takeCookies(r, jar);
  return { status: r.status, html: await r.text(), location: r.headers.get('location'), res: r };
}
