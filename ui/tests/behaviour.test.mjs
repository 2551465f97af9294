// How the wizard behaves: validation in every digit script, keyboard-only use, resuming
// and starting over, one-time codes, failures, sending and the status. All against the
// built UI with the test double, under the app's CSP.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DATA,
  SEJAM_ANSWERS,
  SEJAM_DONE,
  atStep,
  chooseFlow,
  continueForm,
  drive,
  enterCode,
  faText,
  guide,
  heading,
  tabTo,
  textOf,
  toPersianDigits,
  waitForText,
  usePages,
} from './lib.mjs';

const open = usePages();

const toArabicIndic = (s) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));

describe('validation in every digit script', () => {
  const good = DATA.nationalCode;
  // The same code with a wrong check digit.
  const bad = good.slice(0, 9) + String((Number(good[9]) + 1) % 10);

  for (const [script, convert] of [
    ['Persian', toPersianDigits],
    ['Arabic-Indic', toArabicIndic],
    ['ASCII', (s) => s],
  ]) {
    it(`a national code with a wrong check digit in ${script} digits shows the checksum message`, async () => {
      const page = await open();
      await chooseFlow(page, 'exchange');
      await atStep(page, 'basic');
      await page.fill('#f-national-code', convert(bad));
      await page.fill('#f-mobile', convert(DATA.mobile));
      await page.fill('#f-birth-date', convert(DATA.birthDate));
      await continueForm(page);
      const error = page.locator('#error-national-code');
      await error.waitFor();
      assert.equal(await textOf(error), faText('national-code-checksum'));
      const input = page.locator('#f-national-code');
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
      assert.match(await input.getAttribute('aria-describedby'), /error-national-code/);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-national-code', 'focus on the first refused field');
      assert.equal(await input.inputValue(), convert(bad), 'what was typed is kept');
      assert.equal(await page.locator('#error-mobile').count(), 0, 'the mobile number in this script is fine');
    });
  }

  it('a good national code in Persian digits is accepted and stored normalised', async () => {
    const page = await open();
    await chooseFlow(page, 'exchange');
    await page.fill('#f-national-code', toPersianDigits(good));
    await page.fill('#f-mobile', toArabicIndic('+98 912 123 4567'));
    await page.fill('#f-birth-date', '۱۵/۰۱/۱۳۷۰');
    await continueForm(page);
    await atStep(page, 'mobile-code');
    const answers = await page.evaluate(() => JSON.parse(localStorage.getItem('ehraz.double.v1')).state.answers);
    assert.deepEqual(answers, { 'national-code': good, mobile: DATA.mobile, 'birth-date': DATA.birthDate });
  });

  it('each field shows its own refusal: an under-age birth date, a Gregorian year, a bad mobile', async () => {
    const page = await open();
    await chooseFlow(page, 'exchange');
    await page.fill('#f-national-code', '۱۱۱۱۱۱۱۱۱۱');
    await page.fill('#f-mobile', '۰۸۱۲۱۲۳۴۵۶۷');
    await page.fill('#f-birth-date', '1990/01/01');
    await continueForm(page);
    await page.locator('#error-birth-date').waitFor();
    assert.equal(await textOf(page.locator('#error-national-code')), faText('national-code-repeated'));
    assert.equal(await textOf(page.locator('#error-mobile')), faText('mobile-format'));
    assert.equal(await textOf(page.locator('#error-birth-date')), faText('birth-date-gregorian'));
    await page.fill('#f-birth-date', '۱۴۰۰/۰۱/۰۱');
    await continueForm(page);
    await page.locator('#error-birth-date', { hasText: faText('birth-date-underage') }).waitFor();
  });
});

describe('keyboard only', () => {
  /** Presses Tab (or Shift+Tab) until `selector` has the focus; each stop shows a focus ring. */
  it('completes the sejam flow through its first photo with Tab, Space, Enter and typing', async () => {
    const page = await open({ width: 1280, height: 800 });
    await tabTo(page, '.flow-card');
    assert.equal(await textOf(page.locator(':focus .flow-title')), faText('start-flow-sejam-title'));
    await page.keyboard.press('Enter');
    await atStep(page, 'mobile');

    await tabTo(page, '#f-mobile');
    await page.keyboard.type('۰۹۱۲۱۲۳۴۵۶۷');
    await page.keyboard.press('Enter');
    await atStep(page, 'mobile-code');

    await page.locator('.sent-to .number').waitFor();
    await tabTo(page, '#one-time-code');
    await page.keyboard.type(toPersianDigits(await page.evaluate(() => window.__ehrazDouble.lastCode())));
    await atStep(page, 'identity');

    await tabTo(page, '#f-national-code');
    await page.keyboard.type(toPersianDigits(DATA.nationalCode));
    await tabTo(page, '#f-sejam-tracking-code');
    await page.keyboard.type(DATA.tracking);
    // Shift+Tab goes back to the previous field.
    await tabTo(page, '#f-national-code', { backwards: true });
    await tabTo(page, '#f-sejam-tracking-code');
    await page.keyboard.press('Enter');
    await atStep(page, 'sejam-code');

    await page.locator('.sent-to .number').waitFor();
    await tabTo(page, '#one-time-code');
    await page.keyboard.type(await page.evaluate(() => window.__ehrazDouble.lastCode()));
    await atStep(page, 'card');

    await tabTo(page, 'input[type=radio][value="smart-card"]');
    await page.keyboard.press('Space');
    await page.locator('#f-card-serial').waitFor();
    await tabTo(page, '#f-card-serial');
    await page.keyboard.type('1g23456789');
    await page.keyboard.press('Enter');
    await atStep(page, 'selfie');

    // The camera, the shutter and the review, from the keyboard; focus lands on the review.
    // The guidance is held short of ready: the shutter, not the countdown, takes this photo.
    await guide(page, 'face-too-small');
    await tabTo(page, '#capture-open');
    await page.keyboard.press('Enter');
    await page.locator('#capture-shutter:not([disabled])').waitFor();
    await tabTo(page, '#capture-shutter');
    await page.keyboard.press('Enter');
    await page.locator('#capture-review').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-review-title');
    await tabTo(page, '#capture-accept');
    await page.keyboard.press('Enter');
    await atStep(page, 'signature');

    // Start over from the keyboard: the dialog opens, Enter on its first button confirms.
    await tabTo(page, '.start-over', { backwards: true });
    await page.keyboard.press('Enter');
    await page.locator('dialog[open]').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.closest('dialog') !== null), true, 'focus inside the dialog');
    await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' }).catch(() => {});
    assert.equal(await page.locator('dialog[open]').count(), 0);
  });
});

describe('resume and start over', () => {
  it('a reload mid-flow returns to the same step with the answers kept', async () => {
    const page = await open();
    await chooseFlow(page, 'sejam');
    await page.fill('#f-mobile', DATA.mobile);
    await continueForm(page);
    await enterCode(page);
    await atStep(page, 'identity');
    await page.fill('#f-national-code', toPersianDigits(DATA.nationalCode));
    await page.fill('#f-sejam-tracking-code', DATA.tracking);
    await continueForm(page);
    await atStep(page, 'sejam-code');

    await page.reload();
    await atStep(page, 'sejam-code');
    assert.equal(await textOf(page.locator('.step-count')), faText('wizard-progress', { number: 4, total: 10 }));
    await page.getByRole('button', { name: faText('header-back') }).click();
    await atStep(page, 'identity');
    assert.equal(await page.inputValue('#f-national-code'), toPersianDigits(DATA.nationalCode));
    assert.equal(await page.inputValue('#f-sejam-tracking-code'), toPersianDigits(DATA.tracking));
  });

  it('a saved journey that cannot be opened says so and leaves the start screen usable', async () => {
    const page = await open();
    await drive(page, 'sejam', 'card', SEJAM_ANSWERS);
    await atStep(page, 'card');
    await page.evaluate(() =>
      localStorage.setItem(
        'ehraz.double.early-failure',
        JSON.stringify({ failure: { code: 'wizard-restore-failed' }, call: 'resume' }),
      ),
    );
    await page.reload();
    await heading(page, faText('start-title'));
    assert.equal(await textOf(page.locator('.banner-message')), faText('wizard-restore-failed'));
    await chooseFlow(page, 'exchange');
    await atStep(page, 'basic');
  });

  it('start over asks first, then wipes everything', async () => {
    const page = await open();
    await drive(page, 'sejam', 'card', SEJAM_ANSWERS);
    await atStep(page, 'card');
    await page.getByRole('button', { name: faText('header-start-over') }).click();
    await page.getByRole('button', { name: faText('start-over-cancel') }).click();
    await atStep(page, 'card');
    await page.getByRole('button', { name: faText('header-start-over') }).click();
    await page.getByRole('button', { name: faText('start-over-confirm') }).click();
    await heading(page, faText('start-title'));
    await page.reload();
    await heading(page, faText('start-title'));
    assert.equal(await page.evaluate(() => JSON.parse(localStorage.getItem('ehraz.double.v1')).state), null);
    await chooseFlow(page, 'sejam');
    await atStep(page, 'mobile');
    assert.equal(await page.inputValue('#f-mobile'), '', 'nothing of the last person is left');
  });
});

describe('one-time code', () => {
  async function atMobileCode(page) {
    await drive(page, 'sejam', 'mobile-code', { mobile: DATA.mobile });
    await atStep(page, 'mobile-code');
    await page.locator('.sent-to .number').waitFor();
  }

  it('is sent on arrival, shows the masked number left to right, and has the right input', async () => {
    const page = await open();
    await atMobileCode(page);
    const number = page.locator('.sent-to .number');
    assert.equal(await number.getAttribute('dir'), 'ltr');
    assert.equal(await textOf(number), '۰۹۱۲***۴۵۶۷');
    const input = page.locator('#one-time-code');
    assert.equal(await input.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await input.getAttribute('inputmode'), 'numeric');
    assert.equal(await input.getAttribute('dir'), 'ltr');
  });

  it('a pasted code in Persian digits is checked at once', async () => {
    const page = await open();
    await atMobileCode(page);
    const code = await page.evaluate(() => window.__ehrazDouble.lastCode());
    await page.locator('#one-time-code').focus();
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, `کد شما: ${toPersianDigits(code)}`);
    await atStep(page, 'identity');
  });

  it('a wrong code shows the tries left; five wrong tries use them up', async () => {
    const page = await open();
    await atMobileCode(page);
    const input = page.locator('#one-time-code');
    for (let left = 4; left >= 1; left -= 1) {
      await input.fill('');
      await input.fill(`00000${left}`);
      await waitForText(page, '#code-error', faText('error-code_wrong', { attempts: left }));
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
    }
    await input.fill('000009');
    await page.locator('#code-error', { hasText: faText('error-code_attempts_exhausted') }).waitFor();
  });

  it('the resend button counts down in Persian digits, then sends a new code', async () => {
    const page = await open();
    await atMobileCode(page);
    const resend = page.getByRole('button', { name: faText('code-resend') });
    assert.equal(await resend.isDisabled(), true);
    const wait = page.locator('.resend-wait');
    const first = await textOf(wait);
    assert.match(first, /[۰-۹]:[۰-۹]{2}/);
    await page.waitForFunction((before) => document.querySelector('.resend-wait')?.textContent.replace(/[\u2068\u2069]/g, '').trim() !== before, first);
    const firstCode = await page.evaluate(() => window.__ehrazDouble.lastCode());
    await page.evaluate(() => window.__ehrazDouble.allowResend());
    await page.reload();
    await page.locator('.sent-to .number').waitFor();
    await page.getByRole('button', { name: faText('code-resend') }).click();
    await page.waitForFunction((c) => window.__ehrazDouble.lastCode() !== c, firstCode);
  });

  it('an expired code says so', async () => {
    const page = await open();
    await atMobileCode(page);
    await page.evaluate(() => window.__ehrazDouble.expireCode());
    await page.fill('#one-time-code', await page.evaluate(() => window.__ehrazDouble.lastCode()));
    await page.locator('#code-error', { hasText: faText('error-code_expired') }).waitFor();
  });

  it('rate limiting shows the wait', async () => {
    const page = await open();
    await atMobileCode(page);
    await page.evaluate(() => window.__ehrazDouble.failNext({ code: 'rate_limited', retry_after_seconds: 42 }));
    await page.fill('#one-time-code', '123456');
    await waitForText(page, '#code-error', faText('error-rate_limited', { seconds: 42 }));
  });

  it("Sejam's refusal offers going back to fix the national and tracking codes", async () => {
    const page = await open();
    await drive(page, 'sejam', 'identity', { mobile: DATA.mobile });
    await page.fill('#f-national-code', DATA.nationalCode);
    await page.fill('#f-sejam-tracking-code', '1234567891');
    await page.evaluate(() => window.__ehrazDouble.failNext({ code: 'sejam_tracking_code_mismatch' }, 'sendCode'));
    await continueForm(page);
    await atStep(page, 'sejam-code');
    await waitForText(page, '#code-error', faText('error-sejam_tracking_code_mismatch'));
    await page.getByRole('button', { name: faText('code-fix-details') }).click();
    await atStep(page, 'identity');
    assert.equal(await page.inputValue('#f-sejam-tracking-code'), '1234567891', 'what was typed is still there');
    await page.fill('#f-sejam-tracking-code', DATA.tracking);
    await page.evaluate(() => window.__ehrazDouble.failNext({ code: 'sejam_not_registered' }, 'sendCode'));
    await continueForm(page);
    await waitForText(page, '#code-error', faText('error-sejam_not_registered'));
    assert.equal(await page.getByRole('button', { name: faText('code-fix-details') }).count(), 1);
  });
});

describe('failures keep everything', () => {
  it('a network failure shows a banner; retry goes on with what was typed', async () => {
    const page = await open();
    await chooseFlow(page, 'sejam');
    await page.fill('#f-mobile', '۰۹۱۲۱۲۳۴۵۶۷');
    await page.evaluate(() => window.__ehrazDouble.failNext({ code: 'network' }));
    await continueForm(page);
    const banner = page.getByRole('alert').filter({ hasText: faText('error-network') });
    await banner.waitFor();
    await atStep(page, 'mobile');
    assert.equal(await page.inputValue('#f-mobile'), '۰۹۱۲۱۲۳۴۵۶۷');
    await banner.getByRole('button', { name: faText('banner-retry') }).click();
    await atStep(page, 'mobile-code');
  });

  it('an unknown error code falls back to the general message', async () => {
    const page = await open();
    await chooseFlow(page, 'sejam');
    await page.evaluate(() => window.__ehrazDouble.failNext({ code: 'something_new' }));
    await page.fill('#f-mobile', DATA.mobile);
    await continueForm(page);
    await page.getByRole('alert').filter({ hasText: faText('error-unknown') }).waitFor();
  });
});

describe('sending and status', () => {
  it('sends with progress; a failed send is retried and nothing is lost', async () => {
    const page = await open();
    await drive(page, 'sejam', null, SEJAM_DONE);
    await heading(page, faText('submit-title'));
    await page.evaluate(() => {
      window.__ehrazDouble.submitStepMs = 40;
      window.__ehrazDouble.failNext({ code: 'server_failed' });
    });
    await page.getByRole('button', { name: faText('submit-send') }).click();
    const banner = page.getByRole('alert').filter({ hasText: faText('error-server_failed') });
    await banner.waitFor();
    assert.ok(await banner.getByText(faText('submit-kept')).count());
    const bar = page.locator('.bar[role=progressbar]');
    assert.ok(Number(await bar.getAttribute('aria-valuenow')) >= 50, 'progress was shown up to the failure');
    await banner.getByRole('button', { name: faText('banner-retry') }).click();
    await page.getByText(faText('status-pending-title')).waitFor();
    assert.ok((await textOf(page.locator('.status-step'))).includes(faText('status-checked-at', { time: '' }).trim().slice(0, 5)));
  });

  it('the status is asked again every 15 seconds while shown', async () => {
    const page = await open({ clock: true });
    await drive(page, 'sejam', null, SEJAM_DONE, true);
    await page.getByText(faText('status-pending-title')).waitFor();
    await page.evaluate(() => window.__ehrazDouble.setStatus('approved'));
    await page.clock.fastForward(16_000);
    await page.getByText(faText('status-approved-title')).waitFor();
  });

  it('English: left to right', async () => {
    const page = await open();
    await page.evaluate(() => window.__ehrazDouble.setLocale('en'));
    await page.reload();
    await heading(page, 'Verify your identity without visiting a branch');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.evaluate(() => window.__ehrazDouble.setLocale('fa'));
  });
});
