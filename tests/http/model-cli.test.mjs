// model-cli.test.mjs: `cxm model validate`: exit statuses, FILE:LINE:COLUMN
// problems on stderr, the ok line on stdout, several files at once; and
// import, list, show and export of immutable model versions in the
// database of the engine under test (no HTTP).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCxm, tempDatabase } from '../lib/server.mjs';

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
  const unknown = runCxm(['model', 'nope', 'x']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /one of validate, import, list, show, export/);
  for (const sub of ['import', 'show', 'export']) {
    const r = runCxm(['model', sub]);
    assert.equal(r.status, 2, `${sub}: ${r.stderr}`);
  }
  const fmt = runCxm(['model', 'export', 'x', '--format', 'xml']);
  assert.equal(fmt.status, 2);
  const h3 = runCxm(['model', 'import', '--help']);
  assert.equal(h3.status, 0);
  assert.match(h3.stdout, /cxm model export ID\[@VERSION\]/);
  const nofile = runCxm(['model', 'validate']);
  assert.equal(nofile.status, 2);
  const opt = runCxm(['model', 'validate', '--nope', good]);
  assert.equal(opt.status, 2);
  const top = runCxm(['--help']);
  assert.match(top.stdout, /model/);
});

test('import, list, show and export stored model versions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxm-model-db-'));
  const t = tempDatabase(dir);
  const cxm = (...args) => runCxm(['model', ...args, '--db', t.db]);
  try {
    const text = readFileSync(good, 'utf8');
    const imp = cxm('import', good);
    assert.equal(imp.status, 0, imp.stderr);
    assert.equal(imp.stdout, 'Imported example@1.0.0\n');

    const list = cxm('list');
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^example\s+1\.0\.0\s+Example CX maturity model\s+3\s+11\s+\d{4}-/m);

    const again = cxm('import', good);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /example@1\.0\.0 is already imported \(identical\)/);

    const changed = join(dir, 'changed.yaml');
    writeFileSync(changed, text.replace(/^title: .*$/m, 'title: Changed title'));
    const conflict = cxm('import', changed);
    assert.equal(conflict.status, 1);
    assert.equal(conflict.stdout, '');
    assert.match(conflict.stderr,
      /model example version 1\.0\.0 exists with different content; give it a new version/);

    const v19 = join(dir, 'v19.yaml');
    const v110 = join(dir, 'v110.yaml');
    writeFileSync(v110, text.replace(/^version: .*$/m, 'version: 1.10.0'));
    writeFileSync(v19, text.replace(/^version: .*$/m, 'version: 1.9.0'));
    for (const [f, v] of [[v110, '1.10.0'], [v19, '1.9.0']]) {
      const r = cxm('import', f);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `Imported example@${v}\n`);
    }
    const list2 = cxm('list');
    assert.equal(list2.stdout.trim().split('\n').filter((l) => l.startsWith('example ')).length, 3);

    const show = cxm('show', 'example');
    assert.equal(show.status, 0, show.stderr);
    assert.match(show.stdout, /^Example CX maturity model$/m);
    assert.match(show.stdout, /version:\s+1\.10\.0/);
    assert.match(show.stdout, /Ad hoc/);
    assert.match(show.stdout, /leadership: Leadership and ownership \(4 indicators; level 2: 1/);
    const show1 = cxm('show', 'example@1.0.0');
    assert.equal(show1.status, 0, show1.stderr);
    assert.match(show1.stdout, /version:\s+1\.0\.0/);

    const yaml = runCxm(['model', 'export', 'example@1.0.0', '--db', t.db], { encoding: 'buffer' });
    assert.equal(yaml.status, 0, String(yaml.stderr));
    assert.ok(Buffer.compare(yaml.stdout, readFileSync(good)) === 0, 'export yaml is the file byte for byte');
    const latest = cxm('export', 'example', '--format', 'yaml');
    assert.equal(latest.stdout, readFileSync(v110, 'utf8'));

    const json = cxm('export', 'example@1.0.0', '--format', 'json');
    assert.equal(json.status, 0, json.stderr);
    const m = JSON.parse(json.stdout);
    assert.equal(m.id, 'example');
    assert.equal(m.version, '1.0.0');
    assert.equal(m.functions.length, 3);
    assert.equal(m.functions.reduce((n, f) => n + f.indicators.length, 0), 11);
    assert.equal(m.levels.length, 5);
    assert.ok(m.scales.length > 0 && m.scales[0].options.length > 0);
    assert.equal(typeof m.scoring.method, 'string');

    const file = bad('many-errors');
    const b = cxm('import', file);
    assert.equal(b.status, 1);
    assert.equal(b.stdout, '');
    const lines = b.stderr.trim().split('\n');
    assert.equal(lines.length, 5, b.stderr);
    for (const l of lines) assert.match(l, new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+:\\d+: `));

    for (const spec of ['nope', 'example@9.9.9']) {
      for (const sub of ['show', 'export']) {
        const r = cxm(sub, spec);
        assert.equal(r.status, 1, `${sub} ${spec}`);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /no model .* is imported/);
      }
    }
  } finally {
    t.drop();
    rmSync(dir, { recursive: true, force: true });
  }
});
