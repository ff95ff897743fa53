// home.test.mjs: the home page and the 404 page in a real browser: the USWDS
// page frame, CSS/JS loading, keyboard use, accessibility (axe, WCAG 2.1 AA),
// console/CSP cleanliness, no-JavaScript use and a phone-sized viewport.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup, withPage, checkA11y, assertNoConsoleErrors, consoleErrors,
} from './lib.mjs';

const env = setup();
before(env.start);
after(env.stop);

/** Opens path, asserts the HTTP status, and waits for USWDS JS (if enabled). */
async function open(page, path, status = 200) {
  const resp = await page.goto(env.url + path);
  assert.equal(resp.status(), status, `GET ${path}`);
  return resp;
}

/** Polls fn() until it returns a truthy value or ms pass; returns its last value. */
async function eventually(fn, ms = 3_000) {
  const end = Date.now() + ms;
  let v;
  while (!(v = await fn()) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  return v;
}

/**
 * Describes the focused element, and whether its focus is visible, once its
 * CSS transitions (e.g. the skip link sliding in) have finished.
 */
function focusInfo(page) {
  return page.evaluate(async () => {
    const a = document.activeElement;
    await Promise.all(a.getAnimations().map((x) => x.finished.catch(() => {})));
    const cs = getComputedStyle(a);
    const r = a.getBoundingClientRect();
    return {
      tag: a.tagName.toLowerCase(),
      id: a.id,
      cls: a.className,
      text: (a.textContent || a.getAttribute('aria-label') || '').trim().slice(0, 40),
      href: a.getAttribute('href'),
      insideMain: !!a.closest('#main-content') && a.id !== 'main-content',
      ring: (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) ||
        cs.boxShadow !== 'none',
      onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 &&
        r.top < innerHeight && r.left < innerWidth,
    };
  });
}

test('home page renders the USWDS page frame', (t) => withPage(t, env, async (page) => {
  await open(page, '/');
  assert.match(await page.title(), /cxm/);
  const h1 = page.locator('h1');
  assert.equal(await h1.count(), 1, 'exactly one h1');
  assert.ok((await h1.innerText()).trim().length > 0, 'h1 has text');

  const banner = page.locator('section.usa-banner');
  assert.ok(await banner.getByText('An official website of the United States government').isVisible());

  const header = page.getByRole('banner'); // the page <header>, not the one in the gov banner
  assert.equal(await header.count(), 1, 'one banner landmark');
  const home = header.getByRole('link', { name: 'cxm', exact: true });
  assert.equal(await home.getAttribute('href'), '/');
  assert.ok(await home.isVisible(), 'product name is visible');

  const nav = page.getByRole('navigation', { name: 'Primary navigation' });
  assert.equal(await nav.count(), 1, 'primary navigation landmark');
  const navHome = nav.getByRole('link', { name: 'Home' });
  assert.ok(await navHome.isVisible(), 'nav link "Home" visible on desktop');
  assert.equal(await navHome.getAttribute('aria-current'), 'page', 'Home is the current page');

  const main = page.getByRole('main');
  assert.equal(await main.count(), 1, 'one main landmark');
  assert.equal(await main.getAttribute('id'), 'main-content');
  assert.ok(await main.locator('h1').isVisible(), 'the h1 is inside main');

  const footer = page.getByRole('contentinfo');
  assert.equal(await footer.count(), 1, 'one footer (contentinfo) landmark');
  assert.ok((await footer.innerText()).includes('cxm'));
}));

test('USWDS CSS and fonts are loaded', (t) => withPage(t, env, async (page) => {
  await open(page, '/');
  const s = await page.evaluate(async () => {
    await document.fonts.ready;
    return {
      font: getComputedStyle(document.body).fontFamily,
      bannerBg: getComputedStyle(document.querySelector('.usa-banner')).backgroundColor,
      // the skip link is moved off screen by USWDS CSS until it is focused
      skipBottom: document.querySelector('.usa-skipnav').getBoundingClientRect().bottom,
      fontLoaded: document.fonts.check('16px "Source Sans Pro Web"'),
    };
  });
  assert.match(s.font, /Source Sans Pro/, 'body uses the USWDS default font');
  assert.equal(s.bannerBg, 'rgb(240, 240, 240)', '.usa-banner has the USWDS base-lightest background');
  assert.ok(s.skipBottom <= 0, 'skip link is hidden off screen until focused');
  assert.ok(s.fontLoaded, 'Source Sans Pro web font was downloaded');
  assertNoConsoleErrors(page);
}));

test('USWDS JS runs: the banner accordion opens', (t) => withPage(t, env, async (page) => {
  await open(page, '/');
  const button = page.getByRole('button', { name: 'Here’s how you know' });
  const content = page.locator('#gov-banner-default');
  assert.ok(await eventually(() => page.evaluate(() =>
    !document.documentElement.classList.contains('usa-js-loading'))), 'usa-js-loading removed');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await content.isVisible(), false, 'banner content starts hidden');
  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  assert.ok(await content.isVisible(), '#gov-banner-default is shown');
  assert.ok(await content.getByText('Official websites use .gov').isVisible());
  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'false', 'and closes again');
  assertNoConsoleErrors(page);
}));

test('keyboard: first Tab stop is the skip link; Enter moves focus to main', (t) => withPage(t, env, async (page) => {
  await open(page, '/');
  await page.keyboard.press('Tab');
  let f = await focusInfo(page);
  assert.equal(f.text, 'Skip to main content', 'first Tab stop');
  assert.equal(f.href, '#main-content');
  assert.ok(f.onScreen, 'skip link comes on screen when focused');
  assert.ok(f.ring, 'skip link has a visible focus indicator');

  await page.keyboard.press('Enter');
  assert.ok(await eventually(async () => (await focusInfo(page)).id === 'main-content'),
    'focus moved to #main-content');
  assert.equal(new URL(page.url()).hash, '#main-content');
  const top = await page.evaluate(() =>
    document.getElementById('main-content').getBoundingClientRect().top);
  assert.ok(top < 200, `#main-content scrolled into view (top ${top})`);

  await page.keyboard.press('Tab');
  f = await focusInfo(page);
  assert.ok(f.insideMain, `next Tab stays in main (got <${f.tag}> "${f.text}")`);
}));

test('keyboard: every Tab stop is visible and shows focus', (t) => withPage(t, env, async (page) => {
  await open(page, '/');
  const stops = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const f = await focusInfo(page);
    if (f.tag === 'body' || (stops.length && f.text === stops[0].text && f.cls === stops[0].cls)) break;
    stops.push(f);
  }
  const names = stops.map((f) => `<${f.tag}> "${f.text}"`);
  assert.ok(stops.length >= 4, `at least 4 Tab stops: ${names.join(', ')}`);
  for (const f of stops) {
    assert.ok(f.onScreen, `<${f.tag}> "${f.text}" is on screen when focused`);
    assert.ok(f.ring, `<${f.tag}> "${f.text}" has a visible focus indicator`);
  }
  const order = (pred, what) => {
    const i = stops.findIndex(pred);
    assert.ok(i >= 0, `Tab reaches ${what}; stops: ${names.join(', ')}`);
    return i;
  };
  const skip = order((f) => f.text === 'Skip to main content', 'the skip link');
  const gov = order((f) => f.tag === 'button' && /Here’s how you know/.test(f.text), 'the banner button');
  const logo = order((f) => f.tag === 'a' && f.text === 'cxm' && f.href === '/', 'the header link');
  const nav = order((f) => f.tag === 'a' && f.text === 'Home', 'the nav link');
  assert.ok(skip < gov && gov < logo && logo < nav, `Tab order follows the page: ${names.join(', ')}`);
}));

test('axe: home page has no WCAG 2.1 AA violations and no console errors', (t) => withPage(t, env, async (page) => {
  await open(page, '/');
  await checkA11y(page);
  assertNoConsoleErrors(page);
}));

test('axe: home page with the banner expanded', (t) => withPage(t, env, async (page) => {
  await open(page, '/');
  const button = page.getByRole('button', { name: 'Here’s how you know' });
  await button.click();
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  assert.ok(await page.locator('#gov-banner-default').isVisible());
  await checkA11y(page);
  assertNoConsoleErrors(page);
}));

test('404 page: status 404, an h1, no axe violations, no console errors', (t) => withPage(t, env, async (page) => {
  await open(page, '/no-such-page', 404);
  const h1 = page.locator('main h1');
  assert.equal(await h1.count(), 1, 'one h1 in main');
  assert.ok((await h1.innerText()).trim().length > 0);
  assert.match(await page.title(), /cxm/);
  const back = page.getByRole('link', { name: 'Go to the home page' });
  assert.equal(await back.getAttribute('href'), '/');
  await checkA11y(page);
  // Chromium logs the document's own 404 as a console error: that one is expected.
  assertNoConsoleErrors(page, {
    allow: [/status of 404 \(Not Found\) \(at http:\/\/127\.0\.0\.1:\d+\/no-such-page\)$/],
  });
}));

test('CSP blocks inline script and the error check reports it', (t) => withPage(t, env, async (page) => {
  await open(page, '/');
  assertNoConsoleErrors(page);
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.inlineRan = true';
    document.head.append(s);
    return window.inlineRan === true;
  });
  assert.equal(ran, false, 'inline script must not run');
  assert.ok(await eventually(() => consoleErrors(page).some((e) => e.startsWith('csp violation: script-src'))),
    `securitypolicyviolation reported: ${consoleErrors(page).join(' | ')}`);
  assert.ok(consoleErrors(page).some((e) => /Content Security Policy/.test(e)),
    'Chromium console reports the violation too');
  assert.throws(() => assertNoConsoleErrors(page), /csp violation/);
}));

test('works without JavaScript', (t) => withPage(t, env, async (page) => {
  await open(page, '/');
  const h1 = page.locator('h1');
  assert.ok(await h1.isVisible(), 'h1 visible');
  assert.match(await h1.innerText(), /\S/);
  const main = page.locator('#main-content');
  assert.ok(await main.getByRole('heading', { name: 'What you can do with cxm' }).isVisible());
  assert.ok(await main.getByText('Assess maturity').isVisible(), 'feature cards visible');
  assert.ok(await page.getByRole('navigation', { name: 'Primary navigation' })
    .getByRole('link', { name: 'Home' }).isVisible(), 'nav usable on desktop');
  const noJs = await page.evaluate(() => ({
    loading: document.documentElement.classList.contains('usa-js-loading'),
    font: getComputedStyle(document.body).fontFamily,
  }));
  assert.equal(noJs.loading, false, 'no usa-js-loading class left behind');
  assert.match(noJs.font, /Source Sans Pro/, 'CSS still applies');
  // proves this context really runs no page script: the USWDS accordion is inert
  await page.getByRole('button', { name: 'Here’s how you know' }).click();
  assert.equal(await page.locator('#gov-banner-default').isVisible(), false);
  assertNoConsoleErrors(page);
}, { javaScriptEnabled: false }));

test('mobile 375x667: Menu button, no horizontal scroll, menu opens', (t) => withPage(t, env, async (page) => {
  await open(page, '/');
  const menu = page.getByRole('button', { name: 'Menu' });
  assert.ok(await menu.isVisible(), 'Menu button visible');
  const m = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth,
  }));
  assert.ok(m.scrollWidth <= m.innerWidth,
    `no horizontal scroll: scrollWidth ${m.scrollWidth} > innerWidth ${m.innerWidth}`);
  const navHome = page.getByRole('navigation', { name: 'Primary navigation' })
    .getByRole('link', { name: 'Home' });
  assert.equal(await navHome.isVisible(), false, 'nav is collapsed behind the Menu button');
  await menu.click();
  assert.ok(await eventually(() => navHome.isVisible()), 'Menu opens the primary navigation');
  await checkA11y(page);
  await page.keyboard.press('Escape');
  assert.ok(await eventually(async () => !(await navHome.isVisible())), 'Escape closes it');
  assertNoConsoleErrors(page);
}, { viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true }));
