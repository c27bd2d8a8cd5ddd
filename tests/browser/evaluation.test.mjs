// The score sheet of the yearly evaluation (Circular 01/2020): the total and grade follow the
// points as one types; without scripts the "compute" button does the same on the server; a
// point outside a criterion's range is shown next to it with the other values kept; a saved
// sheet shows its grade on the organisation's page.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { guarded, screenshot, setup } from './helpers.mjs';

let env;
before(async () => {
  env = await setup('evaluation');
});
after(async () => {
  await env?.close();
});

const MAXIMA = ['7', '6', '11', '6', '8', '6', '6', '6', '4', '10', '10', '5', '5', '5', '5'];

/** Registers an HTX founded in 2020 and returns its code. */
async function registerHtx(page, code) {
  await page.goto('/orgs/new');
  await page.locator('#register #f-kind').selectOption('HTX');
  await page.locator('#f-code').fill(code);
  await page.locator('#f-name').fill(`HTX Thử nghiệm Chấm điểm ${code.slice(-3)}`);
  await page.locator('#f-date').fill('15/03/2020');
  await page.locator('#f-commune').fill('09454');
  await page.locator('#register #f-sector').selectOption('trade');
  await Promise.all([
    page.waitForURL(`**/orgs/${code}`),
    page.locator('#register button[type="submit"]').click(),
  ]);
}

async function fill(page, points) {
  for (const [i, p] of points.entries()) await page.locator(`#f-c${i + 1}`).fill(p);
}

/** Clicks one of the sheet's two buttons and waits for the page it loads. */
async function press(page, action) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator(`#evaluation-sheet button[value="${action}"]`).click(),
  ]);
  return response.status();
}

describe('the score sheet', () => {
  test('adds up as one types, marks a point out of range, saves and shows the grade', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      await registerHtx(page, '2799000881');
      await page.getByRole('link', { name: 'Đánh giá, xếp loại' }).click();
      await page.waitForURL('**/orgs/2799000881/evaluations');
      await page.goto('/orgs/2799000881/evaluations?year=2024');
      const points = [...MAXIMA];
      points[2] = '4'; // 93
      await fill(page, points);
      assert.equal(await page.locator('#sheet-total').innerText(), '93');
      assert.equal(await page.locator('#sheet-grade').innerText(), 'Tốt');
      await page.locator('#f-c10').fill('0'); // 83
      await page.locator('#f-c11').fill('0,5'); // 73,5
      assert.equal(await page.locator('#sheet-total').innerText(), '73,5');
      assert.equal(await page.locator('#sheet-grade').innerText(), 'Khá');
      await page.locator('#f-c1').fill('7,5');
      assert.equal(await page.locator('#f-c1').getAttribute('aria-invalid'), '');
      assert.equal(await page.locator('#sheet-grade').innerText(), '—');
      await page.locator('#f-c1').fill('7');
      await page.locator('#f-scored_by').fill('Ban quản trị HTX');
      await screenshot(page, 'evaluation-sheet');
      assert.equal(await press(page, 'save'), 200);
      await page.locator('.notice.ok', { hasText: 'Đã lưu đánh giá năm 2024' }).waitFor();
      await page.goto('/orgs/2799000881');
      await page.locator('#evaluations').getByText('Khá (73,5 điểm)').waitFor();
      await context.close();
    }));

  test('without scripts the server adds up, and a refusal keeps what was typed', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo', { javaScriptEnabled: false });
      await registerHtx(page, '2799000882');
      await page.goto('/orgs/2799000882/evaluations?year=2023');
      const points = [...MAXIMA];
      points[0] = '7,5';
      await fill(page, points);
      assert.equal(await press(page, 'compute'), 422);
      assert.match(await page.locator('#f-c1-error').innerText(), /0–7/);
      assert.equal(await page.locator('#f-c2').inputValue(), '6');
      await page.locator('#f-c1').fill('0');
      assert.equal(await press(page, 'compute'), 200);
      assert.equal(await page.locator('#sheet-total').innerText(), '93');
      await page.locator('.notice', { hasText: 'chưa lưu' }).waitFor();
      assert.equal(await page.locator('#evaluation-versions tbody td.empty').count(), 1, 'nothing saved yet');
      assert.equal(await press(page, 'save'), 200);
      await page.locator('#evaluations').getByText('Tốt (93 điểm)').waitFor();
      await context.close();
    }));
});
