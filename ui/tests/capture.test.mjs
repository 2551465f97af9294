// Capture with the double's camera, microphone and recorder: both flows through their
// capture steps to the status (photos by the guidance's countdown and by the shutter), the
// shutter and record rules, retake and redo, every camera and microphone failure with its
// way forward, the preview's acknowledgement rule and its mirror. Guidance, auto-capture
// and the challenges in detail are in guidance.test.mjs.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DATA,
  EXCHANGE_ANSWERS,
  SEJAM_ANSWERS,
  atStep,
  camera,
  continueForm,
  drive,
  faText,
  guide,
  heading,
  openCamera,
  photoStep,
  recordVideo,
  reviewShown,
  takePhoto,
  textOf,
  usePages,
} from './lib.mjs';

const open = usePages();

const transformOf = (page, selector) => page.evaluate((s) => getComputedStyle(document.querySelector(s)).transform, selector);
const MIRROR = 'matrix(-1, 0, 0, 1, 0, 0)';

async function submitAndSeeStatus(page) {
  await heading(page, faText('submit-title'));
  await page.evaluate(() => (window.__ehrazDouble.submitStepMs = 10));
  await page.getByRole('button', { name: faText('submit-send') }).click();
  await heading(page, faText('status-title'));
  await page.getByText(faText('status-pending-title')).waitFor();
}

/** What the double holds for the current session. */
const stored = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('ehraz.double.v1')).state);

describe('both flows through their captures', () => {
  it('sejam: selfie, signature and the digits video, then review, commitments, submit and status', async () => {
    const page = await open();
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await atStep(page, 'selfie');
    await openCamera(page);
    assert.equal((await camera(page, 'report')).lastOpen.facing, 'front');
    assert.equal(await transformOf(page, '#capture-preview'), MIRROR, 'a selfie preview is a mirror');
    assert.equal(await page.locator('.capture-overlay').getAttribute('data-shape'), 'face');
    // Left alone, the guidance settles and its countdown takes the photo.
    await reviewShown(page);
    assert.deepEqual((await camera(page, 'report')).photos, [{ step: 'selfie', auto: true }]);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-review-title', 'focus on the review heading');
    assert.equal(await transformOf(page, '#capture-review'), 'none', 'the saved photo is not mirrored');
    assert.match(await page.locator('#capture-review').getAttribute('src'), /^blob:/);
    await page.locator('#capture-accept').click();

    await atStep(page, 'signature');
    assert.equal((await camera(page, 'report')).open, false, 'leaving the step closed the camera');
    await guide(page, 'no-strokes');
    await openCamera(page);
    assert.equal((await camera(page, 'report')).lastOpen.facing, 'back');
    assert.equal(await transformOf(page, '#capture-preview'), 'none', 'a document preview is not a mirror');
    assert.equal(await page.locator('.capture-overlay').getAttribute('data-shape'), 'paper');
    // The shutter, before the guidance is ready.
    await takePhoto(page);
    assert.deepEqual((await camera(page, 'report')).photos.at(-1), { step: 'signature', auto: false });
    await page.locator('#capture-accept').click();

    await atStep(page, 'selfie-video');
    await openCamera(page, '#record-start');
    assert.equal((await camera(page, 'report')).lastOpen.facing, 'front');
    assert.equal(await transformOf(page, '#capture-preview'), MIRROR);
    assert.equal(await page.locator('#challenge-digit').count(), 0, 'no digit before recording');
    await camera(page, 'set', { timeScale: 4 });
    await page.locator('#record-start').click();
    const digit = page.locator('#challenge-digit');
    await digit.waitFor();
    assert.match(await textOf(digit), /^[۱-۵]$/, 'a digit in Persian');
    await page.locator('#record-stop:not([disabled])').click();
    await reviewShown(page);
    assert.match(await textOf(page.locator('.capture-duration')), /[۰-۹]/);
    await page.locator('#capture-accept').click();

    await atStep(page, 'review');
    assert.equal(await page.locator('.review-list .done', { hasText: faText('review-captured') }).count(), 3);
    await page.getByRole('button', { name: faText('review-continue') }).click();
    await atStep(page, 'commitments');
    for (const box of await page.getByRole('checkbox').all()) await box.check();
    await continueForm(page);
    const state = await stored(page);
    assert.deepEqual(state.captured, ['selfie', 'signature', 'selfie-video']);
    assert.equal(state.challenges['selfie-video'].kind, 'digits');
    await submitAndSeeStatus(page);
  });

  it('exchange by documents: letter, identity document, bank card, selfie with them, then submit and status', async () => {
    const page = await open();
    await drive(page, 'exchange', 'commitment-letter', { ...EXCHANGE_ANSWERS, method: 'documents' });
    await atStep(page, 'commitment-letter');
    // The text to copy is shown before the camera and beside it.
    const letter = await textOf(page.locator('#commitment-letter-text'));
    assert.ok(letter.includes('۰۰۱۲۳۴۵۶۷'), 'the national code, in Persian digits, is in the letter');
    await openCamera(page);
    assert.equal(await page.locator('#commitment-letter-text').count(), 1);
    assert.equal(await page.locator('.capture-overlay').getAttribute('data-shape'), 'paper');
    await takePhoto(page);
    await page.locator('#capture-accept').click();

    await atStep(page, 'identity-document');
    await page.getByRole('radio', { name: faText('option-identity-document-national-card'), exact: true }).check();
    await continueForm(page);
    await atStep(page, 'identity-document-photo');
    await openCamera(page);
    assert.equal(await page.locator('.capture-overlay').getAttribute('data-shape'), 'card');
    assert.equal(await transformOf(page, '#capture-preview'), 'none');
    await takePhoto(page);
    await page.locator('#capture-accept').click();

    await atStep(page, 'bank-card');
    await page.fill('#f-bank-card', DATA.bankCard);
    await continueForm(page);
    await atStep(page, 'bank-card-photo');
    await photoStep(page);

    await atStep(page, 'selfie-with-documents');
    await openCamera(page);
    assert.equal(await page.locator('.capture-overlay').getAttribute('data-shape'), 'face-and-card');
    assert.equal(await transformOf(page, '#capture-preview'), MIRROR);
    assert.equal((await camera(page, 'report')).lastOpen.facing, 'front');
    await takePhoto(page);
    await page.locator('#capture-accept').click();

    await atStep(page, 'contact');
    await page.getByRole('radio', { name: faText('option-contact-kind-address'), exact: true }).check();
    await page.fill('#f-address', DATA.address);
    await page.fill('#f-postal-code', DATA.postal);
    await continueForm(page);
    await atStep(page, 'review');
    await page.getByRole('button', { name: faText('review-continue') }).click();
    assert.deepEqual((await stored(page)).captured, [
      'commitment-letter',
      'identity-document-photo',
      'bank-card-photo',
      'selfie-with-documents',
    ]);
    await submitAndSeeStatus(page);
  });

  it('exchange by video: the sentence read aloud with a level meter, then submit and status', async () => {
    const page = await open();
    await drive(page, 'exchange', 'video', { ...EXCHANGE_ANSWERS, 'contact-kind': undefined, address: undefined, 'postal-code': undefined });
    await atStep(page, 'video');
    await openCamera(page, '#record-start');
    const sentence = await textOf(page.locator('.challenge-sentence'));
    assert.match(sentence, /[\u0600-\u06ff]/, 'a Persian sentence to read');
    const meter = page.getByRole('meter');
    await page.waitForFunction(() => Number(document.querySelector('[role=meter]')?.getAttribute('aria-valuenow')) > 0);
    assert.match((await meter.getAttribute('aria-valuetext')).replace(/[\u2068\u2069]/g, ''), /^[۰-۹]+٪$/);
    await camera(page, 'set', { timeScale: 4 });
    await page.locator('#record-start').click();
    await page.locator('#record-stop:not([disabled])').click();
    await reviewShown(page);
    assert.equal(await page.getByText(faText('error-microphone_silent')).count(), 0);
    await page.locator('#capture-accept').click();
    await atStep(page, 'contact');
    await page.getByRole('radio', { name: faText('option-contact-kind-landline'), exact: true }).check();
    await page.fill('#f-landline', DATA.landline);
    await continueForm(page);
    await atStep(page, 'review');
    await page.getByRole('button', { name: faText('review-continue') }).click();
    const state = await stored(page);
    assert.deepEqual(state.captured, ['video']);
    assert.equal(state.challenges.video.kind, 'sentence');
    await submitAndSeeStatus(page);
  });
});

describe('the shutter, retake and the preview', () => {
  it('the shutter stays disabled until a first frame is drawn; none within 5 s says so and retry recovers', async () => {
    const page = await open();
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await camera(page, 'set', { noFrames: true });
    await page.locator('#capture-open').click();
    await page.locator('#capture-preview').waitFor();
    const shutter = page.locator('#capture-shutter');
    assert.equal(await shutter.isDisabled(), true);
    await page.waitForTimeout(1500);
    assert.equal(await shutter.isDisabled(), true, 'still no frame, still no shutter');
    const message = page.locator('.capture-problem-message');
    await message.waitFor({ timeout: 8000 });
    assert.equal(await textOf(message), faText('error-no_frame'));
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-problem-title', 'focus on the problem');
    assert.equal((await camera(page, 'report')).open, false, 'the silent camera was closed');
    await camera(page, 'set', { noFrames: false });
    await page.locator('#capture-retry').click();
    await page.locator('#capture-shutter:not([disabled])').waitFor();
  });

  it('retake throws the photo away and goes back to the live picture', async () => {
    const page = await open();
    await drive(page, 'sejam', 'signature', SEJAM_ANSWERS);
    await openCamera(page);
    await takePhoto(page);
    assert.equal((await camera(page, 'report')).pending, 'photo');
    const first = await page.locator('#capture-review').getAttribute('src');
    await page.evaluate(() => {
      window.revokedUrls = [];
      const revoke = URL.revokeObjectURL.bind(URL);
      URL.revokeObjectURL = (url) => {
        window.revokedUrls.push(url);
        revoke(url);
      };
    });
    await page.locator('#capture-retake').click();
    await page.locator('#capture-shutter:not([disabled])').waitFor();
    assert.equal((await camera(page, 'report')).pending, null, 'discarded');
    assert.equal(await page.locator('#capture-review').count(), 0);
    assert.deepEqual(await page.evaluate(() => window.revokedUrls), [first], 'the old blob URL was revoked');
    await takePhoto(page);
    await page.locator('#capture-accept').click();
    await atStep(page, 'selfie-video');
  });

  it('never more than two frames unacknowledged: a page that stops acknowledging gets no more', async () => {
    const page = await open();
    await drive(page, 'sejam', 'signature', SEJAM_ANSWERS);
    await camera(page, 'set', { fps: 60 });
    await guide(page, 'no-strokes');
    await openCamera(page);
    await page.waitForTimeout(1000);
    let report = await camera(page, 'report');
    assert.ok(report.framesSent > 10, `${report.framesSent} frames sent`);
    assert.ok(report.framesAcked >= report.framesSent - 2, 'every drawn frame acknowledged');
    // The page stops acknowledging (held here): the camera must stop sending after two.
    await page.evaluate(() => {
      const capture = window.__ehrazDouble.capture;
      window.heldAcks = [];
      window.realAck = capture.previewAck;
      capture.previewAck = async (sequence) => {
        window.heldAcks.push(sequence);
      };
    });
    await page.waitForTimeout(800);
    const stalled = await camera(page, 'report');
    await page.waitForTimeout(500);
    report = await camera(page, 'report');
    assert.equal(report.framesSent, stalled.framesSent, 'nothing sent while two wait');
    assert.ok(report.framesHeldBack > stalled.framesHeldBack, 'frames were due and held back');
    assert.equal(report.maxUnacked, 2, 'two in flight at most, and the limit was reached');
    // Acknowledging again lets the newest frames flow.
    await page.evaluate(async () => {
      const capture = window.__ehrazDouble.capture;
      capture.previewAck = window.realAck;
      for (const sequence of window.heldAcks) await capture.previewAck(sequence);
    });
    await page.waitForFunction((n) => window.__ehrazDouble.capture.report().framesSent > n + 5, report.framesSent);
    assert.equal((await camera(page, 'report')).maxUnacked, 2);
  });

  it('draws RGBA frames too, and keeps acknowledging while the review is shown', async () => {
    const page = await open();
    await drive(page, 'sejam', 'signature', SEJAM_ANSWERS);
    await camera(page, 'set', { format: 'rgba', fps: 15 });
    await openCamera(page);
    const centre = await page.evaluate(() => {
      const c = document.querySelector('#capture-preview');
      return [...c.getContext('2d').getImageData(c.width / 2, c.height / 2, 1, 1).data];
    });
    assert.ok(centre[0] + centre[1] + centre[2] > 100, `the picture was drawn (${centre})`);
    await takePhoto(page);
    const before = (await camera(page, 'report')).framesAcked;
    await page.waitForTimeout(800);
    assert.ok((await camera(page, 'report')).framesAcked > before + 3, 'frames still acknowledged during review');
    await page.locator('#capture-retake').click();
    await page.locator('#capture-shutter:not([disabled])').waitFor();
  });

  it('two cameras: a choice; the selfie opens the front one, choosing the other reopens', async () => {
    const page = await open();
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await camera(page, 'set', { cameras: 2 });
    await guide(page, 'face-too-small');
    await openCamera(page);
    const select = page.locator('select#camera-device');
    assert.equal(await select.locator('option').count(), 2);
    assert.equal(await select.inputValue(), 'file:front');
    const opens = (await camera(page, 'report')).opens;
    await select.selectOption('file:back');
    await page.waitForFunction((n) => window.__ehrazDouble.capture.report().opens > n, opens);
    assert.equal((await camera(page, 'report')).lastOpen.device, 'file:back');
    await page.locator('#capture-shutter:not([disabled])').waitFor();
    assert.equal(await page.locator('select#camera-device').inputValue(), 'file:back');
  });

  it('one camera: no choice offered', async () => {
    const page = await open();
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await openCamera(page);
    assert.equal(await page.locator('select#camera-device').count(), 0);
  });

  it('going back from the live picture closes the camera; a captured step can be kept', async () => {
    const page = await open();
    await drive(page, 'sejam', 'signature', SEJAM_ANSWERS);
    await openCamera(page);
    await page.getByRole('button', { name: faText('header-back') }).click();
    await atStep(page, 'selfie');
    await page.waitForFunction(() => !window.__ehrazDouble.capture.report().open);
    await page.locator('#capture-keep').click();
    await atStep(page, 'signature');
    assert.equal(await page.locator('#capture-keep').count(), 0, 'reached going forward: nothing to keep yet');
  });

  it('after a reload, a captured step reached by going back can still be kept', async () => {
    const page = await open();
    await drive(page, 'sejam', 'signature', SEJAM_ANSWERS);
    await page.getByRole('button', { name: faText('header-back') }).click();
    await atStep(page, 'selfie');
    await page.reload();
    await atStep(page, 'selfie');
    await page.locator('#capture-keep').click();
    await atStep(page, 'signature');
  });
});

describe('the video step', () => {
  it('counts down in Persian digits; stop only after the minimum; the limit stops it by itself', async () => {
    const page = await open();
    // The sentence step: its minimum alone decides when stopping is allowed.
    await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
    await openCamera(page, '#record-start');
    assert.match(await textOf(page.locator('#record-start')), /۲۰/, 'the limit, from the step');
    await page.locator('#record-start').click();
    const countdown = page.locator('.capture-countdown .countdown-number');
    await countdown.waitFor();
    assert.match(await textOf(countdown), /^(۲۰|۱۹)$/);
    const stop = page.locator('#record-stop');
    assert.equal(await stop.isDisabled(), true, 'no stopping before the minimum');
    assert.equal(await page.locator('.capture-countdown [aria-live=polite]').count(), 1);
    const spoken = await textOf(page.locator('.capture-countdown [aria-live=polite]'));
    await page.waitForFunction(() => /^(۱۸|۱۷)$/.test(document.querySelector('.countdown-number')?.textContent.trim()));
    assert.equal(await textOf(page.locator('.capture-countdown [aria-live=polite]')), spoken, 'the spoken countdown does not change every second');
    assert.equal(await stop.isDisabled(), true);
    await page.locator('#record-stop:not([disabled])').waitFor({ timeout: 8000 });
    const left = Number((await textOf(countdown)).replace(/[۰-۹]/g, (d) => d.charCodeAt(0) - 0x06f0));
    assert.ok(left <= 15, `stop allowed after 5 s: ${left} s left`);
    await stop.click();
    await reviewShown(page);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-review-title');

    // Redo: a new challenge, then a recording that runs into its limit.
    const challenges = (await camera(page, 'report')).challenges;
    await page.locator('#capture-retake').click();
    await page.locator('#record-start:not([disabled])').waitFor();
    assert.equal((await camera(page, 'report')).challenges, challenges + 1, 'redo draws a new challenge');
    assert.equal((await camera(page, 'report')).pending, null);
    await camera(page, 'set', { timeScale: 20 });
    await page.locator('#record-start').click();
    await reviewShown(page);
    assert.equal(await textOf(page.locator('.capture-duration')), faText('capture-review-duration', { seconds: 20 }));
    await page.locator('#capture-accept').click();
    await atStep(page, 'contact');
  });

  it('no voice heard on a sentence step: said so, no accept, redo with another microphone', async () => {
    const page = await open();
    await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
    await camera(page, 'set', { silent: true, microphones: 2 });
    await recordVideo(page);
    await page.getByRole('alert').filter({ hasText: faText('error-microphone_silent') }).waitFor();
    assert.equal(await page.locator('#capture-accept').count(), 0);
    const mic = page.locator('select#microphone-device');
    assert.equal(await mic.locator('option').count(), 2);
    await camera(page, 'set', { silent: false });
    await mic.selectOption('file:microphone-second');
    await page.locator('#capture-retake').click();
    await page.locator('#record-start:not([disabled])').click();
    await page.locator('#record-stop:not([disabled])').click();
    await reviewShown(page);
    await page.locator('#capture-accept').click();
    await atStep(page, 'contact');
  });
});

describe('every failure says what to do and has a way forward', () => {
  for (const code of ['camera_busy', 'camera_denied', 'camera_failed', 'camera_missing']) {
    it(`${code} on opening: its message, and retry works once it is cleared`, async () => {
      const page = await open();
      await drive(page, 'sejam', 'signature', SEJAM_ANSWERS);
      if (code === 'camera_missing') await camera(page, 'set', { cameras: 0 });
      else await camera(page, 'set', { cameraError: code });
      await page.locator('#capture-open').click();
      const message = page.locator('.capture-problem-message');
      await message.waitFor();
      assert.equal(await textOf(message), faText(`error-${code}`));
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-problem-title');
      // Still failing: retry says so again.
      await page.locator('#capture-retry').click();
      await message.waitFor();
      assert.equal(await textOf(message), faText(`error-${code}`));
      assert.equal(await page.locator('#capture-back').count(), 1, 'a way back');
      await camera(page, 'set', { cameraError: null, cameras: 1 });
      await page.locator('#capture-retry').click();
      await page.locator('#capture-shutter:not([disabled])').waitFor();
    });
  }

  it('no camera at all on a photo step: a clear way back', async () => {
    const page = await open();
    await drive(page, 'sejam', 'signature', SEJAM_ANSWERS);
    await camera(page, 'set', { cameras: 0 });
    await page.locator('#capture-open').click();
    await page.locator('#capture-back').click();
    await atStep(page, 'selfie');
  });

  it('the camera failing mid-preview shows the same, and retry reopens it', async () => {
    const page = await open();
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await openCamera(page);
    await camera(page, 'failPreview', 'camera_failed');
    const message = page.locator('.capture-problem-message');
    await message.waitFor();
    assert.equal(await textOf(message), faText('error-camera_failed'));
    await page.locator('#capture-retry').click();
    await takePhoto(page);
  });

  it('the camera failing while a photo is reviewed keeps the photo; a retake opens the camera afresh', async () => {
    const page = await open();
    await drive(page, 'sejam', 'signature', SEJAM_ANSWERS);
    await openCamera(page);
    await takePhoto(page);
    const opened = (await camera(page, 'report')).opens;
    await camera(page, 'failPreview', 'camera_failed');
    // The page has heard the failure once the double's camera is closed by it.
    await page.waitForFunction(() => window.__ehrazDouble.capture.report().open === false);
    assert.equal(await page.locator('.capture-problem-message').count(), 0, 'no problem screen over the review');
    assert.equal((await camera(page, 'report')).pending, 'photo', 'the photo is still there to accept');
    await page.locator('#capture-retake').click();
    await page.locator('#capture-shutter:not([disabled])').waitFor();
    assert.equal((await camera(page, 'report')).opens, opened + 1, 'the retake opened the camera again');
    await takePhoto(page);
    await page.locator('#capture-accept').click();
    await atStep(page, 'selfie-video');
  });

  it('another camera from the problem screen when there are several', async () => {
    const page = await open();
    await drive(page, 'sejam', 'signature', SEJAM_ANSWERS);
    await camera(page, 'set', { cameras: 2 });
    await openCamera(page);
    await camera(page, 'failPreview', 'camera_failed');
    await page.locator('.capture-problem-message').waitFor();
    await page.locator('select#camera-device').selectOption('file:front');
    await page.locator('#capture-shutter:not([disabled])').waitFor();
    assert.equal((await camera(page, 'report')).lastOpen.device, 'file:front');
  });

  for (const code of ['camera_not_open', 'no_frame']) {
    it(`${code} when taking the photo: its message and a retry`, async () => {
      const page = await open();
      await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
      await openCamera(page);
      await camera(page, 'failNext', 'takePhoto', code);
      await page.locator('#capture-shutter').click();
      const message = page.locator('.capture-problem-message');
      await message.waitFor();
      assert.equal(await textOf(message), faText(`error-${code}`));
      await page.locator('#capture-retry').click();
      await takePhoto(page);
    });
  }

  for (const code of ['microphone_busy', 'microphone_denied', 'microphone_failed', 'microphone_missing']) {
    it(`${code}: its message; recording waits; retry works once it is cleared`, async () => {
      const page = await open();
      await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
      if (code === 'microphone_missing') await camera(page, 'set', { microphones: 0 });
      else await camera(page, 'set', { microphoneError: code });
      await page.locator('#capture-open').click();
      const message = page.locator('.capture-problem-message');
      await message.waitFor();
      assert.equal(await textOf(message), faText(`error-${code}`));
      assert.equal(await page.locator('#record-start').isDisabled(), true, 'no recording without sound');
      assert.equal(await page.locator('#capture-preview').count(), 1, 'the picture goes on');
      await camera(page, 'set', { microphoneError: null, microphones: 1 });
      await page.locator('#capture-retry').click();
      await page.locator('#record-start:not([disabled])').waitFor();
      assert.equal(await page.locator('.capture-problem-message').count(), 0);
    });
  }

  it('the microphone failing mid-recording drops that recording and says so', async () => {
    const page = await open();
    await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
    await openCamera(page, '#record-start');
    await page.locator('#record-start').click();
    await page.locator('.capture-countdown').waitFor();
    await camera(page, 'failMicrophone', 'microphone_failed');
    await page.locator('.capture-problem-message', { hasText: faText('error-microphone_failed') }).waitFor();
    await page.locator('#capture-retry').click();
    await page.locator('#record-start:not([disabled])').waitFor();
    assert.equal((await camera(page, 'report')).pending, null);
  });

  it('a refused accept shows the banner and keeps the photo for another try', async () => {
    const page = await open();
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await openCamera(page);
    await takePhoto(page);
    await camera(page, 'failNext', 'accept', 'storage_failed');
    await page.locator('#capture-accept').click();
    const banner = page.getByRole('alert').filter({ hasText: faText('error-storage_failed') });
    await banner.waitFor();
    await banner.getByRole('button', { name: faText('banner-retry') }).click();
    await atStep(page, 'signature');
  });
});
