// Kiosk mode in the UI: "are you still there?" after the idle time, with its countdown,
// carrying on or being wiped; the status screen after a submission counting down to the
// wipe; "start over" wiping too; the operator's PIN, with tries left and the lockout.
// Each kiosk screen passes the same audit as every other screen. Against the built UI and
// the test double, whose kiosk is switched on with short timings.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DATA,
  SEJAM_DONE,
  atStep,
  auditScreen,
  chooseFlow,
  drive,
  faText,
  heading,
  toPersianDigits,
  usePages,
} from './lib.mjs';

const open = usePages();

/** A page whose double is a kiosk with these timings (seconds). */
async function kioskPage({ idle = 2, warning = 4, done = 3 } = {}, options) {
  const page = await open(options);
  await page.evaluate(
    (timing) => window.__ehrazDouble.setKiosk(timing),
    { idle_seconds: idle, warning_seconds: warning, done_seconds: done },
  );
  await page.reload();
  await page.waitForSelector('main h1');
  await page.locator('#kiosk-operator').waitFor();
  return page;
}

const report = (page) => page.evaluate(() => window.__ehrazDouble.kioskReport());
const stored = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('ehraz.double.v1')).state);
const plain = (text) => text.replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ').trim();

describe('kiosk: idle', () => {
  it('asks "are you still there?" after the idle time, counts down, and carrying on keeps what was typed', async () => {
    const page = await kioskPage({ idle: 2, warning: 6 });
    await chooseFlow(page, 'sejam');
    await atStep(page, 'mobile');
    await page.fill('#f-mobile', toPersianDigits(DATA.mobile));
    const dialog = page.locator('#kiosk-idle[open]');
    await dialog.waitFor({ timeout: 5000 });
    assert.equal(await dialog.getAttribute('role'), 'alertdialog');
    assert.equal(plain(await page.locator('#kiosk-idle-title').textContent()), faText('kiosk-idle-title'));
    // The countdown runs down, in Persian digits.
    const first = Number(await page.locator('#kiosk-idle-countdown').getAttribute('data-seconds'));
    await page.waitForFunction(
      (start) => Number(document.querySelector('#kiosk-idle-countdown')?.getAttribute('data-seconds')) < start,
      first,
    );
    const shown = plain(await page.locator('#kiosk-idle-countdown').textContent());
    assert.match(shown, /[۰-۹]/);
    assert.doesNotMatch(shown, /[0-9]/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'kiosk-idle-continue', 'the way on has the focus');
    assert.deepEqual(await auditScreen(page, 'kiosk-idle'), []);
    await page.keyboard.press('Enter');
    await page.locator('#kiosk-idle[open]').waitFor({ state: 'detached' }).catch(() => undefined);
    assert.equal(await page.locator('#kiosk-idle').evaluate((d) => d.open), false);
    assert.equal(await page.inputValue('#f-mobile'), toPersianDigits(DATA.mobile), 'nothing lost');
    assert.equal((await report(page)).resets, 0);
  });

  it('wipes everything of the person when nobody answers, and the next person meets the welcome screen', async () => {
    const page = await kioskPage({ idle: 2, warning: 2 });
    await drive(page, 'sejam', 'identity', { mobile: DATA.mobile });
    await atStep(page, 'identity');
    await page.fill('#f-national-code', DATA.nationalCode);
    await page.locator('#kiosk-idle[open]').waitFor({ timeout: 5000 });
    await heading(page, faText('start-title'));
    assert.equal((await report(page)).resets, 1);
    assert.equal(await stored(page), null, 'the journey is gone');
    assert.equal(await page.locator('#f-national-code').count(), 0);
    const text = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(text, new RegExp(`${DATA.nationalCode}|${toPersianDigits(DATA.nationalCode)}`));
  });

  it('Escape means "I am still here"', async () => {
    const page = await kioskPage({ idle: 2, warning: 8 });
    await chooseFlow(page, 'exchange');
    await atStep(page, 'basic');
    await page.locator('#kiosk-idle[open]').waitFor({ timeout: 5000 });
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#kiosk-idle').evaluate((d) => d.open), false);
    await atStep(page, 'basic');
    assert.equal((await report(page)).resets, 0);
  });

  it('never asks on the welcome screen, where nothing of anyone is held', async () => {
    const page = await kioskPage({ idle: 1, warning: 1 });
    await page.waitForTimeout(3500);
    assert.equal(await page.locator('#kiosk-idle').evaluate((d) => d.open), false);
    assert.equal((await report(page)).resets, 0);
  });
});

describe('kiosk: after a submission', () => {
  it('says it is done, counts down and wipes; the next person meets the welcome screen', async () => {
    const page = await kioskPage({ idle: 60, done: 4 });
    await drive(page, 'sejam', null, SEJAM_DONE);
    await heading(page, faText('submit-title'));
    await page.getByRole('button', { name: faText('submit-send') }).click();
    await page.locator('#kiosk-done-countdown').waitFor();
    assert.equal(plain(await page.locator('#kiosk-done-heading').textContent()), faText('kiosk-done-title'));
    assert.equal(await page.getByText(faText('status-pending-body')).count(), 0, 'no "come back later" on a kiosk');
    assert.deepEqual(await auditScreen(page, 'kiosk-done'), []);
    await heading(page, faText('start-title'));
    assert.equal((await report(page)).resets, 1);
    assert.equal(await stored(page), null);
  });

  it('"finish and wipe" does it at once', async () => {
    const page = await kioskPage({ idle: 60, done: 600 });
    await drive(page, 'sejam', null, SEJAM_DONE, true);
    await page.locator('#kiosk-done-now').click();
    await heading(page, faText('start-title'));
    assert.equal((await report(page)).resets, 1);
  });

  it('"start over" on a kiosk is a full wipe', async () => {
    const page = await kioskPage({ idle: 60 });
    await drive(page, 'sejam', 'card', { mobile: DATA.mobile, 'national-code': DATA.nationalCode, 'sejam-tracking-code': DATA.tracking });
    await atStep(page, 'card');
    await page.getByRole('button', { name: faText('header-start-over') }).click();
    await page.getByRole('button', { name: faText('start-over-confirm') }).click();
    await heading(page, faText('start-title'));
    assert.equal((await report(page)).resets, 1);
  });
});

describe('kiosk: the operator', () => {
  it('a wrong PIN says how many tries are left, then locks out, even the right PIN', async () => {
    const page = await kioskPage({ idle: 600 });
    await page.locator('#kiosk-operator').click();
    const dialog = page.locator('#kiosk-operator-dialog[open]');
    await dialog.waitFor();
    assert.equal(await page.getAttribute('#kiosk-pin', 'type'), 'password');
    await page.fill('#kiosk-pin', '111111');
    await page.locator('#kiosk-operator-leave').click();
    await page.locator('#kiosk-pin-error').waitFor();
    assert.equal(plain(await page.locator('#kiosk-pin-error').textContent()), faText('error-kiosk_pin_wrong', { attempts: 4 }));
    assert.equal(await page.inputValue('#kiosk-pin'), '', 'a refused PIN is not kept on screen');
    assert.deepEqual(await auditScreen(page, 'kiosk-operator-wrong'), []);
    for (let i = 0; i < 4; i++) {
      await page.fill('#kiosk-pin', '222222');
      await page.locator('#kiosk-operator-leave').click();
    }
    await page.waitForFunction(
      (text) => document.querySelector('#kiosk-pin-error')?.textContent.replace(/[\u2068\u2069]/g, '').includes(text),
      plain(faText('error-kiosk_locked_out', { seconds: 60 })),
    );
    // Locked out: even the right PIN waits.
    await page.fill('#kiosk-pin', '246813');
    await page.locator('#kiosk-operator-leave').click();
    await page.waitForFunction(() => /[۰-۹]/.test(document.querySelector('#kiosk-pin-error')?.textContent ?? ''));
    assert.equal((await report(page)).operatorLeft, false);
  });

  it('the right PIN in Persian digits wipes and leaves', async () => {
    const page = await kioskPage({ idle: 600 });
    await drive(page, 'sejam', 'identity', { mobile: DATA.mobile });
    await page.locator('#kiosk-operator').click();
    await page.fill('#kiosk-pin', toPersianDigits('246813'));
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__ehrazDouble.kioskReport().operatorLeft);
    assert.equal(await stored(page), null, 'the person on the device when the operator left is wiped');
  });

  it('Cancel closes the PIN dialog and gives the focus back', async () => {
    const page = await kioskPage({ idle: 600 });
    await page.locator('#kiosk-operator').click();
    await page.getByRole('button', { name: faText('kiosk-operator-cancel') }).click();
    assert.equal(await page.locator('#kiosk-operator-dialog').evaluate((d) => d.open), false);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'kiosk-operator');
  });

  it('off kiosk mode there is no operator button and no idle question', async () => {
    const page = await open();
    await chooseFlow(page, 'sejam');
    await atStep(page, 'mobile');
    assert.equal(await page.locator('#kiosk-operator').count(), 0);
    assert.equal(await page.locator('#kiosk-idle').count(), 0);
  });
});
