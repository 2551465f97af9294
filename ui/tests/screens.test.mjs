// Every screen of both flows, at a phone and a desktop size: a screenshot of each in
// ui/test-results/screenshots, and the checks of auditScreen (overflow, target size,
// contrast of text and of controls and focus rings, axe, Persian accessible names, text
// alternatives, Persian digits), with no console error or CSP violation anywhere. What
// each audit saw is recorded; at the end of each size, every screen the flow definitions
// can show (screenInventory) must have been audited. Photo steps hold the double's
// guidance where the screen is to be seen: left alone, the countdown would take the photo
// in the middle of the checks.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DATA,
  EXCHANGE_ANSWERS,
  SEJAM_ANSWERS,
  SEJAM_DONE,
  FLOWS,
  SCREEN_HEADING,
  atStep,
  auditScreen,
  camera,
  chooseFlow,
  continueForm,
  drive,
  enterCode,
  faText,
  freshPage,
  guide,
  heading,
  launch,
  openCamera,
  reviewShown,
  screenInventory,
  screenKeys,
  startServer,
  takePhoto,
} from './lib.mjs';

const VIEWPORTS = [
  { width: 360, height: 640 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const EXCHANGE_DOCUMENTS = {
  ...EXCHANGE_ANSWERS,
  method: 'documents',
  'identity-document': 'national-card',
  'bank-card': DATA.bankCard,
};
const EXCHANGE_BASIC = {
  'national-code': DATA.nationalCode,
  mobile: DATA.mobile,
  'birth-date': DATA.birthDate,
};

/** Audits the screen `session` shows as `name`, and records which screens it was in `covered`. */
async function audit(session, covered, name) {
  const problems = await auditScreen(session.page, name);
  for (const key of await screenKeys(session.page)) covered.add(key);
  assert.deepEqual([...problems, ...session.problems], []);
}

/**
 * A screen that lasts only moments, audited on a page whose clock is held while it shows:
 * a photo step's auto-capture countdown (it takes the photo within 1.5 s), or a camera
 * that gives no picture (after 5 s the step says the camera gives none).
 */
async function auditHeld(viewport, covered, name, flow, step, answers, held) {
  const session = await freshPage(browser, server.url, { ...viewport, clock: true });
  const { page } = session;
  try {
    await drive(page, flow, step, answers);
    if (held === 'countdown') await guide(page, 'ready', true);
    else await camera(page, 'set', { noFrames: true });
    await page.locator('#capture-open').click();
    await page.locator(held === 'countdown' ? '#capture-auto-countdown .auto-count' : '.preview-waiting').waitFor();
    // A moment ahead of the page's clock, well before the countdown's next half second.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 100);
    await audit(session, covered, name);
  } finally {
    await session.context.close();
  }
}

/** Holds the page's double back until `release()`: the loading screen stays up. */
async function holdLoading(page) {
  let release;
  const gate = new Promise((resolve) => (release = resolve));
  await page.route('**/assets/double-*.js', async (route) => {
    await gate;
    await route.continue();
  });
  return async () => {
    release();
    await page.locator(SCREEN_HEADING).waitFor();
    await page.unroute('**/assets/double-*.js');
  };
}

for (const viewport of VIEWPORTS) {
  const size = `${viewport.width}x${viewport.height}`;
  /** Every screen audited at this size (screenKeys). */
  const covered = new Set();

  describe(`sejam screens at ${size}`, () => {
    let session;
    let page;
    const check = (name) => audit(session, covered, `sejam-${name}`);

    before(async () => {
      session = await freshPage(browser, server.url, viewport);
      page = session.page;
    });
    after(async () => session.context.close());

    it('start', async () => {
      assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'fa');
      await check('start');
    });

    it('mobile', async () => {
      await chooseFlow(page, 'sejam');
      await atStep(page, 'mobile');
      assert.equal(await page.locator('.step-count').textContent().then((t) => t.replace(/[\u2068\u2069]/g, '')), faText('wizard-progress', { number: 1, total: 10 }));
      await check('mobile');
    });

    it('mobile with an error', async () => {
      await page.fill('#f-mobile', '۰۸۱۲');
      await continueForm(page);
      await page.locator('#error-mobile').waitFor();
      await check('mobile-error');
    });

    it('start-over dialog', async () => {
      await page.getByRole('button', { name: faText('header-start-over') }).click();
      await page.locator('dialog[open]').waitFor();
      await check('start-over-dialog');
      await page.getByRole('button', { name: faText('start-over-cancel') }).click();
    });

    it('mobile code', async () => {
      await page.fill('#f-mobile', DATA.mobile);
      await continueForm(page);
      await atStep(page, 'mobile-code');
      await page.locator('.sent-to .number').waitFor();
      await check('mobile-code');
    });

    it('mobile code, wrong', async () => {
      await page.fill('#one-time-code', '000000');
      await page.locator('#code-error').waitFor();
      await check('mobile-code-wrong');
    });

    it('identity', async () => {
      await enterCode(page);
      await atStep(page, 'identity');
      await check('identity');
    });

    it('sejam code', async () => {
      await page.fill('#f-national-code', DATA.nationalCode);
      await page.fill('#f-sejam-tracking-code', DATA.tracking);
      await continueForm(page);
      await atStep(page, 'sejam-code');
      await page.locator('.sent-to .number').waitFor();
      await check('sejam-code');
    });

    it('card', async () => {
      await enterCode(page);
      await atStep(page, 'card');
      await check('card');
    });

    it('card, smart card chosen', async () => {
      await page.getByRole('radio', { name: faText('option-card-document-smart-card'), exact: true }).check();
      await page.locator('#f-card-serial').waitFor();
      await check('card-smart-card');
    });

    it('card, receipt chosen', async () => {
      await page.getByRole('radio', { name: faText('option-card-document-receipt'), exact: true }).check();
      await page.locator('#f-card-receipt-code').waitFor();
      assert.equal(await page.locator('#f-card-serial').count(), 0);
      await check('card-receipt');
    });

    it('selfie: the rules and the button that opens the camera', async () => {
      await page.getByRole('radio', { name: faText('option-card-document-smart-card'), exact: true }).check();
      await page.fill('#f-card-serial', DATA.serial.toLowerCase());
      await continueForm(page);
      await atStep(page, 'selfie');
      await page.locator('#capture-open').waitFor();
      assert.equal(await page.locator('#capture-preview').count(), 0, 'no camera before it is asked for');
      await check('selfie');
    });

    it('selfie: the live picture, its oval, what to fix, the shutter', async () => {
      await guide(page, 'face-too-small');
      await openCamera(page);
      await page.locator('.capture-overlay[data-guidance="fix"]').waitFor();
      await check('selfie-live');
    });

    it('selfie: everything right, not yet steady', async () => {
      await guide(page, 'ready', false);
      await page.locator('.capture-overlay[data-guidance="ready"]').waitFor();
      await check('selfie-ready');
    });

    it('selfie: the review', async () => {
      await takePhoto(page);
      await check('selfie-review');
    });

    it('signature: the live picture and its paper frame', async () => {
      await page.locator('#capture-accept').click();
      await atStep(page, 'signature');
      await guide(page, 'no-strokes');
      await openCamera(page);
      await check('signature-live');
    });

    it('a camera in use elsewhere: what to do, and the ways forward', async () => {
      await drive(page, 'sejam', 'signature', SEJAM_ANSWERS);
      await camera(page, 'set', { cameraError: 'camera_busy', cameras: 2 });
      await page.locator('#capture-open').click();
      await page.locator('.capture-problem-message').waitFor();
      await check('camera-busy');
      await camera(page, 'set', { cameraError: null, cameras: 1 });
    });

    it('selfie video (its challenge and duration)', async () => {
      await drive(page, 'sejam', 'selfie-video', SEJAM_ANSWERS);
      await atStep(page, 'selfie-video');
      await page.getByText(faText('capture-challenge-digits')).waitFor();
      await check('selfie-video');
    });

    it('selfie video: the digits to show, the level, the record button', async () => {
      await openCamera(page, '#record-start');
      await check('selfie-video-live');
    });

    it('selfie video: recording, with its countdown', async () => {
      await page.locator('#record-start').click();
      await page.locator('.capture-countdown').waitFor();
      await page.locator('#challenge-digit').waitFor();
      await check('selfie-video-recording');
    });

    it('selfie video: the review', async () => {
      await camera(page, 'set', { timeScale: 4 });
      await page.locator('#record-stop:not([disabled])').click();
      await reviewShown(page);
      await check('selfie-video-review');
    });

    it('review', async () => {
      await drive(page, 'sejam', 'review', SEJAM_ANSWERS);
      await atStep(page, 'review');
      const text = await page.locator('.review-list').textContent();
      assert.ok(text.includes('۱G۲۳۴۵۶۷۸۹'), 'card serial: Persian digits, Latin letters');
      assert.ok(text.includes(faText('option-card-document-smart-card')), 'option label, not id');
      assert.ok(text.includes(faText('review-verified')));
      await check('review');
    });

    it('commitments', async () => {
      await page.getByRole('button', { name: faText('review-continue') }).click();
      await atStep(page, 'commitments');
      await check('commitments');
    });

    it('commitments refused', async () => {
      await continueForm(page);
      await page.locator('#error-commit-truthful').waitFor();
      await check('commitments-error');
    });

    it('submit', async () => {
      for (const box of await page.getByRole('checkbox').all()) await box.check();
      await continueForm(page);
      await heading(page, faText('submit-title'));
      await check('submit');
    });

    it('submit in progress', async () => {
      await page.evaluate(() => (window.__ehrazDouble.submitStepMs = 150));
      await page.getByRole('button', { name: faText('submit-send') }).click();
      const bar = page.locator('.bar[role=progressbar]');
      await page.waitForFunction(() => Number(document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')) > 0);
      assert.match((await bar.getAttribute('aria-valuetext')).replace(/[\u2068\u2069]/g, ''), /^[۰-۹]+٪$/);
      await check('submit-progress');
    });

    it('status: pending', async () => {
      await heading(page, faText('status-title'));
      await page.getByText(faText('status-pending-title')).waitFor();
      await check('status-pending');
    });

    for (const [state, reasons] of [
      ['needs-resubmission', [
        { item: 'selfie', reason: 'photo-blurred' },
        { item: 'signature', reason: 'signature-unclear' },
        { item: 'card-serial', reason: 'data-mismatch' },
        { item: 'selfie-video', reason: 'something-new' },
      ]],
      ['approved', []],
      ['rejected', []],
    ]) {
      it(`status: ${state}`, async () => {
        await page.evaluate(([s, r]) => window.__ehrazDouble.setStatus(s, r), [state, reasons]);
        await page.reload();
        await page.getByText(faText(`status-${state}-title`)).waitFor();
        if (reasons.length) {
          const text = await page.locator('.reasons').textContent();
          assert.ok(text.includes(faText('reason-photo-blurred')));
          assert.ok(text.includes(faText('reason-other')), 'unknown reasons fall back to reason-other');
        }
        await check(`status-${state}`);
      });
    }

    it('a failed call: the banner', async () => {
      await drive(page, 'sejam', 'commitments', SEJAM_ANSWERS);
      await page.evaluate(() => window.__ehrazDouble.failNext({ code: 'server_failed' }));
      for (const box of await page.getByRole('checkbox').all()) await box.check();
      await continueForm(page);
      await page.getByRole('alert').filter({ hasText: faText('error-server_failed') }).waitFor();
      await check('error-banner');
      assert.ok(SEJAM_DONE);
    });

    it('loading', async () => {
      const release = await holdLoading(page);
      await page.reload({ waitUntil: 'commit' });
      await page.locator('main .loading').waitFor();
      try {
        await check('loading');
      } finally {
        await release();
      }
    });

    it('refused forms: identity and card', async () => {
      await drive(page, 'sejam', 'identity', { mobile: DATA.mobile });
      await continueForm(page);
      await page.locator('#error-national-code').waitFor();
      await check('identity-error');
      await drive(page, 'sejam', 'card', { mobile: DATA.mobile, 'national-code': DATA.nationalCode, 'sejam-tracking-code': DATA.tracking });
      await continueForm(page);
      await page.locator('#error-card-document').waitFor();
      await check('card-error');
    });

    it('one-time codes: refused, and already verified on the way back', async () => {
      await drive(page, 'sejam', 'sejam-code', SEJAM_ANSWERS);
      await page.locator('.sent-to .number').waitFor();
      await page.fill('#one-time-code', '00000');
      await page.locator('#code-error').waitFor();
      await check('sejam-code-wrong');
      for (const [code, next] of [
        ['mobile-code', 'identity'],
        ['sejam-code', 'card'],
      ]) {
        await drive(page, 'sejam', next, SEJAM_ANSWERS);
        await page.getByRole('button', { name: faText('header-back') }).click();
        await atStep(page, code);
        await page.getByText(faText('code-already-verified')).waitFor();
        await check(`${code}-verified`);
      }
    });

    it('signature: the rules and the review', async () => {
      await drive(page, 'sejam', 'signature', SEJAM_ANSWERS);
      await page.locator('#capture-open').waitFor();
      await check('signature');
      await guide(page, 'no-strokes');
      await openCamera(page);
      await takePhoto(page);
      await check('signature-review');
    });

    it('a photo taken before, offered to keep', async () => {
      await drive(page, 'sejam', 'selfie-video', SEJAM_ANSWERS);
      await page.getByRole('button', { name: faText('header-back') }).click();
      await atStep(page, 'signature');
      await page.locator('.capture-kept').waitFor();
      await check('signature-kept');
    });

    it('a microphone in use elsewhere, beside the live picture', async () => {
      await drive(page, 'sejam', 'selfie-video', SEJAM_ANSWERS);
      await camera(page, 'set', { microphoneError: 'microphone_busy' });
      await page.locator('#capture-open').click();
      await page.locator('.capture-live .capture-problem').waitFor();
      await check('selfie-video-microphone-busy');
      await camera(page, 'set', { microphoneError: null });
    });

    it('the auto-capture countdown', async () => {
      await auditHeld(viewport, covered, 'sejam-selfie-countdown', 'sejam', 'selfie', SEJAM_ANSWERS, 'countdown');
    });

    it('a camera that gives no picture yet', async () => {
      await auditHeld(viewport, covered, 'sejam-selfie-video-waiting', 'sejam', 'selfie-video', SEJAM_ANSWERS, 'waiting');
    });
  });

  describe(`exchange screens at ${size}`, () => {
    let session;
    let page;
    const check = (name) => audit(session, covered, `exchange-${name}`);

    before(async () => {
      session = await freshPage(browser, server.url, viewport);
      page = session.page;
    });
    after(async () => session.context.close());

    it('basic', async () => {
      await chooseFlow(page, 'exchange');
      await atStep(page, 'basic');
      await check('basic');
    });

    it('code', async () => {
      await page.fill('#f-national-code', DATA.nationalCode);
      await page.fill('#f-mobile', DATA.mobile);
      await page.fill('#f-birth-date', DATA.birthDate);
      await continueForm(page);
      await atStep(page, 'mobile-code');
      await page.locator('.sent-to .number').waitFor();
      await check('code');
    });

    it('method', async () => {
      await enterCode(page);
      await atStep(page, 'method');
      await check('method');
    });

    it('documents: the first capture step, with the letter to copy', async () => {
      await page.getByRole('radio', { name: faText('option-method-documents'), exact: true }).check();
      await continueForm(page);
      await atStep(page, 'commitment-letter');
      await page.locator('#commitment-letter-text').waitFor();
      await check('commitment-letter');
    });

    it('documents: the letter beside the live picture', async () => {
      await guide(page, 'no-paper');
      await openCamera(page);
      await check('commitment-letter-live');
    });

    it('video: the first capture step', async () => {
      // Served with digits as the alternative, so that its offer is seen too.
      await page.evaluate(() => window.__ehrazDouble.amendStep('exchange', 'video', { alternative_challenge: 'digits' }));
      await page.getByRole('button', { name: faText('header-back') }).click();
      await atStep(page, 'method');
      await page.getByRole('radio', { name: faText('option-method-video'), exact: true }).check();
      await continueForm(page);
      await atStep(page, 'video');
      await page.getByText(faText('capture-challenge-sentence')).waitFor();
      await check('video');
    });

    it('video: the sentence to read, the level meter', async () => {
      // The page held the letter's guidance until now: a face's guidance from here on.
      await guide(page, 'face-off-centre');
      await openCamera(page, '#record-start');
      await page.waitForFunction(() => Number(document.querySelector('[role=meter]')?.getAttribute('aria-valuenow')) > 0);
      await page.locator('#challenge-alternative').waitFor();
      await check('video-live');
    });

    it('video: recording, the sentence and "we hear you"', async () => {
      await camera(page, 'set', { timeScale: 8 });
      await page.locator('#record-start').click();
      await page.locator('#challenge-voice[data-hearing="true"]').waitFor();
      await check('video-recording');
      await page.locator('#record-stop:not([disabled])').click();
      await reviewShown(page);
      await page.locator('#capture-retake').click();
      await page.locator('#record-start:not([disabled])').waitFor();
    });

    it('video: no voice heard', async () => {
      await camera(page, 'set', { silent: true, microphones: 2, timeScale: 8 });
      await page.locator('#record-start').click();
      await page.locator('#record-stop:not([disabled])').click();
      await reviewShown(page);
      await page.locator('select#microphone-device').waitFor();
      await check('video-silent');
      await camera(page, 'set', { silent: false, microphones: 1 });
    });

    it('video: sound, but no speech while the sentence was shown', async () => {
      await camera(page, 'set', { speaking: false });
      await page.locator('#capture-retake').click();
      await page.locator('#record-start:not([disabled])').click();
      await page.locator('#record-stop:not([disabled])').click();
      await reviewShown(page);
      await page.locator('.capture-unheard').waitFor();
      await check('video-unheard');
      await camera(page, 'set', { speaking: true, timeScale: 1 });
    });

    it('video: digits instead of the sentence', async () => {
      await page.locator('#challenge-alternative').click();
      await page.locator('#challenge-original').waitFor();
      await page.locator('#record-start:not([disabled])').waitFor();
      await check('video-digits-instead');
    });

    it('video: a microphone that is denied', async () => {
      await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
      await camera(page, 'set', { microphoneError: 'microphone_denied' });
      await openCamera(page, '#capture-retry');
      await check('video-microphone-denied');
      await camera(page, 'set', { microphoneError: null });
    });

    it('documents: identity document and bank card forms', async () => {
      await drive(page, 'exchange', 'identity-document', { ...EXCHANGE_ANSWERS, method: 'documents' });
      await atStep(page, 'identity-document');
      await check('identity-document');
      const documents = { ...EXCHANGE_ANSWERS, method: 'documents', 'identity-document': 'national-card', 'bank-card': DATA.bankCard };
      await drive(page, 'exchange', 'identity-document-photo', documents);
      await guide(page, 'glare');
      await openCamera(page);
      await check('identity-document-photo-live');
      await drive(page, 'exchange', 'selfie-with-documents', documents);
      await guide(page, 'no-card');
      await openCamera(page);
      await check('selfie-with-documents-live');
      await drive(page, 'exchange', 'bank-card', { ...EXCHANGE_ANSWERS, method: 'documents', 'identity-document': 'national-card' });
      await atStep(page, 'bank-card');
      await check('bank-card');
    });

    it('contact: landline', async () => {
      await drive(page, 'exchange', 'contact', { ...EXCHANGE_ANSWERS, 'contact-kind': undefined, address: undefined, 'postal-code': undefined });
      await atStep(page, 'contact');
      await page.getByRole('radio', { name: faText('option-contact-kind-landline'), exact: true }).check();
      await page.locator('#f-landline').waitFor();
      await check('contact-landline');
    });

    it('contact: address', async () => {
      await page.getByRole('radio', { name: faText('option-contact-kind-address'), exact: true }).check();
      await page.locator('#f-postal-code').waitFor();
      assert.equal(await page.locator('#f-landline').count(), 0);
      await page.fill('#f-address', DATA.address);
      await page.fill('#f-postal-code', DATA.postal);
      await check('contact-address');
    });

    it('review', async () => {
      await continueForm(page);
      await atStep(page, 'review');
      const text = await page.locator('.review-list').textContent();
      assert.ok(text.includes('۱۳۷۰/۰۱/۱۵'), 'birth date in Persian digits');
      assert.ok(text.includes(faText('option-method-video')));
      await check('review');
    });

    it('refused forms: basic, method, identity document, bank card, contact', async () => {
      const documents = { ...EXCHANGE_BASIC, method: 'documents' };
      for (const [step, answers, field] of [
        ['basic', {}, 'national-code'],
        ['method', EXCHANGE_BASIC, 'method'],
        ['identity-document', documents, 'identity-document'],
        ['bank-card', { ...documents, 'identity-document': 'national-card' }, 'bank-card'],
        ['contact', { ...EXCHANGE_BASIC, method: 'video' }, 'contact-kind'],
      ]) {
        await drive(page, 'exchange', step, answers);
        await atStep(page, step);
        await continueForm(page);
        await page.locator(`#error-${field}`).waitFor();
        await check(`${step}-error`);
      }
    });

    it('the one-time code: refused, and already verified on the way back', async () => {
      await drive(page, 'exchange', 'mobile-code', EXCHANGE_BASIC);
      await page.locator('.sent-to .number').waitFor();
      await page.fill('#one-time-code', '000000');
      await page.locator('#code-error').waitFor();
      await check('code-wrong');
      await drive(page, 'exchange', 'method', EXCHANGE_BASIC);
      await page.getByRole('button', { name: faText('header-back') }).click();
      await atStep(page, 'mobile-code');
      await page.getByText(faText('code-already-verified')).waitFor();
      await check('code-verified');
    });

    // Every photo step of the documents branch: its rules, its live picture, its review.
    for (const step of FLOWS.exchange.steps.filter((s) => s.kind === 'capture' && s.when?.equals === 'documents')) {
      it(`documents: ${step.id}, from its rules to its review`, async () => {
        await drive(page, 'exchange', step.id, EXCHANGE_DOCUMENTS);
        await page.locator('#capture-open').waitFor();
        await check(`${step.id}-rules`);
        await guide(page, 'too-dark');
        await openCamera(page);
        await check(`${step.id}-live`);
        await takePhoto(page);
        await check(`${step.id}-review`);
      });
    }

    it('documents: a photo taken before, and a camera that is refused', async () => {
      await drive(page, 'exchange', 'bank-card', EXCHANGE_DOCUMENTS);
      await page.getByRole('button', { name: faText('header-back') }).click();
      await atStep(page, 'identity-document-photo');
      await page.locator('.capture-kept').waitFor();
      await check('identity-document-photo-kept');
      await camera(page, 'set', { cameraError: 'camera_denied' });
      await page.locator('#capture-open').click();
      await page.locator('.capture-problem-message').waitFor();
      await check('camera-denied');
      await camera(page, 'set', { cameraError: null });
    });

    it('documents: the auto-capture countdown, and a camera that gives no picture yet', async () => {
      await auditHeld(viewport, covered, 'exchange-bank-card-photo-countdown', 'exchange', 'bank-card-photo', EXCHANGE_DOCUMENTS, 'countdown');
      await auditHeld(viewport, covered, 'exchange-commitment-letter-waiting', 'exchange', 'commitment-letter', EXCHANGE_DOCUMENTS, 'waiting');
    });

    it('submit, sending and each status', async () => {
      await drive(page, 'exchange', null, EXCHANGE_DOCUMENTS);
      await heading(page, faText('submit-title'));
      await check('submit');
      await page.evaluate(() => (window.__ehrazDouble.submitStepMs = 150));
      await page.getByRole('button', { name: faText('submit-send') }).click();
      await page.waitForFunction(() => Number(document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')) > 0);
      await check('submit-progress');
      await heading(page, faText('status-title'));
      await page.getByText(faText('status-pending-title')).waitFor();
      await check('status-pending');
      for (const [state, reasons] of [
        ['needs-resubmission', [{ item: 'bank-card-photo', reason: 'photo-blurred' }, { item: 'postal-code', reason: 'data-mismatch' }]],
        ['approved', []],
        ['rejected', []],
      ]) {
        await page.evaluate(([s, r]) => window.__ehrazDouble.setStatus(s, r), [state, reasons]);
        await page.reload();
        await page.getByText(faText(`status-${state}-title`)).waitFor();
        await check(`status-${state}`);
      }
    });
  });

  describe(`every screen audited at ${size}`, () => {
    it('each screen the flows can show, and nothing the inventory does not know', () => {
      const inventory = screenInventory();
      assert.deepEqual(
        [...inventory].filter((k) => !covered.has(k)),
        [],
        'screens never audited',
      );
      assert.deepEqual(
        [...covered].filter((k) => !inventory.has(k)),
        [],
        'screens audited that the inventory does not list',
      );
      console.log(`screens at ${size}: ${covered.size} of ${inventory.size} audited`);
    });
  });
}
