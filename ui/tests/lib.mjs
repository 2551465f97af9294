// Shared by the UI tests: a static server for ui/dist with the app's CSP, Chromium through
// playwright-core, and the checks every screen must pass.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, afterEach, before } from 'node:test';
import { mkdirSync, readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { parse as parseToml } from 'smol-toml';

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

/** The heading of a screen of the app, once it is up (the loading screen's aside). */
export const SCREEN_HEADING = 'main h1:not(.loading-title)';

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
  await page.waitForSelector(SCREEN_HEADING);
  return { page, context, problems };
}

/** The page of a test, freshly reset double: every stored state gone. */
export async function freshPage(browser, url, options) {
  const session = await openPage(browser, url, options);
  await session.page.evaluate(() => window.__ehrazDouble.reset());
  await session.page.reload();
  await session.page.waitForSelector(SCREEN_HEADING);
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

/** A Persian letter: not a digit, a diacritic or the tatweel. */
export const PERSIAN_LETTER = /[\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06fa-\u06ff]/u;

/** What Tab can reach. */
export const TABBABLE =
  'button:not([disabled]), a[href], input:not([type="hidden"]):not([disabled]), select:not([disabled]), ' +
  'textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * Installs `window.__audit` in the page: WCAG's relative luminance and contrast ratio,
 * alpha compositing, and the colours that may lie behind an element — its own and its
 * ancestors' backgrounds composited, or, where those lie over a picture (the camera's
 * canvas, a photo), the same layers over a black and over a white picture, since either
 * may be shown there.
 */
function installAuditHelpers() {
  if (window.__audit) return;
  const parse = (c) => {
    const m = c?.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const [r, g, b, a = '1'] = m[1].split(/[\s,/]+/).filter(Boolean);
    return [Number(r), Number(g), Number(b), a.endsWith('%') ? Number(a.slice(0, -1)) / 100 : Number(a)];
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
  /** Contrast of `fg` (perhaps translucent) drawn over the opaque `bg`. */
  const contrast = (fg, bg) => {
    const [l1, l2] = [lum(blend(fg, bg)), lum(bg)].sort((a, b) => b - a);
    return (l1 + 0.05) / (l2 + 0.05);
  };
  const overlaps = (a, b) => a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
  /** Whether `ancestor` holds a picture drawn under `el`. */
  const pictureUnder = (el, ancestor) => {
    const r = el.getBoundingClientRect();
    for (const m of ancestor.querySelectorAll('canvas, video, img')) {
      if (m.contains(el) || el.contains(m) || !m.checkVisibility()) continue;
      if (overlaps(r, m.getBoundingClientRect())) return true;
    }
    return false;
  };
  /** The opaque colours that may be behind `el`: one, or two over a picture. */
  const backgroundsOf = (el) => {
    const layers = [];
    let picture = false;
    for (let e = el; e; e = e.parentElement) {
      if (pictureUnder(el, e)) {
        picture = true;
        break;
      }
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg && bg[3] > 0) {
        layers.push(bg);
        if (bg[3] >= 1) break;
      }
    }
    const bases = picture
      ? [
          [0, 0, 0, 1],
          [255, 255, 255, 1],
        ]
      : [[255, 255, 255, 1]];
    return bases.map((base) => layers.reduceRight((under, layer) => blend(layer, under), base));
  };
  const hidden = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.clipPath === 'inset(50%)' || s.visibility === 'hidden' || s.display === 'none') return true;
    }
    return !el.checkVisibility();
  };
  /** Outside an open modal dialog everything is inert: only the dialog is audited then. */
  const inScope = (el) => {
    const modal = document.querySelector('dialog:modal');
    return !modal || modal.contains(el);
  };
  /** The focus indicator `el` shows now: its width and its contrast with what is around it. */
  const ring = (el) => {
    const s = getComputedStyle(el);
    let colour = null;
    let width = 0;
    let outside = true;
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) {
      colour = parse(s.outlineColor);
      width = parseFloat(s.outlineWidth);
      outside = parseFloat(s.outlineOffset) >= 0;
    } else if (s.boxShadow && s.boxShadow !== 'none') {
      colour = parse(s.boxShadow);
      const lengths = s.boxShadow.replace(/rgba?\([^)]*\)/, '').match(/-?[\d.]+px/g) ?? [];
      width = Math.max(parseFloat(lengths[3] ?? '0'), parseFloat(lengths[2] ?? '0'));
      outside = !s.boxShadow.includes('inset');
    }
    if (!colour || colour[3] === 0) return { width: 0, ratio: 0 };
    const around = backgroundsOf(outside ? (el.parentElement ?? el) : el);
    return { width, ratio: Math.min(...around.map((b) => contrast(colour, b))) };
  };
  window.__audit = { parse, blend, contrast, backgroundsOf, hidden, inScope, ring };
}

/** An element's markup on one line, short enough for a message. */
const snippet = (html) => html.replace(/\s+/g, ' ').slice(0, 80);

/**
 * Saves a screenshot and checks: nothing overflows sideways, every control is at least
 * 44×44 px, all visible text has contrast ≥ 4.5:1 (over a picture, against both a black
 * and a white one), control boundaries, focus rings and meaningful graphics ≥ 3:1, axe
 * finds nothing (its contrast rule aside: ours covers Persian text it skips), every
 * control, image and landmark has an accessible name (in Persian on a Persian page) that
 * holds its visible label, icons are hidden from screen readers, the window's title names
 * the screen, and every visible number is in Persian digits (fa). Returns the problems.
 */
export async function auditScreen(page, name, { digits = true } = {}) {
  const size = page.viewportSize();
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The pointer away from every control: what is audited is the screen, not a hover.
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size.width}x${size.height}.png`), fullPage: true });
  await page.evaluate(installAuditHelpers);
  const problems = [];

  const layout = await page.evaluate((tabbable) => {
    const out = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth) out.push(`overflows sideways: ${doc.scrollWidth} > ${window.innerWidth}`);
    for (const el of document.querySelectorAll(`${tabbable}, button`)) {
      if (!el.checkVisibility()) continue;
      const target = el.matches('input[type="radio"], input[type="checkbox"]') ? (el.closest('label') ?? el) : el;
      const r = target.getBoundingClientRect();
      if (r.width < 44 || r.height < 44) {
        out.push(`small target ${Math.round(r.width)}×${Math.round(r.height)}: ${el.outerHTML.slice(0, 80)}`);
      }
    }
    return out;
  }, TABBABLE);
  problems.push(...layout);

  problems.push(...(await textContrast(page)));
  problems.push(...(await nonTextContrast(page)));
  problems.push(...(await focusRings(page)));

  problems.push(...(await axeViolations(page)));

  problems.push(...(await accessibleNames(page)));
  problems.push(...(await textAlternatives(page)));

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
      if (/[0-9]/.test(document.title)) out.push(`ASCII digits in the title: "${document.title}"`);
      return out;
    });
    problems.push(...ascii);
  }
  return problems;
}

/**
 * axe-core's findings, its contrast rule aside, with some of its experimental rules on. axe
 * runs in a world of its own (as a browser extension's script does): it sees the page's
 * document but not its globals, so a page whose clock is held (page.clock) does not hold
 * axe's timers too.
 */
async function axeViolations(page) {
  const cdp = await cdpOf(page);
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const { executionContextId: contextId } = await cdp.send('Page.createIsolatedWorld', {
    frameId: frameTree.frame.id,
    worldName: 'axe',
  });
  await cdp.send('Runtime.evaluate', { expression: axeSource, contextId });
  const options = {
    rules: {
      'color-contrast': { enabled: false },
      'label-content-name-mismatch': { enabled: true },
      'css-orientation-lock': { enabled: true },
      'p-as-heading': { enabled: true },
    },
  };
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
    expression: `axe.run(document, ${JSON.stringify(options)}).then((r) => r.violations.map((v) =>
      'axe ' + v.id + ': ' + v.help + ' (' + v.nodes.map((n) => n.target.join(' ')).join(', ') + ')'))`,
    contextId,
    awaitPromise: true,
    returnByValue: true,
  });
  if (exceptionDetails) throw new Error(`axe: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
  return result.value;
}

/** Text (and typed values, and a select's choice) against what is behind it: ≥ 4.5:1. */
async function textContrast(page) {
  await page.evaluate(installAuditHelpers);
  return page.evaluate(() => {
    const { parse, contrast, backgroundsOf, hidden } = window.__audit;
    const out = [];
    const elements = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (walker.currentNode.textContent.trim() && walker.currentNode.parentElement) {
        elements.add(walker.currentNode.parentElement);
      }
    }
    for (const el of document.querySelectorAll('input[type="text"], textarea')) if (el.value) elements.add(el);
    for (const el of document.querySelectorAll('select')) elements.add(el);
    for (const el of elements) {
      if (el.closest('script, style, dialog:not([open]), option') || hidden(el)) continue;
      const fg = parse(getComputedStyle(el).color);
      if (!fg) continue;
      const ratio = Math.min(...backgroundsOf(el).map((bg) => contrast(fg, bg)));
      const text = (el.value || el.textContent).trim().slice(0, 40);
      if (ratio < 4.5) out.push(`contrast ${ratio.toFixed(2)} < 4.5: "${text}"`);
    }
    return out;
  });
}

/**
 * WCAG 1.4.11 where it can be computed from styles: the boundary of each enabled control
 * that has one (its border, or its fill against what is around it), the filled part of
 * each meter and progress bar against its track, and the capture frame's outline against
 * the dark halo drawn under it over any picture: each ≥ 3:1. Native radio buttons and
 * check boxes are drawn by the engine, not by our styles, and are not measured here.
 */
async function nonTextContrast(page) {
  await page.evaluate(installAuditHelpers);
  return page.evaluate(() => {
    const { parse, blend, contrast, backgroundsOf, hidden, inScope } = window.__audit;
    const out = [];
    const controls = document.querySelectorAll(
      'input:not([type="radio"]):not([type="checkbox"]):not([type="hidden"]), textarea, select, button, [role="button"]',
    );
    for (const el of controls) {
      if (el.disabled || hidden(el) || !inScope(el)) continue;
      const s = getComputedStyle(el);
      const around = backgroundsOf(el.parentElement ?? el);
      const fill = parse(s.backgroundColor);
      const border = parse(s.borderTopColor);
      const hasBorder = s.borderTopStyle !== 'none' && parseFloat(s.borderTopWidth) >= 1 && border && border[3] > 0;
      const fillRatio = fill && fill[3] > 0 ? Math.min(...around.map((b) => contrast(fill, b))) : 1;
      const borderRatio = hasBorder ? Math.min(...around.map((b) => contrast(border, b))) : 1;
      // A control with neither a border nor a fill of its own is text alone: its words identify it.
      if (!hasBorder && fillRatio < 1.01) continue;
      const best = Math.max(fillRatio, borderRatio);
      if (best < 3) out.push(`control boundary ${best.toFixed(2)} < 3: ${el.outerHTML.replace(/\s+/g, ' ').slice(0, 80)}`);
    }
    for (const shape of document.querySelectorAll('[role="meter"] svg > *, [role="progressbar"] svg > *')) {
      if (hidden(shape.closest('svg'))) continue;
      const fillColour = parse(getComputedStyle(shape).fill);
      if (!fillColour) continue;
      const ratio = Math.min(...backgroundsOf(shape.closest('svg')).map((b) => contrast(fillColour, b)));
      if (ratio < 3) out.push(`bar fill ${ratio.toFixed(2)} < 3 against its track: ${shape.closest('[role]').getAttribute('role')}`);
    }
    for (const line of document.querySelectorAll('.capture-overlay .overlay-line > *')) {
      if (hidden(line.closest('svg'))) continue;
      const stroke = parse(getComputedStyle(line).stroke);
      const halo = parse(getComputedStyle(document.querySelector('.capture-overlay .overlay-halo > *')).stroke);
      const dim = parse(getComputedStyle(document.querySelector('.capture-overlay .overlay-dim')).fill);
      // The line lies on the edge of the hole: dimmed picture on one side, clear on the other.
      const unders = [
        [0, 0, 0, 1],
        [255, 255, 255, 1],
      ].flatMap((picture) => [picture, blend(dim, picture)]);
      const ratio = Math.min(...unders.map((u) => contrast(stroke, blend(halo, u))));
      const state = line.closest('svg').dataset.guidance;
      if (ratio < 3) out.push(`capture outline (${state}) ${ratio.toFixed(2)} < 3 against its halo`);
    }
    return out;
  });
}

const cdpSessions = new WeakMap();

/** A Chrome DevTools Protocol session of the page, with the domains the audit reads. */
async function cdpOf(page) {
  let session = cdpSessions.get(page);
  if (!session) {
    session = await page.context().newCDPSession(page);
    await session.send('DOM.enable');
    await session.send('CSS.enable');
    await session.send('Accessibility.enable');
    cdpSessions.set(page, session);
  }
  return session;
}

/**
 * The focus ring of every control Tab can reach, drawn as it is when focused from the
 * keyboard (each is forced into :focus and :focus-visible; no rule of ours styles one
 * element by another's focus, so all are forced at once): at least 2 px wide and ≥ 3:1
 * against what is around it.
 */
async function focusRings(page) {
  const cdp = await cdpOf(page);
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: TABBABLE });
  const force = (classes) =>
    Promise.all(nodeIds.map((nodeId) => cdp.send('CSS.forcePseudoState', { nodeId, forcedPseudoClasses: classes })));
  await force(['focus', 'focus-visible']);
  let rings;
  try {
    rings = await page.evaluate((selector) => {
      const { inScope, ring } = window.__audit;
      return [...document.querySelectorAll(selector)]
        .filter((el) => el.checkVisibility() && inScope(el))
        .map((el) => ({ ...ring(el), html: el.outerHTML }));
    }, TABBABLE);
  } finally {
    await force([]);
  }
  return rings
    .filter(({ width, ratio }) => width < 2 || ratio < 3)
    .map(({ width, ratio, html }) => `focus ring ${width}px, ${ratio.toFixed(2)}:1 (needs ≥ 2px, ≥ 3:1): ${snippet(html)}`);
}

/** Roles whose elements need a name even when they cannot take the focus. */
const NAMED_ROLES = new Set([
  'button', 'checkbox', 'radio', 'textbox', 'combobox', 'listbox', 'link', 'slider', 'spinbutton', 'switch',
  'searchbox', 'meter', 'progressbar', 'radiogroup', 'dialog', 'alertdialog', 'image', 'img', 'region',
  'complementary', 'form',
]);

/** Roles whose name must hold the label a sighted person reads (WCAG 2.5.3). */
const LABELLED_ROLES = new Set(['button', 'checkbox', 'radio', 'textbox', 'combobox', 'link']);

const plain = (text) => (text ?? '').replace(/[\u2068\u2069\u200e\u200f]/g, '').replace(/\s+/g, ' ').trim();

/**
 * Names as a screen reader gets them, from Chromium's accessibility tree: every control,
 * every focusable element and every image, meter, dialog and named region has a name; on a
 * Persian page the name has a Persian letter (an English or digits-only name is a fault),
 * and a control's name holds the words of its visible label.
 */
export async function accessibleNames(page) {
  const cdp = await cdpOf(page);
  const persian = await page.evaluate(() => document.documentElement.lang === 'fa');
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  /** Calls `fn` on the DOM node of an accessibility node, or gives null. */
  const onNode = async (node, fn) => {
    if (!node.backendDOMNodeId) return null;
    const { object } = await cdp.send('DOM.resolveNode', { backendNodeId: node.backendDOMNodeId });
    const { result } = await cdp.send('Runtime.callFunctionOn', {
      objectId: object.objectId,
      functionDeclaration: fn,
      returnByValue: true,
    });
    return result.value;
  };
  const where = async (node) =>
    `${node.role?.value ?? ''} ${snippet(String((await onNode(node, 'function () { return this.outerHTML ?? this.nodeName; }')) ?? ''))}`;
  const checks = nodes.map(async (node) => {
    if (node.ignored) return [];
    const role = node.role?.value ?? '';
    const focusable = node.properties?.some((p) => p.name === 'focusable' && p.value.value === true);
    if (!focusable && !NAMED_ROLES.has(role)) return [];
    const name = plain(node.name?.value);
    if (!name) return [`no accessible name: ${await where(node)}`];
    const out = [];
    if (persian && !PERSIAN_LETTER.test(name)) out.push(`accessible name without a Persian letter "${name}": ${await where(node)}`);
    if (LABELLED_ROLES.has(role)) {
      const label = plain(
        await onNode(
          node,
          `function () {
            if (this.labels?.length) return [...this.labels].map((l) => l.innerText).join(' ');
            return this.matches('button, a, [role="button"]') ? this.innerText : '';
          }`,
        ),
      );
      if (label && !name.includes(label)) out.push(`name "${name}" does not hold its visible label "${label}": ${await where(node)}`);
    }
    return out;
  });
  return (await Promise.all(checks)).flat();
}

/**
 * Pictures: every <img> has a text alternative (in Persian on a Persian page), the camera's
 * canvas is inside a named image, and every <svg> is either hidden from screen readers
 * (icons beside words, decoration) or part of a named image.
 */
async function textAlternatives(page) {
  return page.evaluate((letter) => {
    const persian = document.documentElement.lang === 'fa';
    const PERSIAN = new RegExp(letter, 'u');
    const out = [];
    const named = (el) => {
      const label = el.getAttribute('aria-label') ?? '';
      return label.trim() !== '' && (!persian || PERSIAN.test(label));
    };
    for (const svg of document.querySelectorAll('svg')) {
      if (svg.closest('[aria-hidden="true"]')) continue;
      const image = svg.closest('[role="img"]');
      if (image && named(image)) continue;
      out.push(`an svg that is neither hidden nor a named image: ${svg.outerHTML.slice(0, 80)}`);
    }
    for (const img of document.querySelectorAll('img')) {
      const alt = img.getAttribute('alt');
      if (alt === null || (alt.trim() !== '' && persian && !PERSIAN.test(alt))) {
        out.push(`an image without a ${persian ? 'Persian ' : ''}text alternative: ${img.outerHTML.slice(0, 80)}`);
      }
    }
    for (const canvas of document.querySelectorAll('canvas')) {
      if (canvas.closest('[aria-hidden="true"]')) continue;
      const image = canvas.closest('[role="img"]');
      if (!image || !named(image)) out.push(`a canvas outside a named image: ${canvas.outerHTML.slice(0, 80)}`);
    }
    const title = document.title;
    const heading = document.querySelector('main h1')?.textContent?.trim();
    if (persian && !PERSIAN.test(title)) out.push(`the window title has no Persian letter: "${title}"`);
    if (heading && !title.includes(heading)) out.push(`the window title "${title}" does not name the screen "${heading}"`);
    return out;
  }, PERSIAN_LETTER.source);
}

/**
 * Presses Tab (or Shift+Tab) until `target` (a selector or a locator) has focus, checking
 * at every stop that the focused element shows a focus ring and is not hidden under
 * anything (WCAG 2.4.11); fails after 40 presses.
 */
export async function tabTo(page, target, { backwards = false } = {}) {
  const focused =
    typeof target === 'string'
      ? () => page.evaluate((s) => document.activeElement?.matches(s) ?? false, target)
      : () => target.evaluate((el) => el === document.activeElement).catch(() => false);
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    // Past the last control the focus goes to the browser, and the next Tab comes back.
    if (await page.evaluate(() => document.activeElement === document.body)) continue;
    assert.ok(await focusRingVisible(page), `focus ring visible at stop ${i}: ${await focusedElement(page)}`);
    assert.equal(await focusObscured(page), null, `focused element not hidden at stop ${i}`);
    if (await focused()) return;
  }
  assert.fail(`Tab never reached ${target}`);
}

/** A short description of the focused element, for messages. */
export async function focusedElement(page) {
  return page.evaluate(() => document.activeElement?.outerHTML.replace(/\s+/g, ' ').slice(0, 80) ?? 'nothing');
}

/**
 * Whether the focused element shows a focus ring: an outline or a box shadow at least
 * 2 px wide with ≥ 3:1 against what is around it.
 */
export async function focusRingVisible(page) {
  await page.evaluate(installAuditHelpers);
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const { width, ratio } = window.__audit.ring(el);
    return width >= 2 && ratio >= 3;
  });
}

/**
 * Why the focused element is hidden, or null: it must be inside the window (scrolled into
 * view) and on top at its centre, not under a header, banner or overlay.
 */
export async function focusObscured(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'nothing focused';
    const r = el.getBoundingClientRect();
    if (r.bottom <= 0 || r.top >= window.innerHeight || r.right <= 0 || r.left >= window.innerWidth) {
      return `outside the window: ${Math.round(r.top)}..${Math.round(r.bottom)}`;
    }
    const x = Math.min(Math.max(r.left + r.width / 2, 0), window.innerWidth - 1);
    const y = Math.min(Math.max(r.top + r.height / 2, 0), window.innerHeight - 1);
    const top = document.elementFromPoint(x, y);
    if (!top || el.contains(top) || top.contains(el) || (el.labels && [...el.labels].some((l) => l.contains(top)))) return null;
    return `under ${top.outerHTML.slice(0, 60)}`;
  });
}

// ---- which screens were audited ----

const FLOW_DIR = join(UI, '..', 'crates', 'ehraz-core', 'flows');

/** The bundled flows by id, as the app and the double read them. */
export const FLOWS = Object.fromEntries(
  readdirSync(FLOW_DIR)
    .filter((f) => f.endsWith('.toml'))
    .map((f) => {
      const flow = parseToml(readFileSync(join(FLOW_DIR, f), 'utf8'));
      return [flow.id, flow];
    }),
);

const isVideoStep = (step) => step.kind === 'capture' && step.capture.endsWith('video');

/** Choice fields of a form step that show or hide other fields of the same step. */
const branchingChoices = (step) =>
  (step.fields ?? []).filter((f) => f.kind === 'choice' && step.fields.some((g) => g.when?.field === f.id));

/**
 * Every screen the app can show, derived from the flow definitions: the start, the
 * loading screen, the start-over dialog and the error banner; per flow, each form step
 * as it comes, with its refusals and each branch of a choice that shows other fields;
 * each one-time-code step sent, refused and already verified; each capture step's rules,
 * live picture and review, a video's recording, a read-aloud step's two refusals and
 * its other challenge; somewhere in the flow a capture kept from before, a camera that
 * gives no picture yet, a camera problem, the device choice, the auto-capture countdown
 * and a microphone problem; the review,
 * the submit screen before and while sending, and each status.
 */
export function screenInventory() {
  const keys = new Set(['start', 'loading', 'dialog', 'banner']);
  for (const [id, flow] of Object.entries(FLOWS)) {
    for (const step of flow.steps) {
      const at = `${id}/${step.id}`;
      if (step.kind === 'form' || step.kind === 'commitments') {
        keys.add(at);
        keys.add(`${at}:error`);
        for (const f of branchingChoices(step)) for (const o of f.options) keys.add(`${at}:${f.id}=${o}`);
      } else if (step.kind === 'one-time-code') {
        for (const s of ['sent', 'error', 'verified']) keys.add(`${at}:${s}`);
      } else if (step.kind === 'capture') {
        for (const s of isVideoStep(step) ? ['intro', 'live', 'recording', 'review'] : ['intro', 'live', 'review']) {
          keys.add(`${at}:${s}`);
        }
        if ([step.challenge, step.alternative_challenge].includes('sentence')) {
          keys.add(`${at}:unheard`);
          keys.add(`${at}:silent`);
        }
        if (step.alternative_challenge) keys.add(`${at}:challenge=${step.alternative_challenge}`);
      } else {
        keys.add(at);
      }
    }
    const captures = flow.steps.filter((s) => s.kind === 'capture');
    for (const s of ['kept', 'waiting', 'camera-problem', 'devices']) keys.add(`${id}/*:${s}`);
    if (captures.some((s) => !isVideoStep(s))) keys.add(`${id}/*:auto`);
    if (captures.some(isVideoStep)) keys.add(`${id}/*:microphone-problem`);
    keys.add(`${id}/submit`);
    keys.add(`${id}/submit:sending`);
    for (const s of ['pending', 'approved', 'rejected', 'needs-resubmission']) keys.add(`${id}/status:${s}`);
  }
  return keys;
}

/** Which entries of `screenInventory` the page shows now, read from the page and the double. */
export async function screenKeys(page) {
  const seen = await page.evaluate(() => {
    const shown = (s) => [...document.querySelectorAll(s)].some((e) => e.checkVisibility());
    const raw = JSON.parse(localStorage.getItem('ehraz.double.v1') ?? 'null');
    const state = raw?.state ?? null;
    return {
      dialog: document.querySelector('dialog:modal') !== null,
      banner: shown('.banner[role="alert"]'),
      loading: shown('main .loading'),
      start: shown('main .start'),
      state: state && { flow: state.flowId, position: state.position, submitted: state.submitted },
      fieldError: shown('form.screen .field-error'),
      checked: [...document.querySelectorAll('form.screen input[type="radio"]:checked')].map((r) => [r.name, r.value]),
      sent: shown('.sent-to .number'),
      codeError: shown('#code-error'),
      verified: shown('.code-step .notice.success'),
      intro: shown('#capture-open'),
      kept: shown('.capture-kept'),
      live: shown('#capture-preview'),
      waiting: shown('.preview-waiting'),
      auto: shown('#capture-auto-countdown .auto-count'),
      recording: shown('.capture-countdown'),
      review: shown('#capture-review'),
      silent: shown('.capture-silent'),
      unheard: shown('.capture-unheard'),
      'camera-problem': shown('.capture-step > .capture-problem'),
      'microphone-problem': shown('.capture-live .capture-problem'),
      devices: shown('select#camera-device, select#microphone-device'),
      challenge: document.querySelector('#capture-challenge')?.dataset.kind ?? null,
      sending: shown('[role="progressbar"]'),
      status: document.querySelector('.status-card')?.className.match(/\bstatus-(?!card\b)([a-z-]+)/)?.[1] ?? null,
    };
  });
  const keys = [];
  if (seen.dialog) keys.push('dialog');
  if (seen.banner) keys.push('banner');
  if (seen.loading) keys.push('loading');
  if (seen.start) keys.push('start');
  if (seen.loading || seen.start || !seen.state) return keys;
  const { flow: id, position, submitted } = seen.state;
  if (submitted) return [...keys, `${id}/status:${seen.status}`];
  if (position === -1) return [...keys, `${id}/submit`, ...(seen.sending ? [`${id}/submit:sending`] : [])];
  const step = FLOWS[id].steps[position];
  const at = `${id}/${step.id}`;
  if (step.kind === 'form' || step.kind === 'commitments') {
    keys.push(at);
    if (seen.fieldError) keys.push(`${at}:error`);
    const branching = new Set(branchingChoices(step).map((f) => f.id));
    for (const [field, value] of seen.checked) if (branching.has(field)) keys.push(`${at}:${field}=${value}`);
  } else if (step.kind === 'one-time-code') {
    for (const s of ['sent', 'error', 'verified']) if (seen[s === 'error' ? 'codeError' : s]) keys.push(`${at}:${s}`);
  } else if (step.kind === 'capture') {
    for (const s of ['intro', 'live', 'recording', 'review', 'silent', 'unheard']) if (seen[s]) keys.push(`${at}:${s}`);
    if (seen.challenge && seen.challenge !== step.challenge) keys.push(`${at}:challenge=${seen.challenge}`);
    for (const s of ['kept', 'waiting', 'camera-problem', 'devices', 'auto', 'microphone-problem']) {
      if (seen[s]) keys.push(`${id}/*:${s}`);
    }
  } else {
    keys.push(at);
  }
  return keys;
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
  await page.waitForSelector(SCREEN_HEADING);
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
