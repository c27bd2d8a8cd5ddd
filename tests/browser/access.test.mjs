// Area officers: `giabinh` (former district Gia Bình, unit old-263) sees and records the
// organisations of that area only, in the pages and in the JSON API.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { guarded, setup, submit } from './helpers.mjs';

let env;
before(async () => {
  env = await setup('access');
});
after(async () => {
  await env?.close();
});

const AREA = 'old-263'; // Huyện Gia Bình (before 1/7/2025)
const OTHER_AREA = 'old-262'; // Thị xã Thuận Thành

/** Codes of the organisations linked from #org-list on the current page. */
async function listedCodes(page) {
  const hrefs = await page.locator('#org-list tbody a[href^="/orgs/"]').evaluateAll((as) =>
    as.map((a) => a.getAttribute('href')),
  );
  return hrefs.map((h) => decodeURIComponent(h.slice('/orgs/'.length)));
}

/** The "N tổ chức · 1–50" count of the registry list's pager, or the number of rows. */
async function listTotal(page) {
  const pager = page.locator('.pager');
  if ((await pager.count()) > 0) {
    const m = (await pager.innerText()).match(/([\d.]+)\s+tổ chức/);
    if (m) return Number(m[1].replace(/\./g, ''));
  }
  return (await listedCodes(page)).length;
}

describe('an area officer and other areas', () => {
  let staff; // canbo: the whole province
  let officer; // giabinh
  let inside; // an organisation of Gia Bình
  let outside; // an organisation of Thuận Thành

  before(async () => {
    staff = await env.newUser('canbo');
    officer = await env.newUser('giabinh');
    const api = async (ctx, url) => {
      const r = await ctx.request.get(url);
      assert.equal(r.status(), 200, url);
      return r.json();
    };
    const mine = await api(staff.context, `/api/v1/orgs?area=${AREA}&limit=1000`);
    const theirs = await api(staff.context, `/api/v1/orgs?area=${OTHER_AREA}&limit=1`);
    assert.ok(mine.total > 0 && theirs.total > 0, 'the demo holds organisations in both areas');
    inside = { all: new Set(mine.items.map((o) => o.reg_code)), total: mine.total, code: mine.items[0].reg_code };
    outside = theirs.items[0];
  });

  test('the registry list only shows the officer’s area', (t) =>
    guarded(env, t, async () => {
      const { page } = officer;
      await page.goto('/orgs');
      const codes = await listedCodes(page);
      assert.ok(codes.length > 0);
      for (const code of codes) assert.ok(inside.all.has(code), `${code} is not in Gia Bình`);
      assert.equal(await listTotal(page), inside.total, 'as many as staff see for Gia Bình');
      // The area filter offers nothing else.
      const areas = await page.locator('#filters #f-area option').evaluateAll((os) => os.map((o) => o.value));
      assert.deepEqual(areas.filter(Boolean), [AREA]);
      // Searching for the other organisation by its code finds nothing.
      await page.goto(`/orgs?q=${outside.reg_code}`);
      assert.deepEqual(await listedCodes(page), []);
      // Staff do find it.
      await staff.page.goto(`/orgs?q=${outside.reg_code}`);
      assert.deepEqual(await listedCodes(staff.page), [outside.reg_code]);
    }));

  test('the organisation page and event form of another area answer 404, like a missing one', (t) =>
    guarded(env, t, async () => {
      const { page } = officer;
      const own = await page.goto(`/orgs/${inside.code}`);
      assert.equal(own.status(), 200);
      for (const path of [`/orgs/${outside.reg_code}`, `/orgs/${outside.reg_code}/events`]) {
        const res = await page.goto(path);
        assert.equal(res.status(), 404, path);
        await page.locator('.notice.error', { hasText: 'Không tìm thấy' }).waitFor();
        assert.equal(await page.getByText(outside.name).count(), 0, `${path} must not show the name`);
      }
    }));

  test('a form aimed at another area’s organisation is refused and changes nothing', (t) =>
    guarded(env, t, async () => {
      const before = await (await staff.context.request.get(`/api/v1/orgs/${outside.reg_code}`)).json();
      const { page } = officer;
      // The officer's own, valid form (with its CSRF token), pointed at the other organisation.
      await page.goto(`/orgs/${inside.code}/events`);
      await page.locator('#event').evaluate((form, code) => {
        form.action = `/orgs/${encodeURIComponent(code)}/events`;
      }, outside.reg_code);
      await page.locator('#event #f-kind').selectOption('suspended');
      await page.locator('#event #f-date').fill('01/10/2025');
      const res = await submit(page, '#event');
      // Refused for the area (as if it did not exist), not as an expired form (a 403).
      assert.equal(res.status, 404);
      await page.locator('.notice.error', { hasText: 'Không tìm thấy' }).waitFor();
      const afterwards = await (await staff.context.request.get(`/api/v1/orgs/${outside.reg_code}`)).json();
      assert.deepEqual(afterwards.events, before.events, 'no event was recorded');
    }));

  test('the JSON API answers 404 for another area, like a missing one', (t) =>
    guarded(env, t, async () => {
      const req = officer.context.request;
      const own = await req.get(`/api/v1/orgs/${inside.code}`);
      assert.equal(own.status(), 200);
      assert.equal((await req.get(`/api/v1/orgs/${outside.reg_code}`)).status(), 404);
      assert.equal((await req.get('/api/v1/orgs/0000000000')).status(), 404);
      assert.equal((await req.get(`/api/v1/orgs?area=${OTHER_AREA}`)).status(), 404);
      assert.equal((await req.get('/api/v1/orgs?area=old-256')).status(), 404);
      assert.equal((await req.get('/api/v1/orgs?area=old-99999')).status(), 404);
      // One of the officer's own communes: that commune's organisations only.
      const commune = (await (await req.get('/api/v1/orgs?limit=1')).json()).items[0].commune;
      const narrowed = await (await req.get(`/api/v1/orgs?area=${commune}&limit=1000`)).json();
      assert.ok(narrowed.total > 0 && narrowed.total < inside.total, `${commune}: ${narrowed.total}`);
      for (const o of narrowed.items) assert.equal(o.commune, commune);
      // Without an area, the list is limited to Gia Bình.
      const list = await (await req.get('/api/v1/orgs?limit=1000')).json();
      assert.equal(list.total, inside.total);
      for (const o of list.items) assert.ok(inside.all.has(o.reg_code), `${o.reg_code} is not in Gia Bình`);
    }));
});
