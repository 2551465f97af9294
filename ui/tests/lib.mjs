// Shared by the UI tests: a static server for ui/dist with the app's CSP, Chromium through
// playwright-core, and the checks every screen must pass.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, afterEach, before } from 'node:test';
import { mkdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const UI = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(UI, 'dist');
export const SCREENSHOTS = join(UI, 'test-results', 'screenshots');

/** Exactly the CSP the Tauri app runs under: read from src-tauri/tauri.conf.json. */
export const CSP = Object.entries(
  JSON.parse(readFileSync(join(UI, '..', 'src-tauri', 'tauri.conf.json'), 'utf8')).app.security.csp,
)
  .map(([directive, sources]) => `${directive} ${sources}`)
  .join('; ');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

/** Serves ui/dist on a loopback port, every response with the CSP header. */
export async function startServer() {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(DIST, path === '/' ? 'index.html' : path));
    if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) {
      file = join(DIST, 'index.html');
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'Cache-Control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

/**
 * Debian's Chromium, headless. Playwright gives every launch a fresh temporary profile
 * (its own --user-data-dir, removed on close); it refuses one passed in `args`.
 */
export async function launch(extraArgs = []) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
  return browser;
}

/**
 * A fresh page at `url` in a new context; `problems` collects console errors, page
 * errors and CSP violations: every test asserts it stays empty. `permissions` are granted
 * to the context (e.g. `camera`); `prepare(context)` runs before the page opens.
 */
export async function openPage(
  browser,
  url,
  { width = 360, height = 640, clock = false, permissions = [], prepare = null } = {},
) {
  const context = await browser.newContext({
    viewport: { width, height },
    locale: 'fa-IR',
    reducedMotion: 'reduce',
    permissions,
  });
  context.setDefaultTimeout(10_000);
  if (prepare) await prepare(context);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning' || /Content Security Policy/i.test(m.text())) {
      problems.push(`console ${m.type()}: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  if (clock) await page.clock.install();
  await page.goto(url);
  await page.waitForSelector('main h1');
  return { page, context, problems };
}

/** The page of a test, freshly reset double: every stored state gone. */
export async function freshPage(browser, url, options) {
  const session = await openPage(browser, url, options);
  await session.page.evaluate(() => window.__ehrazDouble.reset());
  await session.page.reload();
  await session.page.waitForSelector('main h1');
  return session;
}

// ---- Fluent, for expected texts ----

const require = createRequire(import.meta.url);
const { FluentBundle, FluentResource } = require('@fluent/bundle');

const ROOT = join(UI, '..');

export function catalogue(locale) {
  const bundle = new FluentBundle(locale === 'fa' ? 'fa-IR' : 'en-GB');
  for (const file of ['ehraz-core.ftl', 'ehraz-app.ftl', 'ehraz-vision.ftl']) {
    bundle.addResource(new FluentResource(readFileSync(join(ROOT, 'i18n', locale, file), 'utf8')));
  }
  return bundle;
}

const fa = catalogue('fa');

export function toPersianDigits(text) {
  return String(text).replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
}

/** The Persian message `id` as the UI shows it (isolation marks dropped). */
export function faText(id, args) {
  const m = fa.getMessage(id);
  if (!m?.value) throw new Error(`no fa message ${id}`);
  return toPersianDigits(fa.formatPattern(m.value, args ?? null)).replace(/[\u2068\u2069]/g, '');
}

/** Text of a locator without bidi isolation marks. */
export async function textOf(locator) {
  return ((await locator.textContent()) ?? '').replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ').trim();
}

// ---- test data ----

export function nationalCode(prefix9) {
  const digits = [...prefix9].map(Number);
  const r = digits.reduce((a, d, i) => a + d * (10 - i), 0) % 11;
  return prefix9 + String(r < 2 ? r : 11 - r);
}

export function bankCard(prefix15) {
  for (let d = 0; d <= 9; d += 1) {
    const n = prefix15 + d;
    const sum = [...n]
      .reverse()
      .map(Number)
      .reduce((a, x, i) => a + (i % 2 ? (x * 2 > 9 ? x * 2 - 9 : x * 2) : x), 0);
    if (sum % 10 === 0) return n;
  }
  throw new Error('unreachable');
}

export const DATA = {
  mobile: '09121234567',
  nationalCode: nationalCode('001234567'),
  tracking: '1234567890',
  serial: '1G23456789',
  birthDate: '1370/01/15',
  landline: '02112345678',
  postal: '1345678911',
  address: 'تهران، خیابان آزادی، کوچه‌ی دوازدهم، پلاک ۳',
  bankCard: bankCard('603799123456789'),
};

// ---- the checks of every screen ----

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Saves a screenshot and checks: nothing overflows sideways, every control is at least
 * 44×44 px, all visible text has contrast ≥ 4.5:1, axe finds nothing (its contrast rule
 * aside: ours covers Persian text it skips), and every visible number is in Persian
 * digits (fa). Returns the problems found.
 */
export async function auditScreen(page, name, { digits = true } = {}) {
  const size = page.viewportSize();
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size.width}x${size.height}.png`), fullPage: true });
  const problems = [];

  const layout = await page.evaluate(() => {
    const out = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth) out.push(`overflows sideways: ${doc.scrollWidth} > ${window.innerWidth}`);
    const controls = document.querySelectorAll(
      'button, a[href], input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])',
    );
    for (const el of controls) {
      if (!el.checkVisibility()) continue;
      const target = el.matches('input[type="radio"], input[type="checkbox"]') ? (el.closest('label') ?? el) : el;
      const r = target.getBoundingClientRect();
      if (r.width < 44 || r.height < 44) {
        out.push(`small target ${Math.round(r.width)}×${Math.round(r.height)}: ${el.outerHTML.slice(0, 80)}`);
      }
    }
    return out;
  });
  problems.push(...layout);

  const contrast = await page.evaluate(() => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = '1'] = m[1].split(/[\s,/]+/).filter(Boolean);
      return [Number(r), Number(g), Number(b), Number(a)];
    };
    const lum = ([r, g, b]) => {
      const f = (v) => {
        const s = v / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const blend = (top, bottom) => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
    };
    /** The colour behind an element: its and its ancestors' backgrounds composited. */
    const backgroundOf = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg && bg[3] > 0) {
          layers.push(bg);
          if (bg[3] >= 1) break;
        }
      }
      let color = [255, 255, 255, 1];
      for (const layer of layers.reverse()) color = blend(layer, color);
      return color;
    };
    const hidden = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.clipPath === 'inset(50%)' || s.visibility === 'hidden' || s.display === 'none') return true;
      }
      return !el.checkVisibility();
    };
    const out = [];
    const elements = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (walker.currentNode.textContent.trim() && walker.currentNode.parentElement) {
        elements.add(walker.currentNode.parentElement);
      }
    }
    for (const el of document.querySelectorAll('input[type="text"], textarea')) if (el.value) elements.add(el);
    for (const el of elements) {
      if (el.closest('script, style, dialog:not([open])') || hidden(el)) continue;
      const fg = parse(getComputedStyle(el).color);
      if (!fg) continue;
      const bg = backgroundOf(el);
      const text = blend(fg, bg);
      const [l1, l2] = [lum(text), lum(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      if (ratio < 4.5) out.push(`contrast ${ratio.toFixed(2)} < 4.5: "${(el.value || el.textContent).trim().slice(0, 40)}"`);
    }
    return out;
  });
  problems.push(...contrast);

  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { rules: { 'color-contrast': { enabled: false } } });
    return result.violations.map((v) => `axe ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  problems.push(...violations);

  if (digits) {
    const ascii = await page.evaluate(() => {
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const node = walker.currentNode;
        const el = node.parentElement;
        if (!el || el.closest('script, style') || !el.checkVisibility()) continue;
        if (/[0-9]/.test(node.textContent)) out.push(`ASCII digits on screen: "${node.textContent.trim().slice(0, 40)}"`);
      }
      for (const el of document.querySelectorAll('[aria-label], [aria-valuetext]')) {
        const label = `${el.getAttribute('aria-label') ?? ''}${el.getAttribute('aria-valuetext') ?? ''}`;
        if (/[0-9]/.test(label)) out.push(`ASCII digits in an accessible name: "${label}"`);
      }
      return out;
    });
    problems.push(...ascii);
  }
  return problems;
}

/**
 * Presses Tab (or Shift+Tab) until `selector` has focus, checking at every stop that the
 * focused element shows its focus ring; fails after 25 stops.
 */
export async function tabTo(page, selector, { backwards = false } = {}) {
  for (let i = 0; i < 25; i += 1) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    assert.ok(await focusRingVisible(page), `focus ring visible at stop ${i}`);
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

/** Whether the focused element shows a focus ring (outline or box-shadow). */
export async function focusRingVisible(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const s = getComputedStyle(el);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    return outline || (s.boxShadow !== 'none' && s.boxShadow !== '');
  });
}

// ---- driving the wizard ----

/** Waits until the screen's heading is `text`. */
export async function heading(page, text) {
  await page.locator('main h1', { hasText: text }).waitFor();
}

export async function atStep(page, step) {
  await heading(page, faText(`step-${step}`));
}

/** Drives the double into a position, then reloads: the app resumes there. */
export async function drive(page, flow, step, answers, submitted = false) {
  await page.evaluate(([f, s, a, sub]) => window.__ehrazDouble.drive(f, s, a, sub), [flow, step, answers, submitted]);
  await page.reload();
  await page.waitForSelector('main h1');
}

export async function chooseFlow(page, flow) {
  await page.getByRole('button', { name: faText(`start-flow-${flow}-title`) }).click();
}

export async function continueForm(page) {
  await page.getByRole('button', { name: faText('form-continue'), exact: true }).click();
}

/** Waits for the code to be sent and types it. */
export async function enterCode(page) {
  await page.locator('.sent-to .number').waitFor();
  const code = await page.evaluate(() => window.__ehrazDouble.lastCode());
  await page.fill('#one-time-code', code);
  return code;
}

export const SEJAM_ANSWERS = {
  mobile: DATA.mobile,
  'national-code': DATA.nationalCode,
  'sejam-tracking-code': DATA.tracking,
  'card-document': 'smart-card',
  'card-serial': DATA.serial,
};

export const SEJAM_DONE = {
  ...SEJAM_ANSWERS,
  'commit-truthful': 'true',
  'commit-own-identity': 'true',
  'commit-media-processing': 'true',
};

export const EXCHANGE_ANSWERS = {
  'national-code': DATA.nationalCode,
  mobile: DATA.mobile,
  'birth-date': DATA.birthDate,
  method: 'video',
  'contact-kind': 'address',
  address: DATA.address,
  'postal-code': DATA.postal,
};

/** Waits until the element `selector` reads `expected` (bidi isolation marks aside). */
export async function waitForText(page, selector, expected) {
  await page.waitForFunction(
    ([s, e]) => {
      const el = document.querySelector(s);
      return el !== null && el.textContent.replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ').includes(e);
    },
    [selector, expected],
  );
}

// ---- capture with the double's camera ----

/** Calls a control of the double's camera (`set`, `failPreview`, `report` …). */
export async function camera(page, method, ...args) {
  return page.evaluate(([m, a]) => window.__ehrazDouble.capture[m](...a), [method, args]);
}

/** Opens the camera from the rules screen and waits for the first frame on the canvas. */
export async function openCamera(page, ready = '#capture-shutter') {
  await page.locator('#capture-open').click();
  await page.locator('#capture-preview').waitFor();
  await page.locator(`${ready}:not([disabled])`).waitFor();
}

/** Waits until the review picture is loaded. */
export async function reviewShown(page) {
  await page.locator('#capture-review').waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector('#capture-review');
    return img?.complete && img.naturalWidth > 0;
  });
}

export async function takePhoto(page) {
  await page.locator('#capture-shutter:not([disabled])').click();
  await reviewShown(page);
}

/**
 * Holds the double's guidance at `code` (ready only if said so), or `'sequence'` / `'off'`:
 * photo steps then wait for the shutter rather than taking the photo by themselves.
 */
export async function guide(page, code, ready = false) {
  if (code === 'sequence' || code === 'off') await camera(page, 'set', { guidance: code });
  else await camera(page, 'guide', code, ready);
}

/** A whole photo step left to the guidance: open, the countdown takes the photo, use it. */
export async function photoStep(page) {
  await openCamera(page);
  await reviewShown(page);
  await page.locator('#capture-accept').click();
}

/** Records a video of the current step (its clock sped up) and waits for its review. */
export async function recordVideo(page, { timeScale = 4 } = {}) {
  await openCamera(page, '#record-start');
  await camera(page, 'set', { timeScale });
  await page.locator('#record-start').click();
  await page.locator('#record-stop:not([disabled])').click();
  await reviewShown(page);
}

/**
 * Registers a suite's hooks: one static server and one Chromium for the file, a fresh page
 * per test whose console errors and CSP violations fail that test. Returns `open(options)`,
 * which gives the test its page (options as for `freshPage`).
 */
export function usePages({ browserArgs = [] } = {}) {
  let server;
  let browser;
  let session;
  before(async () => {
    server = await startServer();
    browser = await launch(browserArgs);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    if (session) {
      const problems = session.problems;
      await session.context.close();
      session = null;
      assert.deepEqual(problems, [], 'no console errors or CSP violations');
    }
  });
  return async (options) => {
    session = await freshPage(browser, server.url, options);
    return session.page;
  };
}
