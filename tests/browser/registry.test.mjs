// The registry (sổ theo dõi): logging in, finding an organisation without typing accents,
// registering a new HTX and recording its dissolution, and the refusal of a conflicting save.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { guarded, login, setup, submit, unaccent } from './helpers.mjs';

let env;
before(async () => {
  env = await setup('registry');
});
after(async () => {
  await env?.close();
});

/** Registers an HTX through the /orgs/new form and returns once its page is shown. */
async function registerHtx(page, { code, name, date = '15/03/2024', commune = '09454', sector = 'trade' }) {
  await page.goto('/orgs/new');
  await page.locator('#register #f-kind').selectOption('HTX');
  await page.locator('#f-code').fill(code);
  await page.locator('#f-name').fill(name);
  await page.locator('#f-date').fill(date);
  await page.locator('#f-commune').fill(commune);
  await page.locator('#register #f-sector').selectOption(sector);
  const res = await submit(page, '#register');
  assert.ok(res.redirected, `registering ${code} should redirect (got HTTP ${res.status})`);
  assert.equal(new URL(page.url()).pathname, `/orgs/${code}`);
}

describe('logging in', () => {
  test('a wrong password is refused with 401 and an error notice', (t) =>
    guarded(env, t, async () => {
      const context = await env.newContext();
      const page = await context.newPage();
      await page.goto('/login');
      await page.locator('#f-username').fill('canbo');
      await page.locator('#f-password').fill('not-the-password');
      const res = await submit(page, 'form[action="/login"]');
      assert.equal(res.status, 401);
      await page.locator('.notice.error').waitFor();
      assert.equal(new URL(page.url()).pathname, '/login');
      await context.close();
    }));

  test('staff log in and see the dashboard with their name', (t) =>
    guarded(env, t, async () => {
      const context = await env.newContext();
      const page = await context.newPage();
      await login(page, 'canbo');
      assert.equal(new URL(page.url()).pathname, '/');
      await page.locator('header .who').getByText('Nguyễn Thị Lan').waitFor();
      await page.locator('#quick-q').waitFor();
      // Without a session, pages send the browser to the login page.
      const anonymous = await (await env.newContext()).newPage();
      await anonymous.goto('/orgs');
      assert.equal(new URL(anonymous.url()).pathname, '/login');
      await context.close();
    }));
});

describe('finding an organisation', () => {
  test('the quick search finds an HTX typed without accents', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      // Take a real HTX name with accents from the registry list.
      await page.goto('/orgs?kind=HTX');
      const names = await page.locator('#org-list tbody a[href^="/orgs/"]').allTextContents();
      const name = names.find((n) => unaccent(n) !== n.toLowerCase());
      assert.ok(name, 'the demo registry should hold an HTX whose name has accents');
      const typed = unaccent(name);

      await page.goto('/');
      await page.locator('#quick-q').fill(typed);
      await Promise.all([page.waitForURL(/\/orgs\?/), page.locator('#quick-q').press('Enter')]);
      assert.equal(new URL(page.url()).searchParams.get('q'), typed);
      const link = page.locator('#org-list tbody a', { hasText: name }).first();
      await link.waitFor();
      await Promise.all([page.waitForURL(/\/orgs\/[^/?]+$/), link.click()]);
      await page.locator('h1', { hasText: name }).waitFor();
      await context.close();
    }));

  test('the list filter "thuan thanh" finds names written "Thuận Thành"', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      await page.goto('/orgs');
      await page.locator('#filters #f-q').fill('thuan thanh');
      await submitGet(page, '#filters');
      const names = await page.locator('#org-list tbody a[href^="/orgs/"]').allTextContents();
      assert.ok(names.length > 0, 'no organisation found for "thuan thanh"');
      assert.ok(
        names.some((n) => n.includes('Thuận Thành')),
        `expected a name with "Thuận Thành" among: ${names.join('; ')}`,
      );
      await context.close();
    }));
});

/** Submits a GET form and waits for the new page. */
async function submitGet(page, formSelector) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator(formSelector).locator('button[type="submit"]').click(),
  ]);
}

describe('registering and dissolving an HTX', () => {
  const code = '2799990001';
  const name = 'Hợp tác xã Thử nghiệm Trình duyệt Gia Bình';

  test('a commune code that does not exist is reported next to the field', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      await page.goto('/orgs/new');
      await page.locator('#f-code').fill('2799990009');
      await page.locator('#f-name').fill('Hợp tác xã Mã xã sai');
      await page.locator('#f-date').fill('15/03/2024');
      await page.locator('#f-commune').fill('99999');
      const res = await submit(page, '#register');
      assert.ok(!res.redirected, 'a bad commune code must not be saved');
      assert.equal(res.status, 422);
      await page.locator('#f-commune ~ small.error, #f-commune + small.error, .field:has(#f-commune) small.error').first().waitFor();
      // What was typed is kept.
      assert.equal(await page.locator('#f-name').inputValue(), 'Hợp tác xã Mã xã sai');
      await context.close();
    }));

  test('register a new HTX, then record its dissolution', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      await registerHtx(page, { code, name });
      await page.locator('h1', { hasText: name }).waitFor();
      const facts = page.locator('dl.facts');
      await facts.getByText('Đang hoạt động', { exact: true }).waitFor();
      await page.locator('#timeline tbody tr', { hasText: 'Thành lập' }).waitFor();

      await Promise.all([
        page.waitForURL(`**/orgs/${code}/events`),
        page.getByRole('link', { name: 'Ghi sự kiện' }).click(),
      ]);
      await page.locator('#event #f-kind').selectOption('dissolved');
      await page.locator('#event #f-date').fill('20/05/2025');
      await page.locator('#event #f-reference').fill('Thông báo số 05/TB-HTX ngày 20/05/2025');
      const res = await submit(page, '#event');
      assert.ok(res.redirected, `recording the dissolution should redirect (got HTTP ${res.status})`);
      assert.equal(new URL(page.url()).pathname, `/orgs/${code}`);

      const row = page.locator('#timeline tbody tr', { hasText: 'Giải thể' });
      await row.waitFor();
      assert.match(await row.innerText(), /20\/05\/2025/);
      await facts.getByText('Đã giải thể', { exact: true }).waitFor();
      // A dissolved organisation is found by the status filter.
      await page.goto('/orgs?status=dissolved&q=' + code);
      await page.locator(`#org-list a[href="/orgs/${code}"]`).waitFor();
      await context.close();
    }));

  test('nothing may be recorded after a dissolution', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      await page.goto(`/orgs/${code}/events`);
      await page.locator('#event #f-kind').selectOption('suspended');
      await page.locator('#event #f-date').fill('01/06/2025');
      const res = await submit(page, '#event');
      assert.ok(!res.redirected, 'an event after dissolution must be refused');
      await page.locator('small.error, .notice.error').first().waitFor();
      await page.goto(`/orgs/${code}`);
      assert.equal(await page.locator('#timeline tbody tr', { hasText: 'Tạm ngừng' }).count(), 0);
      await context.close();
    }));
});

describe('two people saving the same organisation', () => {
  test('the second, conflicting save is refused with 409 and a message', (t) =>
    guarded(env, t, async () => {
      const code = '2799990002';
      const alice = await env.newUser('canbo');
      const bob = await env.newUser('quantri');
      await registerHtx(alice.page, { code, name: 'Hợp tác xã Thử nghiệm Xung đột' });

      // Both open the form while the organisation is at the same version.
      await alice.page.goto(`/orgs/${code}/events`);
      await bob.page.goto(`/orgs/${code}/events`);
      const version = await alice.page.locator('#event input[name="version"]').inputValue();
      assert.equal(await bob.page.locator('#event input[name="version"]').inputValue(), version);

      await alice.page.locator('#event #f-kind').selectOption('suspended');
      await alice.page.locator('#event #f-date').fill('01/02/2025');
      const first = await submit(alice.page, '#event');
      assert.ok(first.redirected, `the first save should succeed (got HTTP ${first.status})`);

      await bob.page.locator('#event #f-kind').selectOption('ceased');
      await bob.page.locator('#event #f-date').fill('01/03/2025');
      const second = await submit(bob.page, '#event');
      assert.equal(second.status, 409);
      await bob.page
        .locator('.notice.error', { hasText: 'Dữ liệu vừa được người khác thay đổi' })
        .waitFor();

      // Only the first change was recorded.
      await bob.page.goto(`/orgs/${code}`);
      await bob.page.locator('#timeline tbody tr', { hasText: 'Tạm ngừng kinh doanh' }).waitFor();
      assert.equal(await bob.page.locator('#timeline tbody tr', { hasText: 'Ngừng hoạt động' }).count(), 0);
      await alice.context.close();
      await bob.context.close();
    }));
});
