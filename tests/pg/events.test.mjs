// events.test.mjs: with PostgreSQL, an event raised on one server reaches streams on another.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, engine } from '../lib/server.mjs';
import { seed, api } from '../lib/fixtures.mjs';
import { openStream } from '../lib/sse.mjs';

let a;
let b;
let s;
before(async () => {
  assert.equal(engine, 'postgresql', 'tests/pg runs only in the PostgreSQL pass');
  a = await startServer();
  b = await startServer({ db: a.db, init: false });
  s = await seed(a);
});
after(async () => { await b?.stop(); await a?.stop(); });

test('a change made through one server is streamed by the other', async () => {
  const onB = await openStream(b.url + '/api/v1/audit/events', { authorization: `Bearer ${s.tokens.admin}` });
  const onA = await openStream(a.url + '/api/v1/audit/events', { authorization: `Bearer ${s.tokens.admin}` });
  assert.equal(onB.status, 200);
  const r = await api(a, s.tokens.analyst, 'POST', '/api/v1/orgs',
    { name: 'Raised on A', kind: 'office', parent_id: s.ids.orgA });
  assert.equal(r.status, 201);
  const pred = (e) => e.json?.changes?.name === 'Raised on A';
  const [evB, evA] = await Promise.all([onB.next(pred), onA.next(pred)]);
  assert.equal(evB.json.object_id, r.body.id);
  assert.equal(evA.json.id, evB.json.id, 'both servers saw the same audit entry');
  // And the other way round.
  const r2 = await api(b, s.tokens.analyst, 'PATCH', `/api/v1/orgs/${r.body.id}`, { short_name: 'ROA' });
  assert.equal(r2.status, 200);
  const back = await onA.next((e) => e.json?.changes?.short_name === 'ROA');
  assert.equal(back.json.action, 'update');
  onA.close(); onB.close();
});

test('a rolled-back change is not announced on any server', async () => {
  const onB = await openStream(b.url + '/api/v1/audit/events', { authorization: `Bearer ${s.tokens.admin}` });
  const dup = await api(a, s.tokens.admin, 'POST', '/api/v1/orgs',
    { name: 'Component B', kind: 'component', parent_id: s.ids.dept });
  assert.equal(dup.status, 409);
  const ok = await api(a, s.tokens.admin, 'PATCH', `/api/v1/services/${s.ids.serviceA}`, { description: 'marker' });
  assert.equal(ok.status, 200);
  const first = await onB.next((e) => e.event === 'audit');
  assert.equal(first.json.changes.description, 'marker');
  onB.close();
});
