// Reports: preview the 2022-H1 report in the browser and download it as DOCX.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { guarded, setup } from './helpers.mjs';

let env;
before(async () => {
  env = await setup('reports');
});
after(async () => {
  await env?.close();
});

describe('the 2022-H1 report', () => {
  test('pick the period, preview it and download the DOCX', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      await page.goto('/reports');
      await page.locator('#report #f-p_shape').selectOption('H1');
      await page.locator('#report #f-p_year').selectOption('2022');
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/reports' && url.searchParams.get('p_shape') === 'H1'),
        page.locator('#report button[type="submit"]').click(),
      ]);
      const doc = page.locator('.document');
      await doc.waitFor();
      assert.ok((await doc.innerText()).length > 500, 'the preview should hold the report text');

      const link = page.getByRole('link', { name: 'Tải về DOCX' });
      assert.equal(await link.getAttribute('href'), '/reports/download?format=docx&period=2022-H1');
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      assert.equal(await download.failure(), null);
      assert.match(download.suggestedFilename(), /\.docx$/);
      const bytes = await readFile(await download.path());
      assert.ok(bytes.length > 1000, `DOCX too small: ${bytes.length} bytes`);
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a DOCX is a zip file');
      await context.close();
    }));

  test('the XLSX and JSON downloads of the same period work too', (t) =>
    guarded(env, t, async () => {
      const { context } = await env.newUser('lanhdao'); // a leader may read reports
      const xlsx = await context.request.get('/reports/download?format=xlsx&period=2022-H1');
      assert.equal(xlsx.status(), 200);
      assert.equal((await xlsx.body()).subarray(0, 2).toString('latin1'), 'PK');
      const json = await context.request.get('/reports/download?format=json&period=2022-H1');
      assert.equal(json.status(), 200);
      assert.equal(typeof (await json.json()), 'object');
      await context.close();
    }));

  test(
    'the Alliance page shows the same committee figures as the report',
    async (t) => {
      let web;
      let report;
      await guarded(env, t, async () => {
        const { context, page } = await env.newUser('canbo');
        const json = await (await context.request.get('/reports/download?format=json&period=2022-H1')).json();
        // [name, seats filled in the period, seats held at its end] (GovernanceFigures)
        report = Object.fromEntries(json.alliance.governance.committees.map(([n, filled, held]) => [n, { held, filled }]));
        await page.goto('/alliance?period=2022-H1');
        const rows = page.locator('table:has(caption:text-is("Các ban")) tbody tr');
        await rows.first().waitFor();
        web = {};
        for (const cells of await rows.evaluateAll((trs) => trs.map((tr) => [...tr.cells].map((c) => c.innerText.trim())))) {
          web[cells[0]] = { held: Number(cells[1]), filled: Number(cells[2]) }; // Số người, Thay đổi trong kỳ
        }
        await context.close();
      });
      assert.deepEqual(web, report);
    },
  );
});

describe('issuing a report', () => {
  test('asks first, says what issuing means, and issues only when confirmed', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo', { javaScriptEnabled: false });
      await page.goto('/reports?period=2022-H1');
      await page.locator('#issue #f-number').fill('77/BC-LMHTX');
      await Promise.all([
        page.waitForURL('**/reports/issue'),
        page.locator('#issue button[type="submit"]').click(),
      ]);
      await page.locator('main h1', { hasText: 'Xác nhận ban hành báo cáo' }).waitFor();
      assert.match(await page.locator('main').innerText(), /Ban hành báo cáo số 77\/BC-LMHTX/);
      // Going back issues nothing.
      await page.getByRole('link', { name: 'Quay lại, không thực hiện' }).click();
      await page.waitForURL('**/reports?period=2022-H1');
      assert.equal(await page.locator('#issued').getByText('77/BC-LMHTX').count(), 0);
      // Issuing and confirming does.
      await page.locator('#issue #f-number').fill('77/BC-LMHTX');
      await Promise.all([
        page.waitForURL('**/reports/issue'),
        page.locator('#issue button[type="submit"]').click(),
      ]);
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/reports'),
        page.locator('#confirm button[type="submit"]').click(),
      ]);
      await page.locator('#issued').getByText('77/BC-LMHTX').first().waitFor();
      await context.close();
    }));
});
