// Forms that help and pages people understand, in a real browser: the commune picked by name
// from the list valid on the form's date (and refused next to its field for the wrong era),
// the period picker producing the right report (with and without scripts), English mode
// labels, and phone-width pages that never scroll sideways.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { guarded, setup, submit } from './helpers.mjs';

let env;
before(async () => {
  env = await setup('forms');
});
after(async () => {
  await env?.close();
});

/** The values the commune list offers now. */
function offered(page) {
  return page.locator('#f-commune-list option').evaluateAll((os) => os.map((o) => o.value));
}

/** Types a date and leaves the field, which refreshes the commune list for that date. */
async function typeDate(page, value) {
  const refreshed = page.waitForResponse((r) => r.url().includes('/units?'));
  await page.locator('#f-date').fill(value);
  await page.locator('#f-date').press('Tab');
  await refreshed;
  await page.waitForFunction((v) => document.querySelector('#f-commune').dataset.unitsFor === v, value);
}

async function fillRegistration(page, code, date) {
  await page.goto('/orgs/new');
  await page.locator('#f-code').fill(code);
  await page.locator('#f-name').fill('HTX Chọn Xã Theo Tên');
  await typeDate(page, date);
}

describe('forms', () => {
  test('the commune is picked by name from the list of the date; the wrong era is refused next to the field', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      await fillRegistration(page, '2799900901', '15/03/2022');
      const old = (await offered(page)).find((v) => v.startsWith('Xã Lãng Ngâm, Huyện Gia Bình (mã '));
      assert.ok(old, 'Lãng Ngâm of Gia Bình is offered in 2022');

      // The same form with a date after the reform: the list becomes the new communes.
      await typeDate(page, '01/08/2025');
      const now = await offered(page);
      assert.ok(now.length > 0 && now.every((v) => !v.includes('Huyện')), 'no districts after 1/7/2025');
      await page.locator('#f-commune').fill(old);
      const refused = await submit(page, 'form#register');
      assert.equal(refused.status, 422);
      await assert.doesNotReject(page.locator('#f-commune-error').waitFor());
      assert.match(await page.locator('#f-commune-error').innerText(), /xã cũ \(trước 01\/07\/2025\)/);
      assert.equal(await page.locator('#f-name').inputValue(), 'HTX Chọn Xã Theo Tên', 'values kept');
      assert.equal(await page.locator('#f-commune').inputValue(), old, 'the commune as typed is kept');

      // Back to 2022: accepted, and the organisation's page names the commune and district.
      await typeDate(page, '15/03/2022');
      const created = await submit(page, 'form#register');
      assert.equal(created.status, 200);
      assert.ok(created.redirected, 'saved');
      assert.match(await page.locator('main').innerText(), /Xã Lãng Ngâm, Huyện Gia Bình/);
      await context.close();
    }));

  test('the period picker composes the period of the report, with scripts and without', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      await page.goto('/reports');
      await page.locator('#f-p_shape').selectOption('months');
      assert.ok(await page.locator('#f-p_months').isVisible(), 'the month is asked for N months');
      assert.ok(!(await page.locator('#f-p_from').isVisible()), 'the dates are not');
      await page.locator('#f-p_year').selectOption('2022');
      const previewed = page.waitForResponse((r) => r.url().includes('/period?') && r.url().includes('p_months=9'));
      await page.locator('#f-p_months').selectOption('9');
      await previewed;
      await page.waitForFunction(() => /9 tháng đầu năm 2022/.test(document.querySelector('#f-p_shape').closest('.field').innerText));
      await submit(page, 'form#report');
      assert.match(await page.locator('.document').innerText(), /9 THÁNG ĐẦU NĂM 2022|9 tháng đầu năm 2022/i);
      assert.match(page.url(), /p_shape=months/);
      await context.close();

      // Without scripts every part of the picker is shown and the server composes the code.
      const plain = await env.newUser('canbo', { javaScriptEnabled: false });
      await plain.page.goto('/reports');
      assert.ok(await plain.page.locator('#f-p_from').isVisible());
      await plain.page.locator('#f-p_shape').selectOption('Q3');
      await plain.page.locator('#f-p_year').selectOption('2022');
      await submit(plain.page, 'form#report');
      assert.match(await plain.page.locator('.document').innerText(), /quý III năm 2022/i);
      assert.match(await plain.page.locator('#f-p_shape').locator('..').innerText(), /2022-Q3/);
      await plain.context.close();
    }));

  test('in English mode codes and data labels are English', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('lanhdao');
      await page.goto('/account');
      await page.locator('#f-lang').selectOption('en');
      await submit(page, 'form#lang');
      await page.goto('/orgs?status=active');
      const list = await page.locator('#org-list').innerText();
      assert.match(list, /Registration code/);
      assert.match(list, /\bActive\b/);
      assert.doesNotMatch(list, /Đang hoạt động/);
      await page.goto('/alliance?period=2022-H1&part=activities');
      const activities = await page.locator('main table').first().innerText();
      assert.doesNotMatch(activities, /Lớp tập huấn|Hội nghị|Bài báo/);
      assert.match(activities, /Training class|Conference|Press article|Workshop/);
      await context.close();
    }));

  test('at 390 px pages do not scroll sideways; a wide table scrolls in its own box', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('quantri', {
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
      });
      for (const path of ['/orgs', '/fund/loans', '/alliance?period=2022-H1&part=activities', '/reports?period=2022-H1']) {
        await page.goto(path);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${path} is ${overflow}px wider than the screen`);
      }
      await page.goto('/orgs');
      const box = await page.locator('#org-list').evaluate((table) => {
        const wrap = table.closest('.table-wrap');
        return { scroll: wrap.scrollWidth, width: wrap.clientWidth, overflow: getComputedStyle(wrap).overflowX };
      });
      assert.equal(box.overflow, 'auto');
      assert.ok(box.scroll > box.width, 'the list is wider than the phone and scrolls in its box');
      await context.close();
    }));
});
