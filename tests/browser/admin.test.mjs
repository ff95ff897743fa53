// admin.test.mjs: signing in and out, "My account", and the administration
// pages (organizations, services, users, audit log) in a real browser:
// keyboard-only form use, error summaries linked to their fields, navigation
// by role, API tokens shown once, axe (WCAG 2.1 AA) on every page an
// administrator can open, and no console errors or CSP violations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, withPage, checkA11y, assertNoConsoleErrors, login, seedData, PASSWORD,
} from './lib.mjs';

const env = setup();
let data; // seedData(): { ids, tokens, emails }

before(async () => {
  await env.start();
  data = await seedData(env);
});
after(env.stop);

/** Chromium logs a document's own non-2xx status as a console error. */
const statusOf = (code, path) => new RegExp(
  `status of ${code} \\(.*\\) \\(at http://127\\.0\\.0\\.1:\\d+${path.replace(/[?]/g, '\\$&')}\\)$`);

/** Opens path, asserts the HTTP status of the page it ends on. */
async function open(page, path, status = 200) {
  const resp = await page.goto(env.url + path);
  assert.equal(resp.status(), status, `GET ${path} (ended at ${page.url()})`);
  return resp;
}

const pathOf = (page) => { const u = new URL(page.url()); return u.pathname + u.search; };

/**
 * The focused element: its id, tag, whether it matches :focus-visible, and
 * whether a focus indicator is drawn (on it, or for USWDS checkboxes, whose
 * input is visually hidden, on its label's ::before box).
 */
function focusInfo(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    const drawn = (cs) => (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) ||
      cs.boxShadow !== 'none';
    let ring = drawn(getComputedStyle(a));
    if (a.type === 'checkbox' && a.labels?.[0])
      ring = ring || drawn(getComputedStyle(a.labels[0], '::before'));
    return {
      id: a.id, tag: a.tagName.toLowerCase(), type: a.type ?? '',
      text: (a.textContent || '').trim().slice(0, 40),
      visible: a.matches(':focus-visible'), ring,
    };
  });
}

/** Asserts that the element with this id has the keyboard focus, visibly. */
async function assertFocus(page, id, what = `#${id}`) {
  const f = await focusInfo(page);
  assert.equal(f.id, id, `${what} has focus (focus is on <${f.tag} id="${f.id}"> "${f.text}")`);
  assert.ok(f.visible, `${what} matches :focus-visible`);
  assert.ok(f.ring, `${what} shows a focus indicator`);
}

/** Presses Tab (or Shift+Tab) until the element with this id has focus. */
async function tabTo(page, id, { back = false, max = 60 } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focusInfo(page);
    if (f.id === id) return seen.length + 1;
    seen.push(f.id ? `#${f.id}` : `<${f.tag}> "${f.text}"`);
  }
  assert.fail(`${back ? 'Shift+Tab' : 'Tab'} never reached #${id}; stops: ${seen.join(', ')}`);
}

/** With a <select> focused, moves to the option with this value using the arrow keys. */
async function arrowToOption(page, value) {
  const s = await page.evaluate(() => {
    const el = document.activeElement;
    return el.tagName === 'SELECT' ? { from: el.selectedIndex, values: [...el.options].map((o) => o.value) } : null;
  });
  assert.ok(s, 'a <select> has focus');
  const to = s.values.indexOf(String(value));
  assert.ok(to >= 0, `option ${value} among ${s.values.join(',')}`);
  for (let i = s.from; i !== to; i += to > s.from ? 1 : -1)
    await page.keyboard.press(to > s.from ? 'ArrowDown' : 'ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement.value), String(value),
    `arrow keys selected option ${value}`);
}

/** Presses key and waits for the page whose URL path matches re to load. */
async function pressAndWait(page, key, re) {
  await Promise.all([
    page.waitForURL((u) => re.test(u.pathname + u.search), { waitUntil: 'load' }),
    page.keyboard.press(key),
  ]);
}

/** The link texts of a navigation landmark, and the header's Sign out button. */
async function navEntries(page, name) {
  const nav = page.getByRole('navigation', { name });
  assert.equal(await nav.count(), 1, `one "${name}" landmark`);
  return (await nav.getByRole('link').allInnerTexts()).map((s) => s.trim());
}

// Sign in --------------------------------------------------------------------

test('sign in: a protected page sends you to the form, which brings you back', (t) => withPage(t, env, async (page) => {
  await open(page, '/admin/users');
  assert.equal(pathOf(page), '/login?next=%2Fadmin%2Fusers', 'redirected to the sign-in form');
  assert.equal(await page.locator('h1').innerText(), 'Sign in');
  assert.equal(await page.getByRole('alert').count(), 0, 'no error before trying');
  assert.equal(await page.locator('input[name=next]').inputValue(), '/admin/users');
  await checkA11y(page);

  await page.getByLabel('Email address').fill(data.emails.admin);
  await page.getByLabel('Password').fill(PASSWORD);
  await pressAndWait(page, 'Enter', /^\/admin\/users$/);
  assert.equal(await page.locator('h1').innerText(), 'Users', 'landed on the next page');
  assert.ok(await page.getByRole('button', { name: 'Sign out' }).isVisible(), 'signed in');
  assertNoConsoleErrors(page);
}));

test('sign in: a wrong password shows the error summary and the form again', (t) => withPage(t, env, async (page) => {
  await open(page, '/login?next=%2Fservices');
  await page.getByLabel('Email address').fill(data.emails.admin);
  await page.getByLabel('Password').fill('not the password at all');
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByLabel('Password').press('Enter'),
  ]);
  await page.waitForLoadState('load');
  assert.equal(resp.status(), 401);
  const summary = page.getByRole('alert');
  assert.equal(await summary.count(), 1, 'one alert');
  assert.equal(await summary.getAttribute('id'), 'error-summary');
  assert.match(await summary.innerText(), /There is a problem/);
  assert.match(await summary.innerText(), /email address or password is not correct/);
  assert.equal(await page.getByLabel('Email address').inputValue(), data.emails.admin, 'email kept');
  assert.equal(await page.getByLabel('Password').inputValue(), '', 'password not echoed');
  assert.equal(await page.locator('input[name=next]').inputValue(), '/services', 'next kept');
  assert.equal(await page.getByRole('button', { name: 'Sign in' }).count(), 1, 'the form is back');
  await checkA11y(page);
  assertNoConsoleErrors(page, { allow: [statusOf(401, '/login')] });

  // and the right password from there still goes to `next`
  await page.getByLabel('Password').fill(PASSWORD);
  await pressAndWait(page, 'Enter', /^\/services$/);
  assert.equal(await page.locator('h1').innerText(), 'Services');
}));

// Keyboard-only forms --------------------------------------------------------

test('keyboard only: create an organization on /orgs', (t) => withPage(t, env, async (page) => {
  await login(page, env, { email: data.emails.admin, next: '/orgs' });
  assert.equal(pathOf(page), '/orgs');

  // skip link, then on into the form
  await page.keyboard.press('Tab');
  assert.equal((await focusInfo(page)).text, 'Skip to main content');
  await page.keyboard.press('Enter');
  await tabTo(page, 'f-name');
  await assertFocus(page, 'f-name', 'Name');
  await page.keyboard.type('Office of Keyboards');
  await page.keyboard.press('Tab');
  await assertFocus(page, 'f-short_name', 'Short name');
  await page.keyboard.type('OOK');
  await page.keyboard.press('Tab');
  await assertFocus(page, 'f-kind', 'Kind');
  assert.equal(await page.locator('#f-kind').inputValue(), 'component', 'Kind starts at Component');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('#f-kind').inputValue(), 'office', 'ArrowDown chose Office');
  await page.keyboard.press('Tab');
  await assertFocus(page, 'f-parent_id', 'Part of');
  await arrowToOption(page, data.ids.orgA);
  // back up to check the text fields kept what was typed, then forward again
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await assertFocus(page, 'f-short_name', 'Short name (Shift+Tab)');
  assert.equal(await page.locator('#f-short_name').inputValue(), 'OOK');
  await tabTo(page, 'f-parent_id');
  await page.keyboard.press('Tab');
  const f = await focusInfo(page);
  assert.equal(f.text, 'Add organization', 'Tab reaches the submit button');
  assert.ok(f.visible && f.ring, 'submit button shows focus');
  await pressAndWait(page, 'Enter', /^\/orgs\/\d+\?done=created$/);

  assert.equal(await page.locator('h1').innerText(), 'Office of Keyboards');
  const ok = page.getByRole('status').filter({ hasText: 'The organization was added.' });
  assert.equal(await ok.count(), 1, 'success alert');
  assert.ok(await ok.evaluate((el) => el.classList.contains('usa-alert--success')));
  const dl = page.locator('main dl');
  assert.match(await dl.innerText(), /Kind\s+office/);
  assert.match(await dl.innerText(), /Short name\s+OOK/);
  assert.equal(await dl.getByRole('link').innerText(), 'Component A', 'Part of Component A');
  assert.equal(await page.locator('#f-parent_id').inputValue(), String(data.ids.orgA), 'edit form agrees');
  await checkA11y(page);
  assertNoConsoleErrors(page);
}));

test('keyboard only: create a service on /services', (t) => withPage(t, env, async (page) => {
  await login(page, env, { email: data.emails.admin, next: '/services' });
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter'); // skip link
  await tabTo(page, 'f-org_id');
  await assertFocus(page, 'f-org_id', 'Organization');
  await arrowToOption(page, data.ids.orgB);
  await page.keyboard.press('Tab');
  await assertFocus(page, 'f-name', 'Name');
  await page.keyboard.type('Apply by keyboard');
  await page.keyboard.press('Tab');
  await assertFocus(page, 'f-description', 'Description');
  await page.keyboard.type('Forms that work without a mouse.');
  await page.keyboard.press('Tab');
  await assertFocus(page, 'channel-website', 'Website checkbox');
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#channel-website').isChecked(), true, 'Space ticks Website');
  await tabTo(page, 'channel-phone');
  await assertFocus(page, 'channel-phone', 'Phone checkbox');
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#channel-phone').isChecked(), true, 'Space ticks Phone');
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#channel-phone').isChecked(), false, 'Space unticks it');
  await page.keyboard.press('Space');
  await tabTo(page, 'f-hisp');
  await assertFocus(page, 'f-hisp', 'HISP checkbox');
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#f-hisp').isChecked(), true, 'Space ticks HISP');
  await page.keyboard.press('Tab');
  await assertFocus(page, 'f-annual_customers', 'Customers a year');
  await page.keyboard.type('25000');
  await pressAndWait(page, 'Enter', /^\/services\/\d+\?done=created$/);

  assert.equal(await page.locator('h1').innerText(), 'Apply by keyboard');
  assert.equal(await page.getByRole('status').filter({ hasText: 'The service was added.' }).count(), 1);
  const dl = await page.locator('main dl').innerText();
  assert.match(dl, /Organization\s+Component B/);
  assert.match(dl, /Description\s+Forms that work without a mouse\./);
  assert.match(dl, /Channels\s+Website, Phone/);
  assert.match(dl, /High Impact Service Provider\s+Yes/);
  assert.match(dl, /Estimated customers a year\s+25000/);
  await checkA11y(page);
  assertNoConsoleErrors(page);
}));

test('form errors: summary and field errors linked to their fields; axe clean', (t) => withPage(t, env, async (page) => {
  await login(page, env, { email: data.emails.admin, next: '/services' });
  // An empty required name never leaves the browser ...
  await page.locator('#f-org_id').selectOption(String(data.ids.orgA));
  let posted = 0;
  page.on('request', (r) => { if (r.method() === 'POST') posted++; });
  await page.locator('#f-name').focus();
  await page.keyboard.press('Enter');
  await page.waitForTimeout(200);
  assert.equal(posted, 0, 'native validation kept the form from being sent');
  assert.equal(pathOf(page), '/services');
  assert.equal(await page.locator('#f-name').evaluate((el) => el.validity.valueMissing), true);

  // ... a name of spaces does, and the server rejects it with a bad count too
  await page.locator('#f-name').fill('   ');
  await page.locator('#f-annual_customers').fill('-5');
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.locator('#f-annual_customers').press('Enter'),
  ]);
  await page.waitForLoadState('load');
  assert.equal(resp.status(), 422);
  assert.equal(pathOf(page), '/services');

  const summary = page.locator('#error-summary');
  assert.equal(await summary.getAttribute('role'), 'alert');
  assert.match(await summary.innerText(), /There is a problem/);
  for (const [field, msg] of [['name', /is required/], ['annual_customers', /whole number/]]) {
    const id = `f-${field}`;
    const link = summary.locator(`a[href="#${id}"]`);
    assert.equal(await link.count(), 1, `summary links to #${id}`);
    assert.match(await link.innerText(), msg);
    const input = page.locator(`#${id}`);
    assert.equal(await input.count(), 1, `#${id} exists`);
    const describedBy = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/);
    assert.ok(describedBy.includes(`${id}-error`), `#${id} aria-describedby "${describedBy.join(' ')}" names ${id}-error`);
    const err = page.locator(`#${id}-error`);
    assert.match(await err.innerText(), msg, `#${id}-error says what is wrong`);
    assert.ok(await input.evaluate((el) => el.classList.contains('usa-input--error')), `#${id} marked as in error`);
    assert.ok(await page.locator(`label[for="${id}"]`).evaluate((el) => el.classList.contains('usa-label--error')));
    const described = await input.evaluate((el) => el.getAttribute('aria-describedby').split(/\s+/)
      .map((x) => document.getElementById(x)?.textContent ?? '').join(' '));
    assert.match(described, msg, 'the error is in the accessible description');
  }
  assert.equal(await page.locator('#f-org_id').inputValue(), String(data.ids.orgA), 'choices kept');
  await checkA11y(page);

  // following the summary's link with the keyboard lands in the field
  await summary.locator('a[href="#f-name"]').focus();
  await page.keyboard.press('Enter');
  await assertFocus(page, 'f-name', 'Name (from the error summary)');
  assertNoConsoleErrors(page, { allow: [statusOf(422, '/services')] });
}));

test('form errors: the summary names each field by its visible label', (t) => withPage(t, env, async (page) => {
  await login(page, env, { email: data.emails.admin, next: '/services' });
  await page.locator('#f-org_id').selectOption(String(data.ids.orgA));
  await page.locator('#f-name').fill('   ');
  await page.locator('#f-annual_customers').fill('-5');
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.locator('#f-annual_customers').press('Enter'),
  ]);
  await page.waitForLoadState('load');
  // WCAG 3.3.1: the item in error is identified in text a person can match to
  // the form, i.e. by its label, not by the form's internal field name.
  for (const a of await page.locator('#error-summary a').all()) {
    const id = (await a.getAttribute('href')).slice(1);
    const label = (await page.locator(`label[for="${id}"]`).evaluate((el) =>
      el.firstChild.textContent)).trim();
    const text = (await a.innerText()).trim();
    assert.ok(text.startsWith(label), `summary link "${text}" names the field as "${label}"`);
  }
}));

// Every page -----------------------------------------------------------------

test('axe and console: every page an administrator can open', (t) => withPage(t, env, async (page) => {
  await login(page, env, { email: data.emails.admin, next: '/' });
  const { ids } = data;
  const pages = ['/', '/login', '/account', '/orgs', `/orgs/${ids.dept}`, `/orgs/${ids.officeA}`,
    '/services', `/services/${ids.serviceA}`, `/services/${ids.serviceB}`, '/admin/users',
    `/admin/users/${ids.viewer}`, '/admin/users/1', '/admin/audit',
    '/admin/audit?action=sign-in&object_type=user'];
  for (const path of pages) {
    await open(page, path);
    assert.equal(await page.locator('main h1').count(), 1, `${path}: one h1 in main`);
    assert.match(await page.title(), / \| cxm$/, `${path}: title`);
    await checkA11y(page);
    assertNoConsoleErrors(page);
  }
}));

test('axe and console: a viewer\'s pages, with no forms to change things', (t) => withPage(t, env, async (page) => {
  await login(page, env, { email: data.emails.viewer, next: '/orgs' });
  for (const path of ['/orgs', `/orgs/${data.ids.orgA}`, '/services', `/services/${data.ids.serviceA}`, '/account']) {
    await open(page, path);
    await checkA11y(page);
    assertNoConsoleErrors(page);
    if (path !== '/account')
      assert.equal(await page.locator('main form[method=post]').count(), 0, `${path}: no create/edit/delete forms`);
  }
  await open(page, '/orgs');
  const orgs = await page.locator('main table a').allInnerTexts();
  assert.ok(orgs.includes('Component A') && orgs.includes('Office A1'), `sees its own organizations: ${orgs}`);
  assert.ok(!orgs.includes('Department of Tests') && !orgs.includes('Component B'),
    `sees no others: ${orgs}`);
  await open(page, '/admin/users', 403);
  await checkA11y(page);
  assertNoConsoleErrors(page, { allow: [statusOf(403, '/admin/users')] });
}));

// Navigation -----------------------------------------------------------------

test('navigation: entries by role, in the header and the footer', (t) => withPage(t, env, async (page) => {
  const expect = async (who, links, signOut) => {
    await open(page, '/');
    assert.deepEqual(await navEntries(page, 'Primary navigation'), links, `${who}: header navigation`);
    assert.deepEqual(await navEntries(page, 'Footer navigation'), links, `${who}: footer navigation`);
    assert.equal(await page.getByRole('navigation', { name: 'Primary navigation' })
      .getByRole('button', { name: 'Sign out' }).count(), signOut ? 1 : 0, `${who}: Sign out button`);
  };
  await expect('anonymous', ['Home', 'Sign in'], false);
  await login(page, env, { email: data.emails.viewer });
  await expect('viewer', ['Home', 'Organizations', 'Services', 'My account'], true);
  await page.context().clearCookies();
  await login(page, env, { email: data.emails.admin });
  await expect('admin', ['Home', 'Organizations', 'Services', 'Users', 'Audit log', 'My account'], true);

  // the current page is marked in the header
  await open(page, '/admin/audit');
  const current = page.getByRole('navigation', { name: 'Primary navigation' }).locator('[aria-current=page]');
  assert.equal(await current.innerText(), 'Audit log');
  // the footer list is there for narrow screens without JavaScript
  await page.setViewportSize({ width: 375, height: 667 });
  const footer = page.getByRole('navigation', { name: 'Footer navigation' });
  assert.ok(await footer.getByRole('link', { name: 'Users' }).isVisible(), 'footer link visible on a phone');
  assertNoConsoleErrors(page);
}));

// Sign out -------------------------------------------------------------------

test('sign out: the header button returns to the sign-in page', (t) => withPage(t, env, async (page) => {
  await login(page, env, { email: data.emails.facilitator, next: '/account' });
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/login', { waitUntil: 'load' }),
    page.getByRole('button', { name: 'Sign out' }).click(),
  ]);
  assert.equal(pathOf(page), '/login?signed_out=1');
  const status = page.getByRole('status').filter({ hasText: 'You have signed out.' });
  assert.equal(await status.count(), 1, '"You have signed out" message');
  assert.deepEqual(await navEntries(page, 'Primary navigation'), ['Home', 'Sign in']);
  await checkA11y(page);
  await open(page, '/account');
  assert.equal(pathOf(page), '/login?next=%2Faccount', '/account now asks to sign in');
  assertNoConsoleErrors(page);
}));

// API tokens -----------------------------------------------------------------

test('API token: created on /account, shown once', (t) => withPage(t, env, async (page) => {
  await login(page, env, { email: data.emails.analyst, next: '/account' });
  assert.equal(await page.locator('#new-token').count(), 0);
  await page.getByLabel('Token name').fill('Shown once');
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByLabel('Token name').press('Enter'),
  ]);
  await page.waitForLoadState('load');
  const shown = page.locator('#new-token');
  assert.equal(await shown.count(), 1, 'the new token is shown');
  const token = (await shown.innerText()).trim();
  assert.match(token, /^cxm_[A-Za-z0-9_-]{43}$/);
  assert.equal(await page.getByRole('cell', { name: 'Shown once' }).count(), 1, 'listed by name');
  await checkA11y(page);
  assertNoConsoleErrors(page);

  const me = await fetch(`${env.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200, 'the token works');
  assert.equal((await me.json()).email, data.emails.analyst);

  await open(page, '/account');
  assert.equal(await page.locator('#new-token').count(), 0, 'not shown when the account page is opened again');
  assert.equal((await page.content()).includes(token), false, 'the token text is nowhere on the page');
  assert.equal(await page.getByRole('cell', { name: 'Shown once' }).count(), 1);
}));

test('API token: reloading the page that showed it neither shows it nor makes another', (t) => withPage(t, env, async (page) => {
  await login(page, env, { email: data.emails.other, next: '/account' });
  await page.getByLabel('Token name').fill('Reload me');
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    page.getByLabel('Token name').press('Enter'),
  ]);
  await page.waitForLoadState('load');
  const token = (await page.locator('#new-token').innerText()).trim();
  assert.match(token, /^cxm_/);

  await page.reload();
  assert.equal(await page.getByRole('cell', { name: 'Reload me' }).count(), 1,
    `reloading ${pathOf(page)} must not send the form again and create a second token`);
  assert.equal((await page.content()).includes(token), false, 'the token is not shown again');
  assert.equal(await page.locator('#new-token').count(), 0, 'no token is shown after a reload');
}));
