// lib.mjs: shared helpers for the browser suite: one cxm server and one
// headless Chromium per test file, a fresh context and page per test, axe
// accessibility checks, console/CSP/request error collection and failure
// screenshots.
//
// Typical test file:
//   const env = setup();
//   before(env.start);
//   after(env.stop);
//   test('home', (t) => withPage(t, env, async (page) => {
//     await page.goto(env.url + '/');
//     await checkA11y(page);
//     assertNoConsoleErrors(page);
//   }));
//
// Signing in: login(page, env.url, { email, password }) drives the /login form
// on a page from withPage().  Every test gets its own browser context (its own
// cookies), so a test that needs a session simply calls login() first.  Test
// data: seedData(env) (after env.start) adds the fixture department, services
// and users of every role (tests/lib/fixtures.mjs); their password is PASSWORD.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer } from '../lib/server.mjs';
import { seed, PASSWORD } from '../lib/fixtures.mjs';

/** Re-exported: starts `cxm serve` on a free port with a throwaway database. */
export { startServer };

/** Re-exported: the password of every user seedData() adds. */
export { PASSWORD };

const root = resolve(import.meta.dirname, '..', '..');

/** Where failure screenshots go: build/test-results/. */
export const resultsDir = join(root, 'build', 'test-results');

/** The WCAG levels every page must meet. */
export const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Default time limit (ms) for each Playwright action and navigation. */
export const ACTION_TIMEOUT = 10_000;

/** Launches Debian's headless Chromium (never downloads one). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CXM_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    timeout: 30_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      '--disable-quic'],
  });
}

/**
 * One server and one browser per test file.  Returns env with start() and
 * stop() for node:test before()/after(); after start(), env.server,
 * env.browser and env.url are set.  stop() is safe to call even when start()
 * failed half-way.  serverOptions go to startServer().
 */
export function setup(serverOptions = {}) {
  const env = {
    server: null,
    browser: null,
    get url() { return env.server.url; },
    async start() {
      env.server = await startServer(serverOptions);
      env.browser = await launchBrowser();
    },
    async stop() {
      const b = env.browser, s = env.server;
      env.browser = null;
      env.server = null;
      try { if (b) await b.close(); } finally { if (s) await s.stop(); }
    },
  };
  return env;
}

/**
 * Runs fn(page, context) on a fresh browser context and page, with error
 * collection on; on failure saves a screenshot, then rethrows; always closes
 * the context.  contextOptions go to browser.newContext() (viewport,
 * javaScriptEnabled, ...).  env is setup()'s result or a Browser.
 */
export async function withPage(t, env, fn, contextOptions = {}) {
  const browser = env.browser ?? env;
  const context = await browser.newContext(contextOptions);
  try {
    context.setDefaultTimeout(ACTION_TIMEOUT);
    await trackCsp(context);
    const page = await context.newPage();
    trackErrors(page);
    try {
      return await fn(page, context);
    } catch (err) {
      await screenshotOnFailure(t, page);
      throw err;
    }
  } finally {
    await context.close();
  }
}

/**
 * Saves a full-page PNG of page to build/test-results/<file>-<test name>.png
 * and reports its path as a test diagnostic.  Call it when the test has
 * failed (withPage does).  Never throws: a crashed page must not hide the
 * test's own error.  Returns the path, or null.
 */
export async function screenshotOnFailure(t, page) {
  const clean = (s) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  const file = basename(t.filePath ?? process.argv[1] ?? 'browser', '.mjs')
    .replace(/\.test$/, '');
  const path = join(resultsDir, `${clean(file)}-${clean(t.name)}.png`);
  try {
    mkdirSync(resultsDir, { recursive: true });
    await page.screenshot({ path, fullPage: true, timeout: 5_000 });
    t.diagnostic(`screenshot: ${path}`);
    return path;
  } catch (e) {
    t.diagnostic(`screenshot failed: ${e.message}`);
    return null;
  }
}

// Errors seen per page: strings such as "console.error: ... (at URL)".
const seen = new WeakMap();

function record(page, msg) {
  if (!seen.has(page)) seen.set(page, []);
  seen.get(page).push(msg);
}

/**
 * Starts collecting page's console errors, uncaught exceptions and failed
 * requests (withPage calls it).  Chromium reports Content-Security-Policy
 * violations as console errors ("Refused to ..."), so they are caught too.
 * Aborted requests (net::ERR_ABORTED, e.g. a favicon cut off by the next
 * navigation) are not errors.
 */
export function trackErrors(page) {
  if (seen.has(page)) return;
  seen.set(page, []);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'assert')
      record(page, `console.${m.type()}: ${m.text()} (at ${m.location().url || '?'})`);
  });
  page.on('pageerror', (e) => record(page, `uncaught exception: ${e.message}`));
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '?';
    if (why !== 'net::ERR_ABORTED') record(page, `request failed: ${r.method()} ${r.url()}: ${why}`);
  });
}

/**
 * Also reports every securitypolicyviolation event of pages in context as
 * "csp violation: ..." (withPage calls it).  Belt and braces with the
 * console: this one names the directive and the blocked resource.
 */
export async function trackCsp(context) {
  await context.exposeBinding('__cxmCspViolation', ({ page }, v) =>
    record(page, `csp violation: ${v.directive} blocked ${v.blocked} (at ${v.url})`));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cxmCspViolation({ directive: e.effectiveDirective,
        blocked: e.blockedURI || '(inline)', url: e.documentURI });
    });
  });
}

/** The errors collected so far on page (a copy). */
export function consoleErrors(page) {
  return [...(seen.get(page) ?? [])];
}

/**
 * Fails, listing them, if page has logged console errors, uncaught
 * exceptions, CSP violations or failed requests.  allow: RegExps for
 * expected entries (e.g. the 404 of a page that is meant to be missing).
 */
export function assertNoConsoleErrors(page, { allow = [] } = {}) {
  const bad = consoleErrors(page).filter((e) => !allow.some((re) => re.test(e)));
  if (bad.length)
    assert.fail(`${bad.length} browser error(s) on ${page.url()}:\n  ${bad.join('\n  ')}`);
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on page's current state and
 * fails, listing each violation's id, impact, help and target selectors, if
 * there is any.  exclude: a selector or selectors to leave out.  Returns the
 * full axe result.
 */
export async function checkA11y(page, { exclude = [] } = {}) {
  let axe = new AxeBuilder({ page }).withTags(A11Y_TAGS);
  for (const sel of [exclude].flat()) axe = axe.exclude(sel);
  const result = await axe.analyze();
  const v = result.violations;
  if (v.length) {
    const lines = v.map((x) => `- ${x.id} [${x.impact}] ${x.help} (${x.helpUrl})\n` +
      x.nodes.map((n) => `    at ${n.target.flat().join(' >> ')}: ${n.html.slice(0, 160)}`).join('\n'));
    assert.fail(`axe: ${v.length} accessibility violation(s) on ${page.url()}:\n${lines.join('\n')}`);
  }
  return result;
}

/**
 * Adds the fixture data (tests/lib/fixtures.mjs seed()) to the server of env
 * (setup()'s result, after start()) or to a startServer() result: a
 * department with components A and B, an office, two services, and users
 * admin, viewer, facilitator, analyst and other, all with password PASSWORD.
 * Returns { ids, tokens, emails }.
 */
export function seedData(env) {
  const srv = env.server ?? env;
  if (!srv?.db) throw new Error('seedData: start the server first (before(env.start))');
  return seed(srv);
}

/**
 * Signs in through the /login form: opens baseUrl + /login (with ?next= when
 * given), fills the email address and password, presses Enter and waits for
 * the server's answer and the page it leads to.  baseUrl is a URL or
 * setup()'s env.  Fails, quoting the error summary, if the sign-in is
 * refused.  Returns the page's URL after signing in.
 */
export async function login(page, baseUrl, { email, password = PASSWORD, next } = {}) {
  const base = typeof baseUrl === 'string' ? baseUrl : baseUrl.url;
  const url = new URL('/login', base);
  if (next) url.searchParams.set('next', next);
  await page.goto(url.href);
  await page.locator('#f-email').fill(email);
  await page.locator('#f-password').fill(password);
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' &&
      new URL(r.url()).pathname === '/login'),
    page.locator('#f-password').press('Enter'),
  ]);
  if (resp.status() !== 303) {
    const why = await page.locator('#error-summary').innerText({ timeout: 3_000 })
      .catch(() => '(no error summary)');
    throw new Error(`login as ${email} failed: HTTP ${resp.status()}: ${why}`);
  }
  const to = new URL(resp.headers().location, base);
  await page.waitForURL((u) => u.pathname === to.pathname, { waitUntil: 'load' });
  return page.url();
}
