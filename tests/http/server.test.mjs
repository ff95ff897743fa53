// server.test.mjs: routing, error shapes, body limits, security headers and static files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, staticDir } from '../lib/server.mjs';
import { rawRequest } from '../lib/raw.mjs';

const version = readFileSync(join(import.meta.dirname, '..', '..', 'VERSION'), 'utf8').trim();
let srv;
const seen = []; // every response, for the security-header check

async function get(path, init = {}) {
  const r = await fetch(srv.url + path, { redirect: 'manual', ...init });
  seen.push({ path, r });
  return r;
}

function assertJsonError(body, code) {
  assert.equal(typeof body.error, 'object', 'error object present');
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, 'string');
  assert.ok(body.error.message.length > 0);
  assert.ok(Array.isArray(body.error.details), 'details is an array');
}

before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('GET /healthz reports ok, the version and the database', async () => {
  const r = await get('/healthz');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.deepEqual(await r.json(), { status: 'ok', version, db: 'ok' });
});

test('HEAD /healthz answers like GET without a body', async () => {
  const r = await get('/healthz', { method: 'HEAD' });
  assert.equal(r.status, 200);
  assert.equal(await r.text(), '');
});

test('the home page is HTML in the USWDS frame', async () => {
  const r = await get('/');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
  const html = await r.text();
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/);
  assert.match(html, /<section class="usa-banner"/);
  assert.match(html, /<main id="main-content"/);
  assert.match(html, /<h1>/);
  assert.match(html, /href="\/static\/uswds\/css\/uswds\.min\.css"/);
  assert.doesNotMatch(html, /<script>|<script [^>]*>[^<]/, 'no inline script');
  assert.doesNotMatch(html, / style=/, 'no style attributes');
});

test('an unknown page is a 404 HTML page', async () => {
  const r = await get('/no/such/page');
  assert.equal(r.status, 404);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  const html = await r.text();
  assert.match(html, /<h1>Not Found<\/h1>/);
  assert.match(html, /Error 404/);
});

test('an unknown API path is a 404 in the JSON error shape', async () => {
  const r = await get('/api/v1/no-such-thing');
  assert.equal(r.status, 404);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assertJsonError(await r.json(), 'not_found');
});

test('a known path with the wrong method is 405 with Allow', async () => {
  let r = await get('/healthz', { method: 'DELETE' });
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'GET, HEAD');
  assertJsonError(await r.json(), 'method_not_allowed');

  r = await get('/', { method: 'POST', body: 'x=1',
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'GET, HEAD');
  assert.match(r.headers.get('content-type'), /^text\/html/);

  r = await get('/api/v1/csp-reports');
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'POST');
});

test('an unknown method on a known path is 405; on an unknown path 404', async () => {
  let r = await rawRequest(srv.port, 'BREW / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(r.status, 405);
  assert.equal(r.headers.allow, 'GET, HEAD');
  r = await rawRequest(srv.port, 'BREW /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(r.status, 404);
});

test('a path that is not valid UTF-8 is a 400', async () => {
  const r = await rawRequest(srv.port, 'GET /api/v1/%FF%FE HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(r.status, 400);
  assertJsonError(JSON.parse(r.body), 'malformed');
});

const CSP_REPORT = JSON.stringify({ 'csp-report': {
  'document-uri': 'http://127.0.0.1/', 'violated-directive': 'script-src',
  'blocked-uri': 'inline' } });

test('malformed JSON is a 400 in the JSON error shape, with line and column', async () => {
  const r = await get('/api/v1/csp-reports', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: '{\n  "a": [1, 2,\n}' });
  assert.equal(r.status, 400);
  const body = await r.json();
  assertJsonError(body, 'malformed');
  assert.equal(body.error.details.length, 1);
  assert.equal(body.error.details[0].line, 3);
  assert.ok(body.error.details[0].column >= 1);
});

test('duplicate JSON keys are refused', async () => {
  const r = await get('/api/v1/csp-reports', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: '{"csp-report":{},"csp-report":{}}' });
  assert.equal(r.status, 400);
  assert.match((await r.json()).error.message, /duplicate/);
});

test('a JSON body with invalid UTF-8 is refused', async () => {
  const body = Buffer.concat([Buffer.from('{"csp-report":{"blocked-uri":"'),
    Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]);
  const r = await get('/api/v1/csp-reports', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body });
  assert.equal(r.status, 400);
});

test('deeply nested JSON is refused', async () => {
  const r = await get('/api/v1/csp-reports', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: '['.repeat(200) + ']'.repeat(200) });
  assert.equal(r.status, 400);
  assert.match((await r.json()).error.message, /nested/);
});

test('a body that is not JSON is a 415', async () => {
  const r = await get('/api/v1/csp-reports', { method: 'POST',
    headers: { 'content-type': 'text/plain' }, body: CSP_REPORT });
  assert.equal(r.status, 415);
  assertJsonError(await r.json(), 'unsupported_media_type');
});

test('well-formed JSON of the wrong shape is a 422 naming the field', async () => {
  const r = await get('/api/v1/csp-reports', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' });
  assert.equal(r.status, 422);
  const body = await r.json();
  assertJsonError(body, 'invalid');
  assert.equal(body.error.details[0].field, 'csp-report');
});

test('a CSP violation report is accepted and logged', async () => {
  const r = await get('/api/v1/csp-reports', { method: 'POST',
    headers: { 'content-type': 'application/csp-report' }, body: CSP_REPORT });
  assert.equal(r.status, 204);
  await srv.waitForLog(/csp violation: directive=script-src blocked=inline/);
});

test('a 2 MiB body is a 413, with Content-Length and chunked', async () => {
  const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
  let r = await get('/api/v1/csp-reports', { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: big });
  assert.equal(r.status, 413);
  assertJsonError(await r.json(), 'too_large');

  // Without Content-Length the limit is enforced while streaming.
  const stream = new ReadableStream({
    start(c) { for (let i = 0; i < 32; i++) c.enqueue(new Uint8Array(64 * 1024)); c.close(); },
  });
  r = await get('/api/v1/csp-reports', { method: 'POST', duplex: 'half',
    headers: { 'content-type': 'application/json' }, body: stream });
  assert.equal(r.status, 413);
});

test('static files come with a type, caching headers and 304 revalidation', async () => {
  const r = await get('/static/uswds/css/uswds.min.css');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'text/css; charset=utf-8');
  assert.match(r.headers.get('cache-control'), /max-age=\d+/);
  const etag = r.headers.get('etag');
  assert.ok(etag);
  const body = Buffer.from(await r.arrayBuffer());
  assert.deepEqual(body, readFileSync(join(staticDir, 'uswds/css/uswds.min.css')));
  const again = await get('/static/uswds/css/uswds.min.css', { headers: { 'if-none-match': etag } });
  assert.equal(again.status, 304);
  const font = await get('/static/uswds/fonts/source-sans-pro/sourcesanspro-regular-webfont.woff2');
  assert.equal(font.status, 200);
  assert.equal(font.headers.get('content-type'), 'font/woff2');
});

test('static paths cannot escape the static folder or reach hidden files', async () => {
  for (const p of ['/static/../VERSION', '/static/%2e%2e/VERSION', '/static/.stamp',
    '/static/uswds/../../VERSION', '/static/', '/static/css']) {
    const r = await rawRequest(srv.port, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.equal(r.status, 404, p);
  }
});

test('every response carries the security headers', async () => {
  await get('/static/uswds/js/uswds.min.js');
  await get('/api/v1/csp-reports', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
  assert.ok(seen.length >= 10);
  const statuses = new Set();
  for (const { path, r } of seen) {
    statuses.add(r.status);
    const csp = r.headers.get('content-security-policy');
    assert.ok(csp, `CSP on ${path}`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
    assert.match(csp, /default-src 'self'/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    assert.ok(r.headers.get('referrer-policy'), `Referrer-Policy on ${path}`);
  }
  for (const s of [200, 204, 304, 400, 404, 405, 413, 415, 422]) assert.ok(statuses.has(s), `saw ${s}`);
});

test('one access-log line per request with method, path, status, bytes and microseconds', async () => {
  const r = await get('/healthz?probe=access-log');
  const text = await r.text();
  const m = await srv.waitForLog(/access GET \/healthz 200 (\d+) (\d+)us/);
  assert.equal(Number(m[1]), Buffer.byteLength(text));
  assert.ok(Number(m[2]) > 0);
});
