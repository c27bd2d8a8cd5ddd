// Importing a spreadsheet through /imports: a file with a bad row is refused with the row
// named and nothing written; a good file is checked, confirmed and written.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { guarded, setup, submit } from './helpers.mjs';

let env;
before(async () => {
  env = await setup('imports');
});
after(async () => {
  await env?.close();
});

const HEADINGS = 'Mã số đăng ký,Loại hình,Tên tổ chức,Ngày thành lập,Mã xã,Lĩnh vực,Người đại diện';

/** A CSV file ("Tổ chức" sheet) for setInputFiles. */
function csv(name, rows) {
  return {
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from([HEADINGS, ...rows].join('\r\n') + '\r\n', 'utf8'),
  };
}

async function upload(page, file) {
  await page.goto('/imports');
  await page.locator('#upload #f-file').setInputFiles(file);
  return submit(page, '#upload');
}

describe('importing organisations from CSV', () => {
  const badCode = '2799990101';
  const goodCode = '2799990102';
  const goodName = 'Hợp tác xã Nhập thử Gia Bình';

  test('a file with an impossible date is refused with the row, column and reason', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      const res = await upload(
        page,
        csv('to-chuc-loi.csv', [
          `2799990100,HTX,Hợp tác xã Dòng đúng,10/01/2023,09454,Thương mại - dịch vụ,Nguyễn Văn An`,
          `${badCode},HTX,Hợp tác xã Ngày sai,31/02/2023,09454,Dịch vụ nông nghiệp,`,
        ]),
      );
      assert.equal(res.status, 422);
      const rows = page.locator('#import-errors tbody tr');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 1, 'exactly one bad row');
      const cells = (await rows.first().locator('td').allInnerTexts()).map((s) => s.trim());
      // Columns: Sheet, Dòng, Cột, Lý do. Line 3 of the file is the second data row.
      assert.equal(cells[1], '3');
      assert.equal(cells[2], 'Ngày thành lập');
      assert.match(cells[3], /31\/02\/2023/);
      assert.equal(await page.locator('#confirm').count(), 0, 'no confirm button for a bad file');

      // All or nothing: the good row of the bad file was not written either.
      for (const code of ['2799990100', badCode]) {
        const r = await context.request.get(`/api/v1/orgs?q=${code}`);
        assert.equal(r.status(), 200);
        assert.equal((await r.json()).total, 0, `${code} must not be in the registry`);
      }
      await context.close();
    }));

  test(
    'the error table names the uploaded file as the sheet',
    async (t) => {
      let sheet;
      await guarded(env, t, async () => {
        const { context, page } = await env.newUser('canbo');
        await upload(page, csv('to-chuc-loi.csv', [`${badCode},HTX,Hợp tác xã Ngày sai,31/02/2023,09454,trade,`]));
        sheet = (await page.locator('#import-errors tbody tr td').first().innerText()).trim();
        await context.close();
      });
      // docs/import-format.md: "Error messages use the file name without its extension as the sheet name."
      assert.equal(sheet, 'to-chuc-loi');
    },
  );

  test('a good file is checked, confirmed and written', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      const res = await upload(
        page,
        csv('to-chuc.csv', [`${goodCode},HTX,${goodName},15/03/2023,09454,Thương mại - dịch vụ,Trần Thị Bình`]),
      );
      assert.equal(res.status, 200);
      await page.locator('.notice.ok').waitFor();
      const facts = page.locator('dl.facts', { hasText: 'Tổ chức mới' });
      assert.match(await facts.innerText(), /Tổ chức mới\s+1\b/);
      // Checked but not yet written.
      let r = await context.request.get(`/api/v1/orgs?q=${goodCode}`);
      assert.equal((await r.json()).total, 0, 'nothing is written before the confirmation');

      const confirmed = await submit(page, '#confirm');
      assert.equal(confirmed.status, 200);
      await page.locator('.notice', { hasText: 'Đã ghi xong' }).waitFor();

      r = await context.request.get(`/api/v1/orgs?q=${goodCode}`);
      const body = await r.json();
      assert.equal(body.total, 1);
      assert.equal(body.items[0].name, goodName);
      await page.goto(`/orgs/${goodCode}`);
      await page.locator('h1', { hasText: goodName }).waitFor();
      await context.close();
    }));

  test('importing the same file again changes nothing', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      const res = await upload(
        page,
        csv('to-chuc.csv', [`${goodCode},HTX,${goodName},15/03/2023,09454,Thương mại - dịch vụ,Trần Thị Bình`]),
      );
      assert.equal(res.status, 200);
      const facts = page.locator('dl.facts', { hasText: 'Tổ chức mới' });
      await facts.waitFor();
      const text = await facts.innerText();
      assert.match(text, /Tổ chức mới\s+0\b/);
      assert.match(text, /Dòng đã có sẵn \(bỏ qua\)\s+1\b/);
      await context.close();
    }));
});
