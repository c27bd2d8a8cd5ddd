// Shared helpers for the browser tests: start `htx serve --demo` on a free port, launch the
// system Chromium through playwright-core, log in as a demo account, save screenshots.
//
// Each test file starts its own server (a fresh temporary demo database) and its own browser,
// so files never see each other's changes and may run in parallel.
//
// Environment:
//   HTX_BIN          htx binary (default $CARGO_TARGET_DIR/debug/htx or target/debug/htx,
//                    relative to the repository root)
//   CHROMIUM_PATH    Chromium executable (default /usr/bin/chromium)
//   HTX_TEST_HEADED  set to 1 to watch the browser (needs a display)

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, createWriteStream, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const SCREENSHOTS = join(ARTIFACTS, 'screenshots');
export const FAILURES = join(ARTIFACTS, 'failures');
export const PASSWORD = 'htx-demo-2022';

const SERVER_START_TIMEOUT_MS = 120_000;

/** A port nobody listens on right now. */
function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** Resolves when GET url answers 200 "ok"; rejects when the process dies or time runs out. */
async function waitHealthy(url, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`htx exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok && (await res.text()).trim() === 'ok') return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200)); // polling interval, not a timing assumption
  }
  throw new Error(`htx did not answer ${url} within ${SERVER_START_TIMEOUT_MS / 1000} s`);
}

/**
 * Starts `htx serve --demo` on a free port in a temporary working directory (so no htx.toml
 * or htx.db of the checkout is used). Its output goes to test-artifacts/server-NAME.log.
 * Returns { baseURL, stop }.
 */
export async function startServer(name) {
  const bin = resolve(ROOT, process.env.HTX_BIN || `${process.env.CARGO_TARGET_DIR || 'target'}/debug/htx`);
  if (!existsSync(bin)) throw new Error(`htx binary not found at ${bin}: run cargo build or set HTX_BIN`);
  mkdirSync(ARTIFACTS, { recursive: true });
  let lastError;
  // A port found free can be taken by someone else before htx binds it: try again then.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const cwd = mkdtempSync(join(tmpdir(), 'htx-browser-'));
    const log = createWriteStream(join(ARTIFACTS, `server-${name}.log`), { flags: attempt === 1 ? 'w' : 'a' });
    const env = { ...process.env, RUST_LOG: process.env.RUST_LOG || 'warn' };
    for (const k of ['HTX_DATABASE_URL', 'HTX_PORT', 'HTX_BIND']) delete env[k];
    const child = spawn(bin, ['serve', '--demo', '--port', String(port), '--bind', '127.0.0.1'], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    const baseURL = `http://127.0.0.1:${port}`;
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      log.end();
      rmSync(cwd, { recursive: true, force: true });
    };
    try {
      await waitHealthy(`${baseURL}/healthz`, child, Date.now() + SERVER_START_TIMEOUT_MS);
      return { baseURL, stop };
    } catch (e) {
      lastError = e;
      await stop();
    }
  }
  throw new Error(`could not start htx (see test-artifacts/server-${name}.log): ${lastError.message}`);
}

/** The system Chromium, headless. */
export function launchBrowser() {
  const headed = process.env.HTX_TEST_HEADED === '1';
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: !headed,
    args: [
      ...(headed ? [] : ['--headless']),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

/**
 * Server + browser for one test file. Call in `before`; `close` in `after`.
 * `newUser(user)` gives a fresh browser context (its own cookies) logged in as that demo user,
 * and the page it logged in with.
 */
export async function setup(name) {
  const server = await startServer(name);
  let browser;
  try {
    browser = await launchBrowser();
  } catch (e) {
    await server.stop();
    throw e;
  }
  const contexts = [];
  const env = {
    baseURL: server.baseURL,
    browser,
    async newContext(options = {}) {
      const context = await browser.newContext({
        baseURL: server.baseURL,
        locale: 'vi-VN',
        timezoneId: 'Asia/Ho_Chi_Minh',
        viewport: { width: 1280, height: 800 },
        acceptDownloads: true,
        ...options,
      });
      context.setDefaultTimeout(20_000);
      context.setDefaultNavigationTimeout(30_000);
      contexts.push(context);
      return context;
    },
    async newUser(user, options) {
      const context = await env.newContext(options);
      const page = await context.newPage();
      await login(page, user);
      return { context, page };
    },
    /** Screenshots every open page into test-artifacts/failures/ (call when a test failed). */
    async saveFailureScreens(testName) {
      mkdirSync(FAILURES, { recursive: true });
      let i = 0;
      for (const c of contexts) {
        for (const p of c.pages()) {
          i += 1;
          const file = join(FAILURES, `${name}--${slug(testName)}--${i}.png`);
          await p.screenshot({ path: file, fullPage: true }).catch(() => {});
        }
      }
    },
    async close() {
      await browser.close().catch(() => {});
      await server.stop();
    },
  };
  return env;
}

/**
 * Runs body(); on failure, screenshots the open pages before rethrowing. Use as the test body:
 *   test('x', (t) => guarded(env, t, async () => { ... }))
 */
export async function guarded(env, t, body) {
  try {
    await body();
  } catch (e) {
    await env.saveFailureScreens(t.name);
    throw e;
  }
}

/** Logs in through the login form and waits for the redirect away from /login. */
export async function login(page, user, password = PASSWORD) {
  await page.goto('/login');
  await page.locator('#f-username').fill(user);
  await page.locator('#f-password').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/login'),
    page.locator('form[action="/login"] button[type="submit"]').click(),
  ]);
}

/**
 * Submits a form by clicking its submit button, waits until the resulting page has loaded and
 * returns { status, redirected }: the HTTP status of the page shown, and whether the POST
 * answered with a redirect (the usual Post/Redirect/Get on success).
 */
export async function submit(page, formSelector) {
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator(formSelector).locator('button[type="submit"]').click(),
  ]);
  if (!response) throw new Error(`submitting ${formSelector} did not load a page`);
  const redirectedFrom = response.request().redirectedFrom();
  return {
    status: response.status(),
    redirected: redirectedFrom !== null && redirectedFrom.method() === 'POST',
  };
}

/** The session's CSRF token, read from any form of the current page. */
export function csrfToken(page) {
  return page.locator('input[name="_csrf"]').first().inputValue();
}

/** Full-page screenshot into test-artifacts/screenshots/NAME.png. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Vietnamese text without accents, lower case ("Thuận Thành" → "thuan thanh"). */
export function unaccent(s) {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

function slug(s) {
  return unaccent(s).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}
