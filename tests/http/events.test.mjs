// events.test.mjs: the live audit stream: committed changes arrive, refused ones never do,
// only administrators may listen, and streams end cleanly when the server stops.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { seed, api } from '../lib/fixtures.mjs';
import { openStream } from '../lib/sse.mjs';

let srv;
let s;
before(async () => { srv = await startServer(); s = await seed(srv); });
after(async () => { await srv.stop(); });

const auth = (who) => ({ authorization: `Bearer ${s.tokens[who]}` });

test('an administrator receives committed changes as server-sent events', async () => {
  const st = await openStream(srv.url + '/api/v1/audit/events', auth('admin'));
  assert.equal(st.status, 200);
  assert.equal(st.headers.get('content-type'), 'text/event-stream');
  assert.equal(st.headers.get('cache-control'), 'no-store');
  const r = await api(srv, s.tokens.analyst, 'POST', '/api/v1/orgs',
    { name: 'Streamed Office', kind: 'office', parent_id: s.ids.orgA });
  assert.equal(r.status, 201);
  const ev = await st.next((e) => e.json?.changes?.name === 'Streamed Office');
  assert.equal(ev.event, 'audit');
  assert.equal(ev.json.action, 'create');
  assert.equal(ev.json.object_type, 'org');
  assert.equal(ev.json.object_id, r.body.id);
  assert.equal(ev.json.actor, 'analyst@test.example');
  assert.equal(ev.json.via, 'api');
  st.close();
});

test('a refused change raises no event; the next committed one does', async () => {
  const st = await openStream(srv.url + '/api/v1/audit/events', auth('admin'));
  // Duplicate sibling name: 409, rolled back, so nothing may be announced.
  const dup = await api(srv, s.tokens.admin, 'POST', '/api/v1/orgs',
    { name: 'Component A', kind: 'component', parent_id: s.ids.dept });
  assert.equal(dup.status, 409);
  const ok = await api(srv, s.tokens.admin, 'PATCH', `/api/v1/services/${s.ids.serviceB}`,
    { description: 'after the refused one' });
  assert.equal(ok.status, 200);
  const ev = await st.next((e) => e.event === 'audit');
  assert.equal(ev.json.object_type, 'service', 'the first event is the committed update');
  assert.equal(ev.json.changes.description, 'after the refused one');
  assert.ok(!st.events.some((e) => e.json?.changes?.name === 'Component A' && e.json.action === 'create'));
  st.close();
});

test('every listener gets the event', async () => {
  const a = await openStream(srv.url + '/api/v1/audit/events', auth('admin'));
  const b = await openStream(srv.url + '/api/v1/audit/events', auth('admin'));
  const r = await api(srv, s.tokens.facilitator, 'POST', '/api/v1/services',
    { org_id: s.ids.officeA, name: 'Twice heard' });
  assert.equal(r.status, 201);
  const pred = (e) => e.json?.changes?.name === 'Twice heard';
  await Promise.all([a.next(pred), b.next(pred)]);
  a.close(); b.close();
});

test('only administrators may listen', async () => {
  for (const who of ['viewer', 'facilitator', 'analyst', 'other']) {
    const r = await api(srv, s.tokens[who], 'GET', '/api/v1/audit/events');
    assert.equal(r.status, 403, who);
  }
  const anon = await api(srv, null, 'GET', '/api/v1/audit/events');
  assert.equal(anon.status, 401);
});

test('a stream ends cleanly when the server stops, which then exits 0', async () => {
  const own = await startServer();
  const o = await seed(own);
  const st = await openStream(own.url + '/api/v1/audit/events', { authorization: `Bearer ${o.tokens.admin}` });
  assert.equal(st.status, 200);
  const t0 = Date.now();
  const { code } = await own.stop();
  assert.equal(code, 0);
  await st.whenEnded;
  assert.ok(Date.now() - t0 < 5000, 'the open stream did not hold up the shutdown');
});
