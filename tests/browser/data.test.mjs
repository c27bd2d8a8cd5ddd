// Taking data out and looking at it over time: every list's XLSX and CSV links download files
// that parse and hold the list's date and filters; the dashboard's trend charts are SVG with
// their labels and figures, follow ?on= and ?area=, and open the list behind a column.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { guarded, setup } from './helpers.mjs';

let env;
before(async () => {
  env = await setup('data');
});
after(async () => {
  await env?.close();
});

/** The files of a zip (an XLSX), by name, read through its central directory. */
function unzip(bytes) {
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'a zip file ends with its directory');
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  const files = {};
  for (let i = 0; i < count; i++) {
    assert.equal(bytes.readUInt32LE(at), 0x02014b50, 'a directory entry');
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30);
    const comment = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const data = bytes.subarray(start, start + size);
    files[name] = (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

/** Follows a download link of the page and returns the file's name and bytes. */
async function download(page, name) {
  const link = page.getByRole('link', { name, exact: true });
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(await file.failure(), null);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** A CSV's lines without its byte-order mark. */
function csvLines(bytes) {
  const text = bytes.toString('utf8');
  assert.ok(text.startsWith('\ufeff'), 'a byte-order mark for spreadsheet programs');
  return text.slice(1).split(/\r?\n/).filter((l) => l !== '');
}

const LISTS = [
  {
    page: '/orgs?kind=HTX&on=30%2F06%2F2022',
    title: /^Sổ theo dõi tổ chức kinh tế tập thể tại ngày 30\/06\/2022; loại hình HTX: [\d.]+ tổ chức\.$/,
    headings: 'Mã số,Tên,Loại hình,Lĩnh vực,Tình trạng,Địa bàn',
    file: /^so-theo-doi-2022-06-30\./,
  },
  {
    page: '/fund/loans?on=30%2F06%2F2022',
    title: /^Danh sách khoản vay của Quỹ hỗ trợ tại ngày 30\/06\/2022: [\d.]+ khoản vay\.$/,
    headings: 'Số hợp đồng,Bên vay,Ngày hợp đồng,Số tiền phê duyệt (đồng),Dư nợ (đồng),Nợ quá hạn (đồng),Số ngày quá hạn',
    file: /^khoan-vay-2022-06-30\./,
  },
  {
    page: '/alliance?period=2022-H1&part=activities',
    title: /^Hoạt động của Liên minh 6 tháng đầu năm 2022 \(từ ngày 01\/01\/2022 đến ngày 30\/06\/2022\): \d+ hoạt động; lập ngày \d\d\/\d\d\/\d{4}\.$/,
    headings: 'Ngày bắt đầu,Ngày kết thúc,Loại hoạt động,Tên hoạt động,Tình trạng,Địa bàn,Lượt người tham dự,Số lượng,Đơn vị phối hợp,"Kênh, nơi tổ chức",Số văn bản,Ghi chú',
    file: /^hoat-dong-2022-H1\./,
  },
  {
    page: '/audit?entity=organisation',
    title: /^Nhật ký thay đổi lập ngày \d\d\/\d\d\/\d{4}; đối tượng tổ chức: [\d.]+ mục\.$/,
    headings: 'Thời điểm,Người thực hiện,Thao tác,Bản ghi,Giá trị thay đổi',
    file: /^nhat-ky-/,
  },
];

describe('every list taken out', () => {
  for (const list of LISTS) {
    test(`${list.page}: the CSV and XLSX links download the list with its date and filters`, (t) =>
      guarded(env, t, async () => {
        const { context, page } = await env.newUser('canbo');
        if (list.page.startsWith('/audit')) {
          // Something in the log from the pages: register an organisation.
          await page.goto('/orgs/new');
          await page.locator('#f-kind').selectOption('HTX');
          await page.locator('#f-code').fill('2799000777');
          await page.locator('#f-name').fill('HTX Tải Về');
          await page.locator('#f-date').fill('01/03/2022');
          await page.locator('#f-commune').fill('09454');
          await page.locator('#f-sector').selectOption('agri_services');
          await Promise.all([
            page.waitForURL('**/orgs/2799000777'),
            page.locator('form[action="/orgs"] button[type="submit"]').click(),
          ]);
        }
        await page.goto(list.page);
        const csv = await download(page, 'Tải về CSV');
        assert.match(csv.name, list.file);
        assert.match(csv.name, /\.csv$/);
        const lines = csvLines(csv.bytes);
        assert.match(lines[0], list.title);
        assert.equal(lines[2], list.headings);
        const rows = lines.length - 3;
        assert.ok(rows > 0, 'the list has rows');

        const xlsx = await download(page, 'Tải về XLSX');
        assert.match(xlsx.name, /\.xlsx$/);
        assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK');
        const files = unzip(xlsx.bytes);
        const sheet = files['xl/worksheets/sheet1.xml'];
        assert.ok(sheet, 'a worksheet');
        assert.equal((sheet.match(/<row /g) || []).length, rows + 2, 'title, headings and the same rows');
        const strings = files['xl/sharedStrings.xml'] ?? sheet;
        assert.ok(strings.includes(lines[0].replace(/&/g, '&amp;')), 'the same title line');
        await context.close();
      }));
  }

  test('an area officer may not take out the fund, the Alliance or the log', (t) =>
    guarded(env, t, async () => {
      const { context } = await env.newUser('giabinh');
      for (const path of ['/fund/loans/export?format=csv', '/alliance/activities/export?format=csv', '/audit/export?format=csv']) {
        assert.equal((await context.request.get(path)).status(), 403, path);
      }
      await context.close();
    }));
});

/** What the column titled "label – series: value" says, or null. */
async function columnValue(page, chart, label, series) {
  const titles = await page.locator(`#${chart} svg rect > title`).allTextContents();
  const prefix = `${label} – ${series}: `;
  const hit = titles.find((t) => t.startsWith(prefix));
  return hit === undefined ? null : hit.slice(prefix.length);
}

describe('the dashboard over time', () => {
  test('the trend charts are SVG with labels and figures, readable without scripts', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo', { javaScriptEnabled: false });
      await page.goto('/?on=30/06/2022');
      for (const id of ['trend-stock', 'trend-flows', 'trend-book', 'trend-activities']) {
        const svg = page.locator(`#${id} svg`);
        await svg.waitFor();
        assert.ok((await svg.locator('rect').count()) > 0, `${id} has columns`);
        assert.ok((await svg.locator('text.scale').count()) >= 2, `${id} has a scale`);
        const box = await svg.boundingBox();
        assert.ok(box.width > 200 && box.height > 80, `${id} is drawn: ${JSON.stringify(box)}`);
        // The figures as a table too.
        await page.locator(`#${id} summary`).click();
        assert.ok((await page.locator(`#${id} details tbody tr`).count()) > 0);
      }
      const periods = await page.locator('#trend-stock text.period').allTextContents();
      assert.ok(periods.includes('2013'), periods.join(' '));
      assert.equal(periods.at(-1), '30/06/2022', 'the last point is the date asked');
      assert.deepEqual(
        await page.locator('#trend-stock .legend').innerText().then((s) => s.split(/\s+/).filter(Boolean)),
        ['THT', 'HTX', 'LHHTX', 'QTDND'],
      );
      assert.match(await columnValue(page, 'trend-book', '05/2022', 'Dư nợ'), /^[\d.]+ đồng$/);
      assert.match(await columnValue(page, 'trend-activities', 'Q1/2022', 'Hoạt động'), /^\d+$/);
      await context.close();
    }));

  test('?on= and ?area= change the charts, and a column opens the list it counts', (t) =>
    guarded(env, t, async () => {
      const { context, page } = await env.newUser('canbo');
      await page.goto('/?on=30/06/2022');
      const whole = await columnValue(page, 'trend-stock', '2020', 'HTX');
      assert.match(whole, /^[\d.]+$/);

      await page.goto('/?on=31/12/2020');
      const periods = await page.locator('#trend-stock text.period').allTextContents();
      assert.equal(periods.at(-1), '2020', 'ends at the date asked');
      assert.equal(await columnValue(page, 'trend-stock', '2021', 'HTX'), null);
      assert.equal(await columnValue(page, 'trend-stock', '2020', 'HTX'), whole, 'a year end is the same on any later date');

      await page.goto('/?on=30/06/2022&area=old-263');
      const district = await columnValue(page, 'trend-stock', '2020', 'HTX');
      const n = (s) => Number(s.replace(/\./g, ''));
      assert.ok(n(district) > 0 && n(district) < n(whole), `${district} of ${whole}`);
      assert.equal(await page.locator('#trend-book').count(), 0, "the province's loan book is not drawn for a district");

      // The district's HTX at the end of 2020 open as the registry list of that date and area.
      const column = page.locator('#trend-stock a', { has: page.locator('title', { hasText: /^2020 – HTX: / }) });
      await Promise.all([page.waitForURL('**/orgs?**'), column.click()]);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('on'), '31/12/2020');
      assert.equal(url.searchParams.get('area'), 'old-263');
      assert.equal(url.searchParams.get('kind'), 'HTX');
      assert.ok((await page.locator('main').innerText()).includes(district), `the list counts ${district}`);
      await context.close();
    }));
});
