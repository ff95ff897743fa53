// models.test.mjs: the models API: import YAML or JSON, versions are immutable,
// every problem is reported with path, line and column, and reading needs a sign-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../lib/server.mjs';
import { seed, api } from '../lib/fixtures.mjs';

const root = join(import.meta.dirname, '..', '..');
const example = readFileSync(join(root, 'tests', 'data', 'models', 'good', 'example.yaml'), 'utf8');
const YAML = { 'content-type': 'application/yaml' };
let srv;
let s;
before(async () => { srv = await startServer(); s = await seed(srv); });
after(async () => { await srv.stop(); });

test('an empty list, then an import is listed and readable as JSON', async () => {
  let r = await api(srv, s.tokens.viewer, 'GET', '/api/v1/models');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.models, []);
  r = await api(srv, s.tokens.admin, 'POST', '/api/v1/models', example, YAML);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.id, 'example');
  assert.equal(r.body.version, '1.0.0');
  assert.equal(r.headers.get('location'), '/api/v1/models/example?version=1.0.0');
  r = await api(srv, s.tokens.viewer, 'GET', '/api/v1/models');
  assert.equal(r.body.models.length, 1);
  assert.equal(r.body.models[0].functions, 3);
  assert.equal(r.body.models[0].indicators, 11);
  r = await api(srv, s.tokens.viewer, 'GET', '/api/v1/models/example');
  assert.equal(r.status, 200);
  assert.equal(r.body.id, 'example');
  assert.equal(r.body.functions.length, 3);
  assert.equal(r.body.functions.reduce((n, f) => n + f.indicators.length, 0), 11);
});

test('identical content is accepted again without a new version; changed content is 409', async () => {
  let r = await api(srv, s.tokens.admin, 'POST', '/api/v1/models', example, YAML);
  assert.equal(r.status, 200);
  assert.equal(r.body.already_imported, true);
  const changed = example.replace(/^title: .*$/m, 'title: "Something else"');
  assert.notEqual(changed, example);
  r = await api(srv, s.tokens.admin, 'POST', '/api/v1/models', changed, YAML);
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'conflict');
  const next = changed.replace(/^version: .*$/m, 'version: "1.10.0"');
  r = await api(srv, s.tokens.admin, 'POST', '/api/v1/models', next, YAML);
  assert.equal(r.status, 201, r.text);
  r = await api(srv, s.tokens.viewer, 'GET', '/api/v1/models/example');
  assert.equal(r.body.version, '1.10.0', 'the newest version by semver');
  r = await api(srv, s.tokens.viewer, 'GET', '/api/v1/models/example?version=1.0.0');
  assert.equal(r.body.title, JSON.parse(JSON.stringify(r.body.title)));
  assert.notEqual(r.body.title, 'Something else', 'old versions never change');
});

test('a broken model is 422 with every problem located', async () => {
  const broken = example
    .replace(/^version: .*$/m, 'version: "2.0.0"')
    .replace('weight: 0.5 }', 'weight: 7 }')
    .replace(/^id: .*$/m, 'id: Not An Id');
  const r = await api(srv, s.tokens.admin, 'POST', '/api/v1/models', broken, YAML);
  assert.equal(r.status, 422, r.text);
  assert.equal(r.body.error.code, 'invalid');
  assert.ok(r.body.error.details.length >= 2, JSON.stringify(r.body.error.details));
  for (const d of r.body.error.details) {
    assert.ok(d.line >= 1 && d.column >= 1, JSON.stringify(d));
    assert.equal(typeof d.path, 'string');
    assert.ok(d.message.length > 0);
  }
  assert.ok(r.body.error.details.some((d) => d.path === 'id'));
  assert.ok(r.body.error.details.some((d) => /weight/.test(d.path)));
});

test('JSON is accepted too; other media types are 415; an empty body is 400', async () => {
  const json = JSON.stringify({ id: 'tiny' });
  let r = await api(srv, s.tokens.admin, 'POST', '/api/v1/models', json, { 'content-type': 'application/json' });
  assert.equal(r.status, 422, 'parsed as a model and found incomplete');
  assert.ok(r.body.error.details.some((d) => /version/.test(d.message)));
  r = await api(srv, s.tokens.admin, 'POST', '/api/v1/models', example, { 'content-type': 'text/plain' });
  assert.equal(r.status, 415);
  r = await api(srv, s.tokens.admin, 'POST', '/api/v1/models', '', YAML);
  assert.equal(r.status, 400);
});

test('only administrators import; reading needs a sign-in; unknown ids are 404', async () => {
  for (const who of ['viewer', 'facilitator', 'analyst']) {
    const r = await api(srv, s.tokens[who], 'POST', '/api/v1/models', example, YAML);
    assert.equal(r.status, 403, who);
  }
  assert.equal((await api(srv, null, 'GET', '/api/v1/models')).status, 401);
  assert.equal((await api(srv, s.tokens.viewer, 'GET', '/api/v1/models/nope')).status, 404);
  assert.equal((await api(srv, s.tokens.viewer, 'GET', '/api/v1/models/example?version=9.9.9')).status, 404);
});
