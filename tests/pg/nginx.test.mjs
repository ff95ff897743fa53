// nginx.test.mjs: deploy/nginx/cxm.conf, placeholders filled in, in front of two
// cxm servers on one PostgreSQL database: load spreading, sessions across
// servers, forwarded client addresses, Secure cookies behind TLS, event
// streams without buffering, body limits and surviving a stopped server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, engine } from '../lib/server.mjs';
import { seed, api, login, page, PASSWORD } from '../lib/fixtures.mjs';
import { openStream } from '../lib/sse.mjs';
import { connect, rawRequest } from '../lib/raw.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const nginxBin = process.env.NGINX || (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');
const SERVER_NAME = 'localhost';

let a; // cxm server 1 (runs `cxm init`)
let b; // cxm server 2, same database
let c; // cxm server 3, same database, trusts no proxy
let s; // seeded users, tokens, ids
let dir; // nginx prefix
let nginx; // the nginx child process
let nginxLog = '';
let plain; // { url } of the plain-HTTP door (@LISTEN@), usable with the fixtures
let tlsUrl; // https://127.0.0.1:PORT (@TLS_LISTEN@)
let redirectUrl; // http://127.0.0.1:PORT (@REDIRECT_LISTEN@)

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One HTTP(S) request with node's own client, for what fetch cannot do:
 *  a self-signed certificate, a chosen source address.  {status, headers, text}. */
function request(url, { method = 'GET', headers = {}, body, localAddress } = {}) {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((res, rej) => {
    const req = mod.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method, headers,
      localAddress, agent: false, rejectUnauthorized: false, servername: SERVER_NAME,
    }, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (chunk) => { text += chunk; });
      r.on('end', () => res({ status: r.statusCode, headers: r.headers, text }));
    });
    req.on('error', rej);
    req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${url}: timed out`)));
    req.end(body);
  });
}

/** The Set-Cookie named `name` of a node response: {value, attrs[], raw} or null. */
function cookieOf(res, name) {
  for (const raw of res.headers['set-cookie'] || []) {
    const [pair, ...attrs] = raw.split(';').map((x) => x.trim());
    if (pair.startsWith(`${name}=`)) {
      return { value: pair.slice(name.length + 1), attrs: attrs.map((x) => x.toLowerCase()), raw };
    }
  }
  return null;
}

/** deploy/nginx/cxm.conf with every @PLACEHOLDER@ replaced; an unknown one is an error. */
function fillConfig(values) {
  const text = readFileSync(join(root, 'deploy', 'nginx', 'cxm.conf'), 'utf8');
  const used = new Set();
  const filled = text.replace(/@([A-Z_]+)@/g, (_, name) => {
    assert.ok(name in values, `cxm.conf has a placeholder @${name}@ the test does not know`);
    used.add(name);
    return values[name];
  });
  for (const name of Object.keys(values)) assert.ok(used.has(name), `@${name}@ is not in cxm.conf`);
  assert.ok(!filled.includes('@'), 'no at sign is left once the placeholders are filled in');
  return filled;
}

function accessLines(srv, method, path) {
  return srv.logs().split('\n').filter((l) => l.includes(` info access ${method} ${path} `)).length;
}

async function auditEntry(pred, what) {
  const r = await api(a, s.tokens.admin, 'GET', '/api/v1/audit?object_type=org&limit=200');
  assert.equal(r.status, 200, r.text);
  const e = r.body.entries.find(pred);
  assert.ok(e, `an audit entry for ${what}`);
  return e;
}

before(async () => {
  assert.equal(engine, 'postgresql', 'tests/pg runs only in the PostgreSQL pass');
  const proxyArgs = { args: ['--trusted-proxy', '127.0.0.1/32'] };
  a = await startServer(proxyArgs);
  [b, c] = await Promise.all([
    startServer({ ...proxyArgs, db: a.db, init: false }),
    // Short grace: one test stops it with a request unfinished.
    startServer({ db: a.db, init: false, args: ['--shutdown-grace', '3'] }),
  ]);
  s = await seed(a);

  dir = mkdtempSync(join(tmpdir(), 'cxm-nginx-'));
  mkdirSync(join(dir, 'tmp'));
  const key = join(dir, 'tls.key');
  const cert = join(dir, 'tls.pem');
  const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1',
    '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${SERVER_NAME}`], { encoding: 'utf8' });
  assert.equal(ssl.status, 0, `openssl: ${ssl.stderr}`);
  const [listen, tls, redirect] = await Promise.all([freePort(), freePort(), freePort()]);
  writeFileSync(join(dir, 'cxm.conf'), fillConfig({
    CXM_UPSTREAMS: `server 127.0.0.1:${a.port}; server 127.0.0.1:${b.port};`,
    SERVER_NAME,
    LISTEN: `127.0.0.1:${listen}`,
    TLS_LISTEN: `127.0.0.1:${tls}`,
    TLS_CERT: cert,
    TLS_KEY: key,
    REDIRECT_LISTEN: `127.0.0.1:${redirect}`,
  }));
  // The main configuration a distribution would provide, reduced to what a
  // throwaway prefix needs.  Run as root, nginx would hand its workers to
  // "nobody", who cannot enter this private folder.
  const isRoot = process.getuid?.() === 0;
  writeFileSync(join(dir, 'nginx.conf'), `${isRoot ? 'user root;\n' : ''}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 512; }
http {
    access_log ${dir}/access.log;
    client_body_temp_path ${dir}/tmp/body;
    proxy_temp_path ${dir}/tmp/proxy;
    fastcgi_temp_path ${dir}/tmp/fastcgi;
    uwsgi_temp_path ${dir}/tmp/uwsgi;
    scgi_temp_path ${dir}/tmp/scgi;
    # Compression for every text type, as many main configurations have:
    # the event stream must still arrive at once.
    gzip on;
    gzip_types text/event-stream application/json text/css text/javascript;
    include ${dir}/cxm.conf;
}
`);
  const base = ['-p', `${dir}/`, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')];
  const check = spawnSync(nginxBin, [...base, '-t'], { encoding: 'utf8' });
  assert.equal(check.status, 0, `nginx -t refuses the filled-in cxm.conf:\n${check.stderr}`);
  // nginx in the foreground under a shell that stops it when this process's
  // end of its standard input closes, so it cannot outlive a test run that
  // dies before its after() hook (like the cxm servers, --exit-on-stdin-close).
  // A background job's own standard input is /dev/null, hence fd 3.
  nginx = spawn('sh', ['-c', 'exec 3<&0; "$0" "$@" </dev/null & pid=$!; ' +
    '(cat <&3 >/dev/null; kill $pid 2>/dev/null) & wait $pid',
    nginxBin, ...base, '-g', 'daemon off;'], { stdio: ['pipe', 'pipe', 'pipe'] });
  nginx.stdout.on('data', (d) => { nginxLog += d; });
  nginx.stderr.on('data', (d) => { nginxLog += d; });
  nginx.exited = new Promise((r) => nginx.on('exit', (code, signal) => r({ code, signal })));

  plain = { url: `http://127.0.0.1:${listen}` };
  tlsUrl = `https://127.0.0.1:${tls}`;
  redirectUrl = `http://127.0.0.1:${redirect}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await fetch(`${plain.url}/healthz`).catch(() => null);
    if (r?.status === 200) break;
    if (nginx.exitCode !== null || Date.now() > deadline) {
      const errors = existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : '';
      throw new Error(`nginx did not answer: ${nginxLog}\n${errors}`);
    }
    await sleep(50);
  }
});

after(async () => {
  if (nginx && nginx.exitCode === null && nginx.signalCode === null) {
    nginx.stdin.end(); // the shell stops nginx (SIGTERM: a fast shutdown)
    const t = setTimeout(() => {
      try { process.kill(Number(readFileSync(join(dir, 'nginx.pid'), 'utf8')), 'SIGKILL'); } catch { /* gone */ }
    }, 5000);
    await nginx.exited;
    clearTimeout(t);
  }
  await Promise.all([c, b].map((x) => x?.stop()));
  await a?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('/healthz answers 200 through nginx, over plain HTTP and over TLS', async () => {
  const r = await api(plain, null, 'GET', '/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'ok');
  assert.equal(r.body.db, 'ok');
  const t = await request(`${tlsUrl}/healthz`);
  assert.equal(t.status, 200);
  assert.equal(JSON.parse(t.text).status, 'ok');
  assert.match(t.headers['strict-transport-security'] || '', /max-age=\d+/);
  // cxm's own security headers come through.
  assert.match(t.headers['content-security-policy'] || '', /default-src 'self'/);
});

test('the port-80 server only redirects to HTTPS, to its own name', async () => {
  const r = await request(`${redirectUrl}/orgs?x=1`, { headers: { host: 'evil.example' } });
  assert.equal(r.status, 301);
  assert.equal(r.headers.location, `https://${SERVER_NAME}/orgs?x=1`);
});

test('requests are spread over both cxm servers', async () => {
  const before0 = [accessLines(a, 'GET', '/healthz'), accessLines(b, 'GET', '/healthz')];
  for (let i = 0; i < 20; i++) {
    const r = await fetch(`${plain.url}/healthz`);
    assert.equal(r.status, 200);
    await r.arrayBuffer();
  }
  await sleep(200); // cxm logs a request after its answer has gone out
  const onA = accessLines(a, 'GET', '/healthz') - before0[0];
  const onB = accessLines(b, 'GET', '/healthz') - before0[1];
  assert.equal(onA + onB, 20, `every request reached a server (a ${onA}, b ${onB})`);
  assert.ok(onA >= 5 && onB >= 5, `both servers answered: a ${onA}, b ${onB}`);
});

test('a sign-in through nginx holds whichever server answers', async () => {
  const li = await login(plain, s.emails.viewer);
  assert.equal(li.status, 303);
  assert.equal(li.location, '/account');
  assert.ok(li.jar.cxm_session, 'a session cookie');
  const before0 = [accessLines(a, 'GET', '/account'), accessLines(b, 'GET', '/account')];
  for (let i = 0; i < 30; i++) {
    const p = await page(plain, li.jar, '/account');
    assert.equal(p.status, 200, `request ${i}: still signed in`);
    assert.ok(p.html.includes(s.emails.viewer), `request ${i}: the viewer's own page`);
  }
  // A form posted through nginx: the CSRF token from one server is good on the other.
  const acct = await page(plain, li.jar, '/account');
  const out = await fetch(`${plain.url}/logout`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `cxm_session=${li.jar.cxm_session}` },
    body: new URLSearchParams({ csrf: acct.csrf }).toString(),
  });
  assert.equal(out.status, 303, 'signed out');
  await sleep(200);
  const onA = accessLines(a, 'GET', '/account') - before0[0];
  const onB = accessLines(b, 'GET', '/account') - before0[1];
  assert.ok(onA > 0 && onB > 0, `both servers served the signed-in page: a ${onA}, b ${onB}`);
  const gone = await page(plain, li.jar, '/account');
  assert.equal(gone.status, 303, 'the ended session is ended on every server');
});

test('the audit log shows the client address nginx forwards, and only from trusted proxies', async () => {
  // A proxy in front of nginx (trusted: 127.0.0.1) said the client is 203.0.113.7;
  // nginx appends its own peer, cxm takes the rightmost untrusted address.
  let r = await api(plain, s.tokens.analyst, 'POST', '/api/v1/orgs',
    { name: 'Via nginx', kind: 'office', parent_id: s.ids.orgA }, { 'x-forwarded-for': '203.0.113.7' });
  assert.equal(r.status, 201, r.text);
  let e = await auditEntry((x) => x.action === 'create' && x.changes.name === 'Via nginx', 'the write through nginx');
  assert.equal(e.client, '203.0.113.7');
  assert.equal(e.via, 'api');

  // A client nginx does not trust (127.0.0.2) forges the header: nginx
  // appends the real address, and that is what cxm records.
  const body = JSON.stringify({ name: 'Forged via nginx', kind: 'office', parent_id: s.ids.orgA });
  const f = await request(`${plain.url}/api/v1/orgs`, {
    method: 'POST', localAddress: '127.0.0.2', body,
    headers: { authorization: `Bearer ${s.tokens.analyst}`, 'content-type': 'application/json',
      'x-forwarded-for': '198.51.100.9', 'content-length': Buffer.byteLength(body) },
  });
  assert.equal(f.status, 201, f.text);
  e = await auditEntry((x) => x.changes.name === 'Forged via nginx', 'the forged write');
  assert.equal(e.client, '127.0.0.2', 'the forged address is not believed');

  // A cxm server without --trusted-proxy ignores the header altogether.
  r = await api(c, s.tokens.analyst, 'POST', '/api/v1/orgs',
    { name: 'Forged direct', kind: 'office', parent_id: s.ids.orgA }, { 'x-forwarded-for': '198.51.100.10' });
  assert.equal(r.status, 201, r.text);
  e = await auditEntry((x) => x.changes.name === 'Forged direct', 'the direct write');
  assert.equal(e.client, '127.0.0.1');

  // Failed sign-ins (and their throttling) are keyed on the same address.
  const form = await fetch(`${plain.url}/login`);
  const csrfCookie = form.headers.getSetCookie().find((x) => x.startsWith('cxm_csrf=')).split(';')[0];
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())[1];
  const fail = await fetch(`${plain.url}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie,
      'x-forwarded-for': '203.0.113.8' },
    body: new URLSearchParams({ email: s.emails.other, password: 'not the password', csrf }).toString(),
  });
  assert.equal(fail.status, 401);
  await fail.arrayBuffer();
  e = (await api(a, s.tokens.admin, 'GET', '/api/v1/audit?action=sign-in-failed&limit=5')).body.entries[0];
  assert.equal(e?.client, '203.0.113.8');
});

test('cookies are Secure when the browser came to nginx over HTTPS', async () => {
  const form = await request(`${tlsUrl}/login`);
  assert.equal(form.status, 200);
  const csrfCookie = cookieOf(form, 'cxm_csrf');
  assert.ok(csrfCookie?.attrs.includes('secure'), `form cookie over TLS: ${csrfCookie?.raw}`);
  const csrf = /name="csrf" value="([^"]+)"/.exec(form.text.slice(form.text.indexOf('action="/login"')))[1];
  const body = new URLSearchParams({ email: s.emails.analyst, password: PASSWORD, csrf, next: '/account' }).toString();
  const signed = await request(`${tlsUrl}/login`, {
    method: 'POST', body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body),
      cookie: `cxm_csrf=${csrfCookie.value}` },
  });
  assert.equal(signed.status, 303, signed.text);
  const session = cookieOf(signed, 'cxm_session');
  assert.ok(session?.attrs.includes('secure'), `session cookie over TLS: ${session?.raw}`);
  assert.ok(session.attrs.includes('httponly'), session.raw);

  // The plain-HTTP door forwards "http": no Secure.
  const li = await login(plain, s.emails.analyst);
  assert.equal(li.status, 303);
  const raw = li.res.headers.getSetCookie().find((x) => x.startsWith('cxm_session='));
  assert.ok(!/;\s*secure/i.test(raw), `session cookie over plain HTTP: ${raw}`);

  // And directly: X-Forwarded-Proto from the trusted address is believed.
  const direct = await login({ url: a.url }, s.emails.analyst);
  const viaProto = await fetch(`${a.url}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https',
      cookie: `cxm_csrf=${direct.jar.cxm_csrf}` },
    body: new URLSearchParams({ email: s.emails.analyst, password: PASSWORD,
      csrf: direct.jar.cxm_csrf, next: '/account' }).toString(),
  });
  assert.equal(viaProto.status, 303);
  const raw2 = viaProto.headers.getSetCookie().find((x) => x.startsWith('cxm_session='));
  assert.match(raw2, /;\s*Secure/, raw2);
});

test('the audit event stream works through nginx, unbuffered', async () => {
  const st = await openStream(`${plain.url}/api/v1/audit/events`, { authorization: `Bearer ${s.tokens.admin}` });
  try {
    assert.equal(st.status, 200);
    assert.equal(st.headers.get('content-type'), 'text/event-stream');
    for (const name of ['Streamed through nginx 1', 'Streamed through nginx 2']) {
      const t0 = Date.now();
      const r = await api(plain, s.tokens.analyst, 'POST', '/api/v1/orgs',
        { name, kind: 'office', parent_id: s.ids.orgA });
      assert.equal(r.status, 201, r.text);
      const ev = await st.next((x) => x.json?.changes?.name === name, 2000);
      assert.equal(ev.event, 'audit');
      assert.equal(ev.json.object_id, r.body.id);
      assert.ok(Date.now() - t0 < 2000, `arrived in ${Date.now() - t0} ms`);
    }
  } finally {
    st.close();
  }
});

test('bodies over the limit get 413 through nginx', async () => {
  // 2 MiB: within nginx's backstop, refused by cxm with its JSON error.
  const shell = JSON.stringify({ name: '', kind: 'office' });
  const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024 - shell.length), kind: 'office' });
  assert.equal(big.length, 2 * 1024 * 1024);
  let r = await api(plain, s.tokens.admin, 'POST', '/api/v1/orgs', big);
  assert.equal(r.status, 413);
  assert.equal(r.body?.error?.code, 'too_large', r.text.slice(0, 200));
  // 3 MiB: nginx refuses it from the headers alone (no need to send the
  // body, which also spares the test a race with nginx's early answer), and
  // cxm never sees it.
  await sleep(200); // cxm logs a request after its answer has gone out
  const before0 = accessLines(a, 'POST', '/api/v1/orgs') + accessLines(b, 'POST', '/api/v1/orgs');
  const huge = await rawRequest(Number(new URL(plain.url).port), 'POST /api/v1/orgs HTTP/1.1\r\n' +
    `Host: ${SERVER_NAME}\r\nAuthorization: Bearer ${s.tokens.admin}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${3 * 1024 * 1024}\r\nConnection: close\r\n\r\n`, 1000);
  assert.equal(huge.status, 413, huge.text);
  assert.match(huge.body, /nginx/, 'the answer comes from nginx');
  await sleep(200);
  assert.equal(accessLines(a, 'POST', '/api/v1/orgs') + accessLines(b, 'POST', '/api/v1/orgs'), before0,
    'no cxm server read the 3 MiB body');
  // A body within the limits still passes.
  r = await api(plain, s.tokens.admin, 'POST', '/api/v1/orgs',
    { name: 'Small enough', kind: 'office', parent_id: s.ids.orgA, short_name: 'SE' });
  assert.equal(r.status, 201, r.text);
});

// A client that sends many forged X-Forwarded-For entries through nginx is
// still recorded (and throttled) under the address nginx saw.
test('a client cannot forge its address with a long X-Forwarded-For',
  async () => {
    const forged = Array.from({ length: 40 }, (_, i) => `198.51.100.${i + 1}`).join(', ');
    const body = JSON.stringify({ name: 'Forged long', kind: 'office', parent_id: s.ids.orgA });
    const f = await request(`${plain.url}/api/v1/orgs`, {
      method: 'POST', localAddress: '127.0.0.2', body,
      headers: { authorization: `Bearer ${s.tokens.analyst}`, 'content-type': 'application/json',
        'x-forwarded-for': forged, 'content-length': Buffer.byteLength(body) },
    });
    assert.equal(f.status, 201, f.text);
    const e = await auditEntry((x) => x.changes.name === 'Forged long', 'the long forged write');
    assert.equal(e.client, '127.0.0.2');
  });

// A stopping cxm closes its listening socket at once, so nginx moves on.
test('a stopping server refuses new connections at once, so nginx moves on',
  async () => {
    // An unfinished request keeps server c in its shutdown grace.
    const slow = await connect(c.port);
    slow.on('error', () => {});
    slow.write('POST /api/v1/orgs HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      'Content-Length: 100\r\n\r\n{');
    await sleep(100);
    c.proc.kill('SIGTERM');
    await c.waitForLog(/SIGTERM received/);
    const outcome = await new Promise((res) => {
      const sock = createConnection({ host: '127.0.0.1', port: c.port });
      const t = setTimeout(() => { sock.destroy(); res('accepted, but no answer within 1.5 s'); }, 1500);
      sock.on('connect', () => sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      sock.on('data', () => { clearTimeout(t); sock.destroy(); res('answered'); });
      sock.on('error', (err) => { clearTimeout(t); res(err.code); });
    });
    slow.destroy();
    assert.ok(['ECONNREFUSED', 'answered'].includes(outcome), `a new connection during shutdown: ${outcome}`);
  });

// Last: it stops server b.
test('with one cxm server stopped, requests through nginx keep succeeding', async () => {
  const li = await login(plain, s.emails.facilitator);
  assert.equal(li.status, 303);
  const done = await b.stop();
  assert.equal(done.code, 0, 'b stopped cleanly');
  for (let i = 0; i < 20; i++) {
    const h = await fetch(`${plain.url}/healthz`);
    assert.equal(h.status, 200, `healthz ${i}`);
    await h.arrayBuffer();
    const p = await page(plain, li.jar, '/account');
    assert.equal(p.status, 200, `page ${i}`);
    assert.ok(p.html.includes(s.emails.facilitator));
  }
  // A change that never reached the stopped server is passed on, too.
  const r = await api(plain, s.tokens.analyst, 'POST', '/api/v1/orgs',
    { name: 'After the stop', kind: 'office', parent_id: s.ids.orgA });
  assert.equal(r.status, 201, r.text);
});
