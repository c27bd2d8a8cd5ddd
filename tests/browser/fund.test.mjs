// The support fund: recording a disbursement on a loan through the #tx form.
//
// Every loan of the demo book is already fully disbursed, so the test first imports a signed
// contract with nothing disbursed yet (staff may import; the project cost and own capital let
// the fund's lending rules be checked), then the fund officer disburses part
// of it. A disbursement beyond the approved amount is refused next to the amount field.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { guarded, setup, submit } from './helpers.mjs';

let env;
before(async () => {
  env = await setup('fund');
});
after(async () => {
  await env?.close();
});

const CONTRACT = '01/2025/HĐTD-THU';
const LOAN_PATH = `/fund/loans/${encodeURIComponent(CONTRACT)}`;

/** Rows of #transactions as arrays of trimmed cell texts. */
async function transactions(page) {
  const rows = page.locator('#transactions tbody tr');
  const out = [];
  for (let i = 0; i < (await rows.count()); i++) {
    out.push((await rows.nth(i).locator('td').allInnerTexts()).map((s) => s.trim()));
  }
  return out.filter((cells) => cells.length > 1); // an empty table has one "—" cell
}

describe('recording a loan disbursement', () => {
  test('staff import a signed contract with nothing disbursed', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      // A borrower from the registry: the first organisation of the list.
      await page.goto('/orgs?kind=HTX');
      const href = await page.locator('#org-list tbody a[href^="/orgs/"]').first().getAttribute('href');
      const borrower = decodeURIComponent(href.slice('/orgs/'.length));
      const file = [
        'Số hợp đồng,Mã số đăng ký bên vay,Số tiền duyệt (đồng),Lãi suất (%/năm),Thời hạn (tháng),' +
          'Ngày ký hợp đồng,Số quyết định cho vay,Ngày quyết định,Mục đích vay,' +
          'Tổng mức đầu tư (đồng),Vốn tự có (đồng)',
        `${CONTRACT},${borrower},300.000.000,"6,6",36,10/01/2025,01/QĐ-THU,05/01/2025,Mua máy đóng gói,` +
          '500.000.000,200.000.000',
      ].join('\r\n');
      await page.goto('/imports');
      await page
        .locator('#f-file')
        .setInputFiles({ name: 'khoan-vay.csv', mimeType: 'text/csv', buffer: Buffer.from(file, 'utf8') });
      const checked = await submit(page, '#upload');
      assert.equal(checked.status, 200, 'the loan file should pass the checks');
      assert.match(await page.locator('dl.facts', { hasText: 'Khoản vay' }).innerText(), /Khoản vay\s+1\b/);
      await submit(page, '#confirm');
      await page.locator('.notice', { hasText: 'Đã ghi xong' }).waitFor();
      await context.close();
    }));

  test('the fund officer opens the loan from the list and disburses 100.000.000 đồng', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('quy');
      await page.goto('/fund/loans');
      const link = page.locator('#loans a', { hasText: CONTRACT });
      await Promise.all([page.waitForURL(`**${LOAN_PATH}`), link.click()]);
      assert.deepEqual(await transactions(page), [], 'a new contract has no transactions');

      await page.locator('#tx #f-kind').selectOption('disbursement');
      await page.locator('#tx #f-date').fill('15/01/2025');
      await page.locator('#tx #f-amount').fill('100.000.000');
      const res = await submit(page, '#tx');
      assert.ok(res.redirected, `the disbursement should be saved (got HTTP ${res.status})`);
      assert.equal(new URL(page.url()).pathname, LOAN_PATH);
      assert.equal(await page.locator('small.error').count(), 0);

      const rows = await transactions(page);
      assert.equal(rows.length, 1);
      const [, date, kind, amount] = rows[0];
      assert.equal(date, '15/01/2025');
      assert.equal(kind, 'Giải ngân');
      assert.equal(amount, '100.000.000 đồng');
      await context.close();
    }));

  test('a disbursement beyond the approved amount is refused next to the amount', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('quy');
      await page.goto(LOAN_PATH);
      await page.locator('#tx #f-kind').selectOption('disbursement');
      await page.locator('#tx #f-date').fill('16/01/2025');
      await page.locator('#tx #f-amount').fill('250.000.000'); // 100 + 250 > 300 million
      const res = await submit(page, '#tx');
      assert.ok(!res.redirected, 'the over-limit disbursement must not be saved');
      assert.equal(res.status, 422);
      const error = page.locator('.field:has(#f-amount) small.error');
      await error.waitFor();
      assert.match(await error.innerText(), /vượt số tiền được duyệt/);
      assert.equal(await page.locator('#tx #f-amount').inputValue(), '250.000.000', 'the amount typed is kept');

      await page.goto(LOAN_PATH);
      assert.equal((await transactions(page)).length, 1, 'still only the first disbursement');
      await context.close();
    }));

  test('reversing the disbursement asks first, then the audit log says it in words', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('quy');
      await page.goto(LOAN_PATH);
      const [[number]] = await transactions(page);
      await page.locator('#tx #f-kind').selectOption('reversal');
      await page.locator('#tx #f-date').fill('20/01/2025');
      await page.locator('#tx #f-reverses').fill(number);
      const asked = await submit(page, '#tx');
      assert.equal(asked.status, 200, 'a confirmation page, not a write');
      const question = await page.locator('main').innerText();
      assert.match(question, new RegExp(`Hủy bút toán số ${number} \\(Giải ngân 100\\.000\\.000 đồng`));
      assert.ok(question.includes(CONTRACT), question);
      const other = await context.newPage();
      await other.goto(LOAN_PATH);
      assert.equal((await transactions(other)).length, 1, 'nothing recorded before confirming');
      await other.close();

      const done = await submit(page, '#confirm');
      assert.ok(done.redirected, `the confirmed reversal is recorded (HTTP ${done.status})`);
      assert.equal(new URL(page.url()).pathname, LOAN_PATH);
      assert.equal((await transactions(page)).length, 2, 'the reversal is a new transaction');
      await context.close();

      // The audit log: who, what in words, and a link to the loan.
      const admin = await env.newUser('quantri');
      await admin.page.goto('/audit?entity=loan');
      const row = admin.page.locator('#audit tbody tr', { hasText: 'Hủy bút toán' }).first();
      await row.waitFor();
      const cells = (await row.locator('td').allInnerTexts()).map((c) => c.trim());
      assert.ok(!cells.some((c) => c.startsWith('{')), `no raw JSON: ${cells}`);
      assert.match(cells.join(' | '), /ghi giao dịch "Hủy bút toán" cho khoản vay/);
      assert.equal(
        decodeURIComponent(await row.locator(`a[href^="/fund/loans/"]`).first().getAttribute('href')),
        decodeURIComponent(LOAN_PATH),
        'the record links to the loan',
      );
      await admin.context.close();
    }));
});
