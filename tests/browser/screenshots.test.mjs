// Visits the main pages as the administrator, checks that each one loads without errors in the
// browser, and saves full-page screenshots into test-artifacts/screenshots/ for people to look
// at: every page at 1400 px and at 390 px (a phone), and a few in English mode. At 390 px a
// page must not scroll sideways (wide tables scroll inside their own box).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { guarded, screenshot, setup } from './helpers.mjs';

let env;
before(async () => {
  env = await setup('screenshots');
});
after(async () => {
  await env?.close();
});

const DESKTOP = { width: 1400, height: 900 };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/**
 * The pages to capture: [screenshot name, path or function giving the path].
 * Functions run in order on the same page, so they may look links up.
 */
const PAGES = [
  ['01-dashboard', '/'],
  ['02-registry-list', '/orgs'],
  ['02b-registry-search', '/orgs?q=nong+nghiep'],
  ['03-organisation', organisationWithLoan],
  ['04-organisation-event-form', async (page, seen) => `${seen['03-organisation']}/events`],
  ['04b-organisation-evaluations', async (page, seen) => `${seen['03-organisation']}/evaluations`],
  ['04c-registration', '/orgs/new'],
  ['05-fund-portfolio', '/fund'],
  ['06-fund-loans', '/fund/loans'],
  ['07-loan', firstLoan],
  ['08-alliance-2022-H1', '/alliance?period=2022-H1'],
  ['08a-alliance-activities', '/alliance?period=2022-H1&part=activities'],
  ['08b-alliance-members', '/alliance?period=2022-H1&part=members'],
  ['08c-alliance-committees', '/alliance?period=2022-H1&part=committees'],
  ['08d-alliance-programmes', '/alliance?period=2022-H1&part=programmes'],
  ['08e-alliance-inspections', '/alliance?period=2022-H1&part=inspections'],
  ['09-imports', '/imports'],
  ['10-reports', '/reports'],
  ['10b-reports-preview-2022-H1', '/reports?period=2022-H1'],
  ['11-audit', '/audit'],
  ['12-admin', '/admin'],
  ['13-account', '/account'],
];

/** Pages shown again in English mode (the staff account switched to English). */
const ENGLISH = ['01-dashboard', '02-registry-list', '03-organisation', '04-organisation-event-form', '04b-organisation-evaluations', '08a-alliance-activities', '08c-alliance-committees', '08e-alliance-inspections', '10b-reports-preview-2022-H1'];

async function firstLoan(page) {
  await page.goto('/fund/loans');
  return page.locator('#loans tbody a').first().getAttribute('href');
}

/** The page of the first loan's borrower, so that the screenshot shows a filled dossier. */
async function organisationWithLoan(page) {
  await page.goto('/fund/loans');
  const borrower = (await page.locator('#loans tbody tr').first().locator('td').nth(1).innerText()).trim();
  await page.goto(`/orgs?q=${encodeURIComponent(borrower)}`);
  return page.locator('#org-list tbody a', { hasText: borrower }).first().getAttribute('href');
}

describe('screenshots of the main pages', () => {
  const seen = {}; // name -> path actually visited
  const problems = []; // [page, text] of untranslated labels
  const wide = []; // pages wider than the phone's screen

  /** Visits a page, checks it, and saves its screenshot; returns how much wider it is. */
  async function capture(page, name, path) {
    const res = await page.goto(path);
    assert.equal(res.status(), 200, `${name}: ${path}`);
    await page.locator('main h1').first().waitFor();
    await page.evaluate(() => document.fonts.ready);
    problems.push(...(await untranslated(page)).map((text) => [name, text]));
    const file = await screenshot(page, name);
    return [file, await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)];
  }

  test('every main page loads without browser errors; screenshots saved at 1400 px', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('quantri', { viewport: DESKTOP });
      const errors = [];
      page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`${page.url()}: console: ${m.text()}`);
      });
      page.on('requestfailed', (r) => {
        if (!r.url().includes('/reports/download')) errors.push(`${r.url()}: ${r.failure()?.errorText}`);
      });
      for (const [name, target] of PAGES) {
        const path = typeof target === 'function' ? await target(page, seen) : target;
        assert.ok(path, `no path found for ${name}`);
        seen[name] = path;
        const [file, overflow] = await capture(page, name, path);
        if (overflow > 0) t.diagnostic(`${name} (${path}) is ${overflow}px wider than the window`);
        t.diagnostic(`${name}: ${path} -> ${file}`);
      }
      assert.deepEqual(errors, [], 'errors in the browser');
      await context.close();
    }));

  test('every page at 390 px: screenshots saved, no sideways scrolling of the page', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('quantri', PHONE);
      for (const [name] of PAGES) {
        assert.ok(seen[name], `${name} was not visited by the desktop test`);
        const [, overflow] = await capture(page, `${name}-390`, seen[name]);
        if (overflow > 0) wide.push(`${name} is ${overflow}px wider than the screen`);
      }
      await context.close();
      assert.deepEqual(wide, [], 'pages that scroll sideways at 390 px');
    }));

  test('a few pages in English mode, at 1400 px and 390 px', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo', { viewport: DESKTOP });
      await page.goto('/account');
      await page.locator('#f-lang').selectOption('en');
      await Promise.all([page.waitForNavigation(), page.locator('form#lang button[type="submit"]').click()]);
      for (const name of ENGLISH) {
        await capture(page, `en-${name}`, seen[name]);
      }
      await page.setViewportSize({ width: 390, height: 844 });
      for (const name of ENGLISH) {
        const [, overflow] = await capture(page, `en-${name}-390`, seen[name]);
        if (overflow > 0) wide.push(`en-${name} is ${overflow}px wider than the screen`);
      }
      await context.close();
      assert.deepEqual(wide, [], 'pages that scroll sideways at 390 px');
    }));

  test('no untranslated labels ("?") on the main pages', () => {
    // A missing translation key is shown as "?" (and logged as a warning by the server).
    assert.deepEqual(problems, []);
  });
});

/** Texts of elements in <main> that show a missing translation: "?" alone. */
function untranslated(page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('main *'))
      .filter((e) => e.children.length === 0 && e.textContent.trim() === '?')
      .map((e) => `${e.tagName.toLowerCase()}${e.closest('table[id]') ? ` in #${e.closest('table[id]').id}` : ''}`),
  );
}
