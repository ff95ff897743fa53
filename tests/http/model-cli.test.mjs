// model-cli.test.mjs: `cxm model validate`: exit statuses, FILE:LINE:COLUMN
// problems on stderr, the ok line on stdout, several files at once (no HTTP).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCxm } from '../lib/server.mjs';

const models = join(import.meta.dirname, '..', 'data', 'models');
const good = join(models, 'good', 'example.yaml');
const bad = (name) => join(models, 'bad', `${name}.yaml`);

test('a valid model prints its ok line and exits 0', () => {
  const r = runCxm(['model', 'validate', good]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${good}: ok (example@1.0.0, 3 functions, 11 indicators)\n`);
  assert.equal(r.stderr, '');
});

test('a broken model prints FILE:LINE:COLUMN: message for every problem and exits 1', () => {
  const file = bad('many-errors');
  const r = runCxm(['model', 'validate', file]);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 5, r.stderr);
  for (const l of lines) assert.ok(l.startsWith(`${file}:`), l);
  assert.ok(lines.includes(`${file}:1:5: id: must be lowercase letters, digits and '-' (found 'X')`), r.stderr);
  assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:29:16: functions\\[0\\]\\.indicators\\[0\\]\\.level: level must be between 2 and 3`));
  assert.match(r.stderr, /:35:16: functions\[0\]\.indicators\[1\]\.scale: unknown scale 'nope'/);
  assert.match(r.stderr, /:39:16: .*unknown phase 'soon'/);
});

test('a YAML syntax error has its line and column', () => {
  const r = runCxm(['model', 'validate', bad('syntax-error')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /syntax-error\.yaml:29:\d+: YAML syntax error: /);
});

test('several files: each is reported, and one bad file makes the exit status 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxm-model-'));
  try {
    const missing = join(dir, 'missing.yaml');
    const r = runCxm(['model', 'validate', good, bad('unknown-scale'), missing, good]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout.trim().split('\n').length, 2);
    assert.match(r.stderr, /unknown-scale\.yaml:35:16: .*unknown scale 'yes-maybe'/);
    assert.match(r.stderr, new RegExp(`${missing.replace(/[.]/g, '\\.')}: No such file`));

    const empty = join(dir, 'empty.yaml');
    writeFileSync(empty, '');
    const r2 = runCxm(['model', 'validate', empty]);
    assert.equal(r2.status, 1);
    assert.match(r2.stderr, /empty\.yaml:0:0: the document is empty/);

    const r3 = runCxm(['model', 'validate', good, good]);
    assert.equal(r3.status, 0);
    assert.equal(r3.stdout.trim().split('\n').length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('usage: --help, no subcommand, unknown subcommand, no file', () => {
  const h = runCxm(['model', '--help']);
  assert.equal(h.status, 0);
  assert.match(h.stdout, /cxm model validate FILE/);
  const h2 = runCxm(['model', 'validate', '--help']);
  assert.equal(h2.status, 0);
  assert.match(h2.stdout, /Usage: cxm model validate/);
  const none = runCxm(['model']);
  assert.equal(none.status, 2);
  for (const sub of ['import', 'list', 'show', 'export']) {
    const r = runCxm(['model', sub, 'x']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /the only one is 'validate'/);
  }
  const nofile = runCxm(['model', 'validate']);
  assert.equal(nofile.status, 2);
  const opt = runCxm(['model', 'validate', '--nope', good]);
  assert.equal(opt.status, 2);
  const top = runCxm(['--help']);
  assert.match(top.stdout, /model/);
});
