// Accessibility beyond what auditScreen checks on every screen (screens.test.mjs): that the
// audit finds what it looks for; both flows — the exchange flow by both methods — from the
// start screen to the status with the keyboard alone, the focus on each new screen's
// heading and a visible, unhidden focus ring at every stop; no keyboard trap anywhere but
// the modal dialog, which keeps the focus and gives it back; what is announced (live
// regions and alerts) and how often; and the screens under 200 % text, wider text
// spacing and a window 320 pixels wide.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DATA,
  EXCHANGE_ANSWERS,
  FLOWS,
  SEJAM_ANSWERS,
  SEJAM_DONE,
  TABBABLE,
  atStep,
  auditScreen,
  camera,
  drive,
  faText,
  focusObscured,
  focusRingVisible,
  guide,
  heading,
  openCamera,
  reviewShown,
  tabTo,
  textOf,
  toPersianDigits,
  usePages,
  waitForText,
} from './lib.mjs';

const open = usePages();

// ---- the audit itself ----

/** A page with one of each fault the audit looks for. */
const FAULTY = `<!doctype html>
<html lang="fa" dir="rtl">
<head>
<title>Test page</title>
<style>
  body { font: 16px sans-serif; background: #fff; color: #000; }
  button, input { min-inline-size: 48px; min-block-size: 48px; }
  .pale { color: #aaa; }
  .tiny { inline-size: 30px; block-size: 30px; min-inline-size: 0; min-block-size: 0; }
  .faint { border: 1px solid #e8e8e8; background: #fff; }
  :focus-visible { outline: 2px solid #000; }
  .no-ring:focus, .no-ring:focus-visible { outline: none; }
  .picture { position: relative; inline-size: 200px; block-size: 100px; background: #000; }
  .picture canvas { display: block; inline-size: 200px; block-size: 100px; }
  .picture p { position: absolute; inset: 0; margin: 0; color: #fff; }
  .cover { position: fixed; inset-block-start: 0; inset-inline: 0; block-size: 160px; background: #eee; }
</style>
</head>
<body>
<main>
<h1>صفحه‌ی آزمون</h1>
<button class="under">زیر سربرگ</button>
<p class="pale">متن کم‌رنگ</p>
<button class="tiny">بله</button>
<button aria-label="Send">ارسال</button>
<label for="n">۱۲۳۴</label><input id="n" type="text" class="faint">
<button class="no-ring">بدون حلقه</button>
<svg width="24" height="24"><path d="M0 0h24"/></svg>
<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" width="10" height="10">
<div class="picture"><canvas></canvas><p>روی تصویر</p></div>
</main>
<div class="cover"></div>
</body>
</html>`;

describe('the audit', () => {
  it('finds each fault it looks for on a page made of them', async () => {
    const page = await open();
    await page.goto('about:blank');
    await page.setContent(FAULTY);
    const problems = await auditScreen(page, 'audit-self-test', { digits: false });
    console.log(`audit of the faulty page:\n  ${problems.join('\n  ')}`);
    const expected = {
      'pale text': /^contrast [\d.]+ < 4\.5: "متن کم‌رنگ"/,
      'white text over a picture that may be white': /^contrast [\d.]+ < 4\.5: "روی تصویر"/,
      'a small target': /^small target 30×30/,
      'an English name': /^accessible name without a Persian letter "Send"/,
      'a name without its visible label': /^name "Send" does not hold its visible label "ارسال"/,
      'an input named by digits alone': /^accessible name without a Persian letter "۱۲۳۴"/,
      'a faint input border': /^control boundary [\d.]+ < 3: <input/,
      'no focus ring': /^focus ring 0px.*بدون حلقه/,
      'an svg neither hidden nor named': /^an svg that is neither hidden nor a named image/,
      'an image without a text alternative': /^an image without a Persian text alternative/,
      'a canvas outside a named image': /^a canvas outside a named image/,
      'an English window title': /^the window title has no Persian letter/,
      'a title that does not name the screen': /^the window title "Test page" does not name the screen/,
      "axe's own rules": /^axe image-alt:/,
    };
    for (const [what, pattern] of Object.entries(expected)) {
      assert.ok(
        problems.some((p) => pattern.test(p)),
        `${what}: ${pattern}`,
      );
    }
  });

  it('sees a missing focus ring and a focused control hidden under a fixed bar', async () => {
    const page = await open();
    await page.goto('about:blank');
    await page.setContent(FAULTY);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'under');
    assert.equal(await focusRingVisible(page), true, 'a 2 px black ring on white counts');
    assert.match(await focusObscured(page), /^under <div class="cover"/);
    await page.locator('.no-ring').focus();
    assert.equal(await focusRingVisible(page), false);
    assert.equal(await focusObscured(page), null);
  });
});

// ---- keyboard alone ----

/** Waits for the screen titled `title`, and checks that the focus went to its heading. */
async function arrived(page, title) {
  await heading(page, title);
  await page.waitForFunction(() => document.activeElement?.matches('main h1') ?? false, null, { timeout: 5000 });
}

const atStepFocused = (page, id) => arrived(page, faText(`step-${id}`));

/** Tabs to `target` and presses `key` there. */
async function pressOn(page, target, key = 'Enter') {
  await tabTo(page, target);
  await page.keyboard.press(key);
}

/** Tabs to `target` and types `text`. */
async function typeInto(page, target, text) {
  await tabTo(page, target);
  await page.keyboard.type(text);
}

/** The submit button of the step's form, the review's "continue", the submit screen's "send". */
const CONTINUE = 'form.screen button[type="submit"]';
const REVIEW_CONTINUE = (page) => page.getByRole('button', { name: faText('review-continue') });
const SEND = (page) => page.getByRole('button', { name: faText('submit-send') });

/**
 * Chooses `option` of the radio group `field`: Tab into the group (the focus lands on its
 * first radio, or the chosen one), then the arrow keys, which move and choose; Space
 * chooses the first radio, which the arrows do not reach without choosing another first.
 */
async function choose(page, field, option) {
  await tabTo(page, `input[type="radio"][name="${field}"]`);
  for (let i = 0; i < 10; i += 1) {
    const at = await page.evaluate(() => ({ value: document.activeElement.value, checked: document.activeElement.checked }));
    if (at.value === option) {
      if (!at.checked) await page.keyboard.press('Space');
      break;
    }
    await page.keyboard.press('ArrowDown');
  }
  assert.equal(await page.locator(`input[type="radio"][name="${field}"][value="${option}"]`).isChecked(), true);
}

/** Waits for the code to be sent and types it (it is checked as soon as it is complete). */
async function codeByKeyboard(page, id) {
  await atStepFocused(page, id);
  await page.locator('.sent-to .number').waitFor();
  const code = await page.evaluate(() => window.__ehrazDouble.lastCode());
  await typeInto(page, '#one-time-code', toPersianDigits(code));
}

/** A photo step: the camera opened, the shutter, the review, "use it", each from the keyboard. */
async function photoByKeyboard(page, id) {
  await atStepFocused(page, id);
  // Held short of ready: the shutter, not the auto-capture countdown, takes the photo.
  await guide(page, 'too-dark');
  await pressOn(page, '#capture-open');
  await page.locator('#capture-shutter:not([disabled])').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-live-title', 'focus on the live picture');
  await pressOn(page, '#capture-shutter', 'Space');
  await reviewShown(page);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-review-title', 'focus on the review');
  await pressOn(page, '#capture-accept');
}

/** A video step: open, record, stop when allowed, use it, each from the keyboard. */
async function videoByKeyboard(page, id) {
  await atStepFocused(page, id);
  await pressOn(page, '#capture-open');
  await page.locator('#record-start:not([disabled])').waitFor();
  // The recording's clock at twice real time: stop is allowed seconds before the limit.
  await camera(page, 'set', { timeScale: 2 });
  await pressOn(page, '#record-start');
  await page.locator('.capture-countdown').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-challenge', 'focus on the challenge');
  await page.locator('#record-stop:not([disabled])').waitFor({ timeout: 15_000 });
  await pressOn(page, '#record-stop');
  await reviewShown(page);
  await pressOn(page, '#capture-accept', 'Space');
}

/** Review, submit and the status, from the keyboard. */
async function finishByKeyboard(page) {
  await atStepFocused(page, 'review');
  await pressOn(page, REVIEW_CONTINUE(page));
}

async function sendByKeyboard(page) {
  await arrived(page, faText('submit-title'));
  await page.evaluate(() => (window.__ehrazDouble.submitStepMs = 10));
  await pressOn(page, SEND(page));
  await arrived(page, faText('status-title'));
  await page.getByText(faText('status-pending-title')).waitFor();
  // The status screen is no dead end for the keyboard either.
  await tabTo(page, page.getByRole('button', { name: faText('status-check-now') }));
}

/** Counts pointer presses from here on: a keyboard-only walk must make none. */
async function countPointer(page) {
  await page.evaluate(() => {
    window.pointerPresses = 0;
    addEventListener('pointerdown', () => (window.pointerPresses += 1), true);
  });
  return () => page.evaluate(() => window.pointerPresses);
}

/** What the double holds for the current session. */
const stored = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('ehraz.double.v1')).state);

describe('keyboard alone, from the start screen to the status', () => {
  it('sejam: every step, the card by its receipt, the photos by the shutter, the digits video', async () => {
    const page = await open({ width: 1280, height: 800 });
    const presses = await countPointer(page);
    await arrived(page, faText('start-title'));
    await pressOn(page, page.locator('.flow-card', { hasText: faText('start-flow-sejam-title') }));

    await atStepFocused(page, 'mobile');
    await typeInto(page, '#f-mobile', toPersianDigits(DATA.mobile));
    await page.keyboard.press('Enter');
    await codeByKeyboard(page, 'mobile-code');

    await atStepFocused(page, 'identity');
    await typeInto(page, '#f-national-code', toPersianDigits(DATA.nationalCode));
    await typeInto(page, '#f-sejam-tracking-code', DATA.tracking);
    await page.keyboard.press('Enter');
    await codeByKeyboard(page, 'sejam-code');

    await atStepFocused(page, 'card');
    await choose(page, 'card-document', 'receipt');
    await typeInto(page, '#f-card-receipt-code', toPersianDigits('12345678901'));
    await page.keyboard.press('Enter');

    await photoByKeyboard(page, 'selfie');
    await photoByKeyboard(page, 'signature');
    await videoByKeyboard(page, 'selfie-video');
    await finishByKeyboard(page);

    await atStepFocused(page, 'commitments');
    for (const field of FLOWS.sejam.steps.find((s) => s.id === 'commitments').fields) {
      await pressOn(page, `input[type="checkbox"][name="${field.id}"]`, 'Space');
    }
    await pressOn(page, CONTINUE);
    await sendByKeyboard(page);

    const state = await stored(page);
    assert.equal(state.submitted, true);
    assert.equal(state.answers['card-document'], 'receipt');
    assert.deepEqual(state.captured, ['selfie', 'signature', 'selfie-video']);
    assert.deepEqual(
      (await camera(page, 'report')).photos.map((p) => p.auto),
      [false, false],
      'both photos by the shutter',
    );
    assert.equal(await presses(), 0, 'no pointer anywhere');
  });

  it('exchange by documents: the letter, the identity document, the bank card, the selfie with them, an address', async () => {
    const page = await open({ width: 1920, height: 1080 });
    const presses = await countPointer(page);
    await arrived(page, faText('start-title'));
    await pressOn(page, page.locator('.flow-card', { hasText: faText('start-flow-exchange-title') }), 'Space');

    await atStepFocused(page, 'basic');
    await typeInto(page, '#f-national-code', toPersianDigits(DATA.nationalCode));
    await typeInto(page, '#f-mobile', toPersianDigits(DATA.mobile));
    await typeInto(page, '#f-birth-date', toPersianDigits(DATA.birthDate));
    await page.keyboard.press('Enter');
    await codeByKeyboard(page, 'mobile-code');

    await atStepFocused(page, 'method');
    await choose(page, 'method', 'documents');
    await pressOn(page, CONTINUE);

    await photoByKeyboard(page, 'commitment-letter');
    await atStepFocused(page, 'identity-document');
    await choose(page, 'identity-document', 'birth-certificate');
    await pressOn(page, CONTINUE);
    await photoByKeyboard(page, 'identity-document-photo');
    await atStepFocused(page, 'bank-card');
    await typeInto(page, '#f-bank-card', toPersianDigits(DATA.bankCard));
    await page.keyboard.press('Enter');
    await photoByKeyboard(page, 'bank-card-photo');
    await photoByKeyboard(page, 'selfie-with-documents');

    await atStepFocused(page, 'contact');
    await choose(page, 'contact-kind', 'address');
    await typeInto(page, '#f-address', DATA.address);
    await typeInto(page, '#f-postal-code', toPersianDigits(DATA.postal));
    await page.keyboard.press('Enter');
    await finishByKeyboard(page);
    await sendByKeyboard(page);

    const state = await stored(page);
    assert.equal(state.submitted, true);
    assert.equal(state.answers.method, 'documents');
    assert.equal(state.answers['identity-document'], 'birth-certificate');
    assert.equal(toPersianDigits(state.answers.address), DATA.address, 'the address as typed (its digits stored in ASCII)');
    assert.deepEqual(state.captured, ['commitment-letter', 'identity-document-photo', 'bank-card-photo', 'selfie-with-documents']);
    assert.equal(await presses(), 0, 'no pointer anywhere');
  });

  it('exchange by video, on a phone-sized window: the sentence read aloud, a landline', async () => {
    const page = await open({ width: 360, height: 640 });
    const presses = await countPointer(page);
    await arrived(page, faText('start-title'));
    await pressOn(page, page.locator('.flow-card', { hasText: faText('start-flow-exchange-title') }));

    await atStepFocused(page, 'basic');
    await typeInto(page, '#f-national-code', DATA.nationalCode);
    await typeInto(page, '#f-mobile', DATA.mobile);
    await typeInto(page, '#f-birth-date', DATA.birthDate);
    await pressOn(page, CONTINUE);
    await codeByKeyboard(page, 'mobile-code');

    await atStepFocused(page, 'method');
    await choose(page, 'method', 'video');
    await pressOn(page, CONTINUE, 'Space');

    await videoByKeyboard(page, 'video');
    await atStepFocused(page, 'contact');
    await choose(page, 'contact-kind', 'landline');
    await typeInto(page, '#f-landline', toPersianDigits(DATA.landline));
    await page.keyboard.press('Enter');
    await finishByKeyboard(page);
    await sendByKeyboard(page);

    const state = await stored(page);
    assert.equal(state.submitted, true);
    assert.equal(state.answers.method, 'video');
    assert.equal(state.answers.landline, DATA.landline);
    assert.equal(state.challenges.video.kind, 'sentence');
    assert.deepEqual(state.captured, ['video']);
    assert.equal(await presses(), 0, 'no pointer anywhere');
  });
});

// ---- traps ----

/** Tab stops of the screen: each control, but one per group of radio buttons. */
const tabStops = (page) =>
  page.evaluate((selector) => {
    const groups = new Set();
    let count = 0;
    for (const el of document.querySelectorAll(selector)) {
      if (!el.checkVisibility()) continue;
      if (el.matches('input[type="radio"]')) {
        if (groups.has(el.name)) continue;
        groups.add(el.name);
      }
      count += 1;
    }
    return count;
  }, TABBABLE);

/** Where the focus is: an element's description, or "out" when it has left the page. */
const whereFocus = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'out';
    const at = [...document.querySelectorAll('*')].indexOf(el);
    return `${at}:${el.tagName.toLowerCase()}#${el.id}.${el.className}[${el.getAttribute('name') ?? ''}]${el.textContent.trim().slice(0, 20)}`;
  });

/**
 * Presses Tab (or Shift+Tab) twice as many times as there are tab stops, from wherever
 * the focus is (a screen's heading, mid-page): what it reaches is returned.
 */
async function tabAround(page, backwards = false) {
  const stops = await tabStops(page);
  const seen = [];
  for (let i = 0; i < 2 * stops; i += 1) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    seen.push(await whereFocus(page));
  }
  return { stops, seen };
}

describe('no keyboard trap', () => {
  it('on every kind of screen, Tab and Shift+Tab go round every control', async () => {
    const page = await open({ width: 1280, height: 800 });
    const screens = [
      ['start', async () => {}],
      ['a form with a choice', async () => {
        await drive(page, 'sejam', 'card', SEJAM_ANSWERS);
        await page.locator('#f-card-serial').waitFor();
      }],
      ['a one-time code', async () => {
        await drive(page, 'sejam', 'mobile-code', { mobile: DATA.mobile });
        await page.locator('.sent-to .number').waitFor();
      }],
      ['a capture step, its rules', async () => {
        await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
        await page.locator('#capture-open').waitFor();
      }],
      ['the live picture, with devices to choose', async () => {
        await camera(page, 'set', { cameras: 2, microphones: 2 });
        await openCamera(page, '#record-start');
      }],
      ['the review of a recording', async () => {
        await camera(page, 'set', { timeScale: 8 });
        await page.locator('#record-start').click();
        await page.locator('#record-stop:not([disabled])').click();
        await reviewShown(page);
      }],
      ['the review step', async () => {
        await drive(page, 'sejam', 'review', SEJAM_ANSWERS);
        await atStep(page, 'review');
      }],
      ['the status', async () => {
        await drive(page, 'sejam', null, SEJAM_DONE, true);
        await page.getByText(faText('status-pending-title')).waitFor();
      }],
    ];
    for (const [name, reach] of screens) {
      await reach();
      for (const backwards of [false, true]) {
        const { stops, seen } = await tabAround(page, backwards);
        // Started mid-page, the focus went round: every control, those before the start
        // too, and the first reached came round again. A trap would hold it in a few.
        const reached = seen.filter((s) => s !== 'out');
        const how = `${name}, ${backwards ? 'Shift+Tab' : 'Tab'}: ${seen.join(' | ')}`;
        assert.equal(new Set(reached).size, stops, `every stop reached: ${how}`);
        assert.ok(reached.indexOf(reached[0], 1) > 0, `and round again: ${how}`);
      }
    }
  });

  it('the start-over dialog keeps the focus while open, opens on "no", and gives the focus back', async () => {
    const page = await open({ width: 360, height: 640 });
    await drive(page, 'sejam', 'identity', { mobile: DATA.mobile });
    await atStepFocused(page, 'identity');
    const opener = page.getByRole('button', { name: faText('header-start-over') });
    await pressOn(page, opener);
    const dialog = page.getByRole('dialog', { name: faText('start-over-title') });
    await dialog.waitFor();
    const focusedText = async () => textOf(page.locator(':focus'));
    assert.equal(await focusedText(), faText('start-over-cancel'), 'the focus on the harmless answer');
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press(i % 2 ? 'Shift+Tab' : 'Tab');
      const inside = await page.evaluate(() => {
        const el = document.activeElement;
        return !el || el === document.body || el.closest('dialog[open]') !== null;
      });
      assert.ok(inside, `stop ${i}: focus in the dialog (or out of the page), never behind it`);
      if (await page.evaluate(() => document.activeElement !== document.body)) {
        assert.ok(await focusRingVisible(page), `stop ${i}: focus ring`);
      }
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await focusedText(), faText('header-start-over'), 'Escape: focus back on the opener');

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await focusedText(), faText('header-start-over'), '"no": focus back on the opener');
    await atStep(page, 'identity');

    await page.keyboard.press('Space');
    await dialog.waitFor();
    await pressOn(page, page.getByRole('button', { name: faText('start-over-confirm') }));
    await arrived(page, faText('start-title'));
  });
});

// ---- what is announced ----

/**
 * Records every change of text in the page's live regions (aria-live, role=status, role=
 * alert) from now on, by region, and every change of the elements matched by `watched`.
 */
async function recordAnnouncements(page, watched = []) {
  await page.evaluate((selectors) => {
    window.announced = {};
    window.watched = Object.fromEntries(selectors.map((s) => [s, []]));
    const regionOf = (node) =>
      (node.nodeType === 1 ? node : node.parentElement)?.closest('[aria-live], [role="status"], [role="alert"]');
    const keyOf = (el) => (el.id ? `#${el.id}` : `.${[...el.classList].join('.')}`);
    const textOf = (el) =>
      [...el.querySelectorAll('*'), el]
        .filter((e) => e.closest('[aria-hidden="true"]') === null)
        .flatMap((e) => [...e.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent))
        .join('')
        .replace(/[\u2068\u2069]/g, '')
        .replace(/\s+/g, ' ')
        .trim();
    new MutationObserver((mutations) => {
      const regions = new Set();
      for (const m of mutations) {
        const region = regionOf(m.target);
        if (region) regions.add(region);
        for (const n of m.addedNodes) {
          if (n.nodeType === 1 && n.matches('[aria-live], [role="status"], [role="alert"]')) regions.add(n);
        }
      }
      for (const region of regions) {
        const said = textOf(region);
        const log = (window.announced[keyOf(region)] ??= []);
        if (said && said !== log.at(-1)) log.push(said);
      }
      for (const s of selectors) {
        const text = document.querySelector(s)?.textContent.trim() ?? '';
        const log = window.watched[s];
        if (text && text !== log.at(-1)) log.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, watched);
}

const announcements = (page) => page.evaluate(() => ({ announced: window.announced, watched: window.watched }));

describe('what is announced', () => {
  it('each new screen once, with its place in the flow; its heading takes the focus', async () => {
    const page = await open();
    await drive(page, 'sejam', 'mobile', {});
    await recordAnnouncements(page);
    await typeInto(page, '#f-mobile', DATA.mobile);
    await page.keyboard.press('Enter');
    await atStepFocused(page, 'mobile-code');
    await page.locator('.sent-to .number').waitFor();
    await page.waitForTimeout(300);
    const { announced } = await announcements(page);
    const region = Object.entries(announced).find(([key]) => key.startsWith('.visually-hidden'));
    assert.ok(region, `the app's own region spoke: ${JSON.stringify(announced)}`);
    assert.deepEqual(region[1], [`${faText('wizard-progress', { number: 2, total: 10 })}: ${faText('step-mobile-code')}`]);
    assert.equal(await page.evaluate(() => document.title.replace(/[\u2068\u2069]/g, '')), faText('document-title', { screen: faText('step-mobile-code') }));
  });

  it('every refusal is an alert, or is announced and tied to its field that takes the focus', async () => {
    const page = await open();
    // A form: the count announced, the first refused field focused, described by its message.
    await drive(page, 'exchange', 'basic', {});
    await recordAnnouncements(page);
    await typeInto(page, '#f-mobile', '۰۸۱۲');
    await page.keyboard.press('Enter');
    await page.locator('#error-mobile').waitFor();
    const field = page.locator('#f-national-code');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-national-code');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(await field.getAttribute('aria-describedby'), /\berror-national-code\b/);
    const { announced } = await announcements(page);
    assert.deepEqual(Object.values(announced).flat(), [faText('form-fix-errors', { count: 3 })], 'the count, once');

    // A wrong code.
    await drive(page, 'exchange', 'mobile-code', { 'national-code': DATA.nationalCode, mobile: DATA.mobile, 'birth-date': DATA.birthDate });
    await page.locator('.sent-to .number').waitFor();
    await page.fill('#one-time-code', '000000');
    await waitForText(page, '#code-error', faText('error-code_wrong', { attempts: 4 }));
    assert.equal(await page.locator('#code-error').getAttribute('role'), 'alert');

    // A failed call: the banner.
    await page.evaluate(() => window.__ehrazDouble.failNext({ code: 'network' }));
    await page.fill('#one-time-code', await page.evaluate(() => window.__ehrazDouble.lastCode()));
    await page.getByRole('alert').filter({ hasText: faText('error-network') }).waitFor();

    // A camera that is refused; a microphone in use; a recording in which no voice was heard.
    await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
    await camera(page, 'set', { cameraError: 'camera_denied' });
    await page.locator('#capture-open').click();
    await page.getByRole('alert').filter({ hasText: faText('error-camera_denied') }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-problem-title');
    await camera(page, 'set', { cameraError: null, microphoneError: 'microphone_busy' });
    await page.locator('#capture-retry').click();
    await page.getByRole('alert').filter({ hasText: faText('error-microphone_busy') }).waitFor();
    await camera(page, 'set', { microphoneError: null, silent: true, timeScale: 8 });
    await page.locator('#capture-retry').click();
    await page.locator('#record-start:not([disabled])').click();
    await page.locator('#record-stop:not([disabled])').click();
    await page.getByRole('alert').filter({ hasText: faText('error-microphone_silent') }).waitFor();
  });

  it('the guidance is a polite status; while recording, the countdown is spoken every five seconds, each digit once', async () => {
    const page = await open();
    await drive(page, 'sejam', 'selfie-video', SEJAM_ANSWERS);
    await guide(page, 'face-turned');
    await openCamera(page, '#record-start');
    const guidance = page.locator('#capture-guidance');
    assert.equal(await guidance.getAttribute('role'), 'status');
    assert.equal(await guidance.getAttribute('aria-live'), 'polite');
    assert.equal(await page.locator('[role="meter"]').evaluate((m) => m.closest('[aria-live], [role="status"], [role="alert"]')), null, 'the level meter is not read out');

    await recordAnnouncements(page, ['.countdown-number']);
    await camera(page, 'set', { timeScale: 4 });
    await page.locator('#record-start').click();
    // Left to run to its 20 s limit.
    await reviewShown(page);
    const { announced, watched } = await announcements(page);
    console.log(`recording: ${watched['.countdown-number'].length} numbers shown; said: ${JSON.stringify(announced)}`);
    assert.ok(watched['.countdown-number'].length >= 15, 'the number on screen follows every second');
    const spoken = Object.entries(announced).filter(([key]) => key.startsWith('.visually-hidden') && !key.includes('challenge'));
    const countdown = spoken.flatMap(([, texts]) => texts).filter((t) => /ثانیه/.test(t));
    assert.ok(countdown.length >= 3 && countdown.length <= 5, `the countdown spoken every five seconds: ${countdown.join(' | ')}`);
    const { digits } = (await stored(page)).challenges['selfie-video'];
    assert.deepEqual(
      announced['#challenge-digit-spoken'],
      digits.map((d, i) => faText('capture-digit-spoken', { index: i + 1, count: digits.length, digit: d })),
      'each digit once, with its place',
    );
    assert.equal(announced['#capture-guidance'], undefined, 'a steady guidance is not said again');
    assert.ok((announced['.hint.capture-stop-hint'] ?? []).length <= 3, 'the stop hint changes at most three times');
    const total = Object.values(announced).flat().length;
    assert.ok(total <= 14, `${total} announcements in a 20 s recording`);
  });

  it('clocks that tick every second are not read out', async () => {
    const page = await open();
    await drive(page, 'sejam', 'mobile-code', { mobile: DATA.mobile });
    await page.locator('.sent-to .number').waitFor();
    for (const selector of ['.timer', '.resend-wait']) {
      const live = await page.locator(selector).evaluate((el) => el.closest('[aria-live], [role="status"], [role="alert"]') !== null);
      assert.equal(live, false, `${selector} is not in a live region`);
    }
  });
});

// ---- names, purposes, language ----

describe('fields and language', () => {
  it('each field about the person declares its purpose (autocomplete), as WCAG 1.3.5 lists them', async () => {
    const page = await open();
    const purposes = {};
    const read = async (ids) => {
      for (const id of ids) purposes[id] = await page.locator(`#${id}`).getAttribute('autocomplete');
    };
    await drive(page, 'exchange', 'basic', {});
    await read(['f-national-code', 'f-mobile', 'f-birth-date']);
    await drive(page, 'exchange', 'bank-card', { ...EXCHANGE_ANSWERS, method: 'documents', 'identity-document': 'national-card' });
    await read(['f-bank-card']);
    await drive(page, 'exchange', 'contact', { ...EXCHANGE_ANSWERS, 'contact-kind': 'landline' });
    await read(['f-landline']);
    await drive(page, 'exchange', 'contact', EXCHANGE_ANSWERS);
    await read(['f-address', 'f-postal-code']);
    await drive(page, 'sejam', 'mobile-code', { mobile: DATA.mobile });
    await read(['one-time-code']);
    assert.deepEqual(purposes, {
      // No token in HTML's list names a national code.
      'f-national-code': 'off',
      'f-mobile': 'tel-national',
      'f-birth-date': 'bday',
      'f-bank-card': 'cc-number',
      'f-landline': 'home tel-national',
      'f-address': 'street-address',
      'f-postal-code': 'postal-code',
      'one-time-code': 'one-time-code',
    });
  });

  it('in English too: every control named, the page marked English and left to right', async () => {
    const page = await open({ width: 1280, height: 800 });
    await page.evaluate(() => window.__ehrazDouble.setLocale('en'));
    await drive(page, 'exchange', 'basic', {});
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    await page.locator('form.screen button[type="submit"]').click();
    await page.locator('#error-national-code').waitFor();
    assert.deepEqual(await auditScreen(page, 'en-basic-error', { digits: false }), []);
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await guide(page, 'too-dark');
    await openCamera(page);
    assert.deepEqual(await auditScreen(page, 'en-selfie-live', { digits: false }), []);
    await page.evaluate(() => window.__ehrazDouble.setLocale('fa'));
  });
});

// ---- text size, spacing and reflow ----

/** Sideways overflow of the page, and text cut off by a box that hides its overflow. */
const layoutProblems = (page) =>
  page.evaluate(() => {
    const out = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > window.innerWidth) out.push(`overflows sideways: ${doc.scrollWidth} > ${window.innerWidth}`);
    for (const el of document.querySelectorAll('body *')) {
      if (!el.checkVisibility() || el.closest('.visually-hidden') || !el.textContent.trim()) continue;
      const s = getComputedStyle(el);
      const clips = (v) => v === 'hidden' || v === 'clip';
      if (clips(s.overflowX) && el.scrollWidth > el.clientWidth + 1) out.push(`text cut off sideways in ${el.className}`);
      if (clips(s.overflowY) && el.scrollHeight > el.clientHeight + 1) out.push(`text cut off in ${el.className}`);
    }
    return out;
  });

/** WCAG 1.4.12's spacing, applied by a style sheet made in the page (the CSP allows those). */
const WIDE_SPACING = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-block-end: 2em !important; }`;

describe('text size, spacing and reflow', () => {
  it('200 % text, wide spacing and a window 320 pixels wide lose nothing on any kind of screen', async () => {
    const page = await open();
    const screens = [
      ['start', async () => {}],
      ['a refused form', async () => {
        await drive(page, 'exchange', 'basic', {});
        await page.locator(CONTINUE).click();
        await page.locator('#error-birth-date').waitFor();
      }],
      ['a one-time code', async () => {
        await drive(page, 'sejam', 'mobile-code', { mobile: DATA.mobile });
        await page.locator('.sent-to .number').waitFor();
      }],
      ['the letter to copy and its rules', async () => {
        await drive(page, 'exchange', 'commitment-letter', { ...EXCHANGE_ANSWERS, method: 'documents' });
        await page.locator('#capture-open').waitFor();
      }],
      ['a recording with its digit and countdown', async () => {
        await drive(page, 'sejam', 'selfie-video', SEJAM_ANSWERS);
        await openCamera(page, '#record-start');
        await page.locator('#record-start').click();
        await page.locator('#challenge-digit').waitFor();
      }],
      ['the review step', async () => {
        await drive(page, 'exchange', 'review', EXCHANGE_ANSWERS);
        await atStep(page, 'review');
      }],
      ['a status with reasons', async () => {
        await drive(page, 'sejam', null, SEJAM_DONE, true);
        await page.evaluate(() =>
          window.__ehrazDouble.setStatus('needs-resubmission', [{ item: 'selfie', reason: 'photo-blurred' }]),
        );
        await page.reload();
        await page.getByText(faText('status-needs-resubmission-title')).waitFor();
      }],
    ];
    for (const [name, reach] of screens) {
      await page.setViewportSize({ width: 360, height: 640 });
      await reach();

      await page.setViewportSize({ width: 320, height: 256 });
      assert.deepEqual(await layoutProblems(page), [], `${name}: 320×256`);

      await page.setViewportSize({ width: 1280, height: 800 });
      await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
      const body = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main h1')).fontSize));
      assert.ok(body >= 48, `${name}: the heading grew with the text (${body}px)`);
      assert.deepEqual(await layoutProblems(page), [], `${name}: 200 % text`);
      await page.evaluate(() => document.documentElement.style.removeProperty('font-size'));

      await page.setViewportSize({ width: 360, height: 640 });
      await page.evaluate((css) => {
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(css);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
      }, WIDE_SPACING);
      const spacing = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('main h1')).letterSpacing));
      assert.ok(spacing > 0, `${name}: the spacing is applied (${spacing}px between letters)`);
      assert.deepEqual(await layoutProblems(page), [], `${name}: wide text spacing`);
      await page.evaluate(() => (document.adoptedStyleSheets = []));
    }
  });
});
