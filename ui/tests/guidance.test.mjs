// Live guidance, auto-capture and the liveness challenges, against the double's guidance
// events: the overlay and the message follow the guidance and each message is announced
// once; a photo step counts down and takes its photo by itself, and readiness lost stops
// it; the shutter works at any time; a retake does not shoot again at once; digits come
// one at a time and stopping waits for the last; a sentence read with no speech heard
// asks for a redo; the alternative challenge; and all of it from the keyboard.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  EXCHANGE_ANSWERS,
  SEJAM_ANSWERS,
  atStep,
  camera,
  drive,
  faText,
  guide,
  openCamera,
  reviewShown,
  tabTo,
  takePhoto,
  textOf,
  toPersianDigits,
  usePages,
} from './lib.mjs';

const open = usePages();

/** The contract's schedule of digits (types.ts). */
const DIGIT_EVERY_MS = 2500;

const overlayState = (page) => page.locator('.capture-overlay').getAttribute('data-guidance');

/** The outline's stroke colour and dashes as drawn. */
const outline = (page) =>
  page.evaluate(() => {
    const s = getComputedStyle(document.querySelector('.overlay-line > *'));
    return { stroke: s.stroke, dashes: s.strokeDasharray };
  });

/** What the double holds for the current session. */
const stored = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('ehraz.double.v1')).state);

const report = (page) => camera(page, 'report');

/** Records every change of the countdown's `data-count`, with the page's clock. */
async function watchCountdown(page) {
  await page.evaluate(() => {
    const el = document.querySelector('#capture-auto-countdown');
    window.countdown = [];
    new MutationObserver(() =>
      window.countdown.push({
        count: el.dataset.count,
        spoken: el.querySelector('.visually-hidden')?.textContent.trim() ?? '',
        at: performance.now(),
      }),
    ).observe(el, { attributes: true, attributeFilter: ['data-count'] });
  });
}

/** Serves the exchange video step with digits as its alternative challenge. */
const offerDigits = (page) =>
  page.evaluate(() => window.__ehrazDouble.amendStep('exchange', 'video', { alternative_challenge: 'digits' }));

describe('live guidance', () => {
  it('the outline and the message follow the guidance, and each message is announced once', async () => {
    const page = await open();
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await guide(page, 'off');
    await openCamera(page);
    const message = page.locator('#capture-guidance');
    assert.equal(await message.getAttribute('role'), 'status');
    assert.equal(await message.getAttribute('aria-live'), 'polite');

    // No guidance yet: waiting, and the message says how to fit in.
    assert.equal(await overlayState(page), 'waiting');
    assert.equal(await textOf(message), faText('capture-fit-face'));
    assert.equal(await message.locator('svg').count(), 0);
    const waiting = await outline(page);

    await page.evaluate(() => {
      const region = document.querySelector('#capture-guidance');
      window.spoken = [];
      new MutationObserver(() => window.spoken.push(region.textContent.trim())).observe(region, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    await guide(page, 'too-dark');
    await page.locator('.capture-overlay[data-guidance="fix"]').waitFor();
    assert.equal(await textOf(message), faText('guidance-too-dark'));
    assert.equal(await message.getAttribute('data-guidance'), 'fix');
    assert.equal(await message.locator('svg').count(), 1, 'an icon beside the words');
    const fix = await outline(page);

    // The same guidance many times a second changes nothing: nothing new to announce.
    const before = { events: (await report(page)).guidanceEvents, changes: await page.evaluate(() => window.spoken.length) };
    await page.waitForTimeout(1000);
    const sent = (await report(page)).guidanceEvents - before.events;
    console.log(`guidance: ${sent} identical events in 1 s`);
    assert.ok(sent >= 8, `${sent} guidance events in a second`);
    assert.equal(await page.evaluate(() => window.spoken.length), before.changes, 'no change while the guidance repeats');

    await guide(page, 'face-off-centre');
    await page.waitForFunction((t) => document.querySelector('#capture-guidance').textContent.includes(t), faText('guidance-face-off-centre'));
    assert.equal(await overlayState(page), 'fix');

    await guide(page, 'ready', false);
    await page.locator('.capture-overlay[data-guidance="ready"]').waitFor();
    assert.equal(await textOf(message), faText('guidance-ready'));
    const ready = await outline(page);
    await page.waitForTimeout(500);

    const texts = (await page.evaluate(() => window.spoken)).filter((t, i, all) => t !== all[i - 1]);
    assert.deepEqual(
      texts,
      ['guidance-too-dark', 'guidance-face-off-centre', 'guidance-ready'].map((id) => faText(id)),
      'each message once, in order',
    );
    console.log(`outline: waiting ${JSON.stringify(waiting)}, fix ${JSON.stringify(fix)}, ready ${JSON.stringify(ready)}`);
    assert.equal(new Set([waiting.stroke, fix.stroke, ready.stroke]).size, 3, 'a colour for each state');
    assert.equal(ready.dashes, 'none', 'ready: a solid line');
    assert.notEqual(fix.dashes, 'none');
    assert.notEqual(fix.dashes, waiting.dashes, 'not colour alone: the dashes differ too');
  });

  it('a video step shows the guidance but never starts recording by itself', async () => {
    const page = await open();
    await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
    await guide(page, 'ready', true);
    await openCamera(page, '#record-start');
    await page.locator('.capture-overlay[data-guidance="ready"]').waitFor();
    assert.equal(await textOf(page.locator('#capture-guidance')), faText('guidance-ready'));
    await page.waitForTimeout(2500);
    const now = await report(page);
    assert.equal(now.recording, false);
    assert.equal(now.pending, null);
    assert.equal(await page.locator('#capture-auto-countdown').count(), 0, 'no countdown on a video step');
    assert.equal(await page.locator('#record-start').isDisabled(), false);
  });
});

describe('auto-capture on photo steps', () => {
  it('left alone, the guidance settles, the countdown runs ۳ ۲ ۱ and takes the photo', async () => {
    const page = await open();
    await drive(page, 'sejam', 'signature', SEJAM_ANSWERS);
    await openCamera(page);
    const countdown = page.locator('#capture-auto-countdown');
    assert.equal(await countdown.getAttribute('aria-live'), 'polite');
    await watchCountdown(page);
    await countdown.locator('.auto-count').waitFor();
    assert.equal(await textOf(countdown.locator('.auto-label')), faText('capture-auto-label'));
    await reviewShown(page);

    const seen = await page.evaluate(() => window.countdown);
    assert.deepEqual(
      seen.map((c) => c.count),
      ['3', '2', '1', ''],
    );
    assert.equal(seen[0].spoken, faText('capture-auto-spoken'), 'the start is announced');
    const lasted = seen[3].at - seen[0].at;
    console.log(`auto-capture: countdown ran ${Math.round(lasted)} ms`);
    assert.ok(lasted >= 1450, `the countdown lasts its 1.5 s (${Math.round(lasted)} ms)`);
    const now = await report(page);
    assert.deepEqual(now.photos, [{ step: 'signature', auto: true }]);
    assert.deepEqual(now.guidance, { code: 'ready', ready: true });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-review-title', 'the review, as after the shutter');
    await page.locator('#capture-accept').click();
    await atStep(page, 'selfie-video');
  });

  it('readiness lost during the countdown cancels it; found again, the countdown takes the photo', async () => {
    const page = await open();
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await guide(page, 'face-too-small');
    await openCamera(page);
    await guide(page, 'ready', true);
    await page.locator('#capture-auto-countdown[data-count="3"]').waitFor();
    await guide(page, 'moving');
    await page.locator('#capture-auto-countdown .auto-count').waitFor({ state: 'detached' });
    assert.equal(await textOf(page.locator('#capture-guidance')), faText('guidance-moving'));
    assert.equal(await overlayState(page), 'fix');
    await page.waitForTimeout(2000);
    assert.deepEqual((await report(page)).photos, [], 'no photo once readiness was lost');
    assert.equal(await page.locator('#capture-review').count(), 0);
    assert.equal(await page.locator('#capture-shutter').isDisabled(), false);

    await guide(page, 'ready', true);
    await reviewShown(page);
    assert.deepEqual((await report(page)).photos, [{ step: 'selfie', auto: true }]);
  });

  it('the shutter takes the photo at any time, also during a countdown, and only once', async () => {
    const page = await open();
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await guide(page, 'too-dark');
    await openCamera(page);
    await takePhoto(page);
    assert.deepEqual((await report(page)).photos, [{ step: 'selfie', auto: false }]);

    await page.locator('#capture-retake').click();
    await page.locator('#capture-shutter:not([disabled])').waitFor();
    // Readiness that comes after the retake counts at once.
    await guide(page, 'ready', true);
    await page.locator('#capture-auto-countdown .auto-count').waitFor();
    await page.locator('#capture-shutter').click();
    await reviewShown(page);
    assert.equal(await page.locator('#capture-auto-countdown .auto-count').count(), 0, 'the countdown stopped');
    await page.waitForTimeout(2000);
    assert.deepEqual((await report(page)).photos, [
      { step: 'selfie', auto: false },
      { step: 'selfie', auto: false },
    ]);
  });

  it('after a retake, readiness held from before waits a moment before another countdown', async () => {
    const page = await open();
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await openCamera(page);
    await reviewShown(page);
    await watchCountdown(page);
    const retakeAt = await page.evaluate(() => performance.now());
    await page.locator('#capture-retake').click();
    await page.locator('#capture-shutter:not([disabled])').waitFor();
    assert.deepEqual((await report(page)).guidance, { code: 'ready', ready: true }, 'still ready');
    await page.waitForTimeout(1000);
    assert.equal(await page.locator('#capture-auto-countdown .auto-count').count(), 0, 'no countdown at once');
    await reviewShown(page);
    const started = (await page.evaluate(() => window.countdown)).find((c) => c.count === '3');
    console.log(`after a retake: countdown began ${Math.round(started.at - retakeAt)} ms after it`);
    assert.ok(started.at - retakeAt >= 2000, `not before the pause (${Math.round(started.at - retakeAt)} ms)`);
    assert.deepEqual(
      (await report(page)).photos.map((p) => p.auto),
      [true, true],
    );
  });

  it('after a retake, readiness lost and found again counts at once', async () => {
    const page = await open();
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await openCamera(page);
    await reviewShown(page);
    await watchCountdown(page);
    const retakeAt = await page.evaluate(() => performance.now());
    await page.locator('#capture-retake').click();
    await page.locator('#capture-shutter:not([disabled])').waitFor();
    await guide(page, 'face-turned');
    await page.locator('.capture-overlay[data-guidance="fix"]').waitFor();
    await guide(page, 'ready', true);
    await reviewShown(page);
    const started = (await page.evaluate(() => window.countdown)).find((c) => c.count === '3');
    console.log(`after a retake and a new readiness: countdown began ${Math.round(started.at - retakeAt)} ms after it`);
    assert.ok(started.at - retakeAt < 2000, `without the pause (${Math.round(started.at - retakeAt)} ms)`);
    assert.deepEqual(
      (await report(page)).photos.map((p) => p.auto),
      [true, true],
    );
  });
});

describe('the digits challenge', () => {
  it('says before recording that digits come one at a time; shows only the current one; stop waits for the last', async () => {
    const page = await open();
    await drive(page, 'sejam', 'selfie-video', SEJAM_ANSWERS);
    await openCamera(page, '#record-start');
    const section = page.locator('#capture-challenge');
    assert.equal(await textOf(section.locator('h2')), faText('capture-digits-title'));
    assert.equal(await textOf(section.locator('.challenge-before')), faText('capture-digits-before'));
    assert.equal(await page.locator('#challenge-digit').count(), 0, 'no digit before recording');
    assert.equal(await page.locator('.digit').count(), 0);
    assert.equal(await page.locator('#challenge-alternative').count(), 0, 'this step offers no other challenge');
    const { digits } = (await stored(page)).challenges['selfie-video'];
    assert.equal(digits.length, 4);

    // Everything the person sees, at every change, with the recording's clock.
    await page.evaluate(() => {
      window.seen = [];
      const look = () => {
        const shown = document.querySelectorAll('.digit');
        const frame = {
          digits: shown.length,
          digit: shown[0]?.textContent.trim() ?? null,
          position: document.querySelector('#challenge-digit-position')?.textContent.replace(/[\u2068\u2069]/g, '').trim() ?? null,
          stopDisabled: document.querySelector('#record-stop')?.disabled ?? null,
          elapsed: window.__ehrazDouble.capture.report().recordingProgressMs.at(-1) ?? null,
        };
        const last = window.seen.at(-1);
        if (!last || ['digits', 'digit', 'position', 'stopDisabled'].some((k) => last[k] !== frame[k])) window.seen.push(frame);
      };
      new MutationObserver(look).observe(document.body, {
        subtree: true,
        childList: true,
        characterData: true,
        attributes: true,
        attributeFilter: ['disabled'],
      });
    });
    await camera(page, 'set', { timeScale: 2 });
    await page.locator('#record-start').click();
    await page.locator('#record-stop:not([disabled])').waitFor({ timeout: 15_000 });
    const frames = await page.evaluate(() => window.seen);
    const { digitsShown: shownAt, recordingProgressMs: progress } = await report(page);
    console.log(`digits: shown at ${shownAt.map((d) => d.elapsed_ms).join(', ')} ms of recording`);

    assert.ok(frames.every((f) => f.digits <= 1), 'never more than one digit on screen');
    const sequence = frames.filter((f) => f.digit !== null).map((f) => [f.position, f.digit]);
    const distinct = sequence.filter((s, i) => i === 0 || s.join() !== sequence[i - 1].join());
    assert.deepEqual(
      distinct,
      digits.map((d, i) => [faText('capture-digit-position', { index: i + 1, count: 4 }), toPersianDigits(d)]),
      'each digit in turn, in Persian digits, with its place',
    );
    assert.deepEqual(
      shownAt.map((d) => d.index),
      [0, 1, 2, 3],
    );
    const lastShown = frames.findIndex((f) => f.position === faText('capture-digit-position', { index: 4, count: 4 }));
    assert.equal(frames[lastShown].stopDisabled, true, 'the last digit has just come: no stopping yet');
    const enabled = frames.find((f) => f.stopDisabled === false);
    const lastAt = shownAt[3].elapsed_ms;
    console.log(`digits: last shown at ${lastAt} ms, stop enabled at ${enabled.elapsed} ms`);
    assert.ok(frames.indexOf(enabled) > lastShown, 'stop comes after the last digit');
    assert.ok(enabled.elapsed >= lastAt + DIGIT_EVERY_MS, 'the last digit was shown for its full time');
    assert.equal(
      enabled.elapsed,
      progress.find((ms) => ms >= lastAt + DIGIT_EVERY_MS),
      'and stopping is allowed with the first progress after it',
    );
    assert.ok(enabled.elapsed >= 5000, "the step's minimum has passed too");
    assert.equal(
      await textOf(page.locator('#challenge-digit-spoken')),
      faText('capture-digit-spoken', { index: 4, count: 4, digit: digits[3] }),
      'the digit is announced with its place',
    );

    await page.locator('#record-stop').click();
    await reviewShown(page);
    await page.locator('#capture-accept').click();
    await atStep(page, 'review');
  });
});

describe('the sentence challenge', () => {
  it('the sentence stays on screen while recording, with "we hear you"', async () => {
    const page = await open();
    await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
    await openCamera(page, '#record-start');
    const sentence = await textOf(page.locator('.challenge-sentence'));
    assert.match(sentence, /[\u0600-\u06ff]/);
    await camera(page, 'set', { timeScale: 4 });
    await page.locator('#record-start').click();
    await page.locator('#challenge-voice[data-hearing="true"]').waitFor();
    assert.equal(await textOf(page.locator('#challenge-voice')), faText('capture-voice-heard'));
    assert.equal(await textOf(page.locator('.challenge-sentence')), sentence, 'the same sentence while recording');
    await page.locator('#record-stop:not([disabled])').click();
    await reviewShown(page);
    await page.locator('#capture-accept').click();
    await atStep(page, 'contact');
  });

  it('no speech heard while the sentence was shown: said so, no accept, a redo', async () => {
    const page = await open();
    await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
    await camera(page, 'set', { speaking: false, timeScale: 4 });
    await openCamera(page, '#record-start');
    await page.locator('#record-start').click();
    const voice = page.locator('#challenge-voice');
    await voice.waitFor();
    await page.waitForTimeout(500);
    assert.equal(await voice.getAttribute('data-hearing'), 'false');
    assert.equal(await textOf(voice), faText('capture-voice-waiting'));
    await page.locator('#record-stop:not([disabled])').click();
    await reviewShown(page);

    const alert = page.getByRole('alert').filter({ hasText: faText('capture-no-speech') });
    await alert.waitFor();
    assert.equal(await page.locator('#capture-accept').count(), 0, 'no accept');
    assert.equal(await page.getByText(faText('error-microphone_silent')).count(), 0, 'the microphone did hear sound');
    // The exchange flow's video offers digits to people who cannot read or speak.
    assert.equal(await page.locator('#challenge-alternative').count(), 1, 'the alternative offered with the redo');

    await camera(page, 'set', { speaking: true });
    await page.locator('#capture-retake').click();
    await page.locator('#record-start:not([disabled])').click();
    await page.locator('#record-stop:not([disabled])').click();
    await reviewShown(page);
    await page.locator('#capture-accept').click();
    await atStep(page, 'contact');
  });
});

describe('the alternative challenge', () => {
  it('digits instead of the sentence, and back, before recording', async () => {
    const page = await open();
    // Served without its alternative, the step refuses digits, as the app does.
    await page.evaluate(() => window.__ehrazDouble.amendStep('exchange', 'video', { alternative_challenge: null }));
    await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
    const refused = await page.evaluate(() => window.__ehrazDouble.capture.drawChallenge('digits').then(() => null, (e) => e.code));
    assert.equal(refused, 'wizard-challenge-mismatch');

    await offerDigits(page);
    await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
    await openCamera(page, '#record-start');
    const section = page.locator('#capture-challenge');
    assert.equal(await section.getAttribute('data-kind'), 'sentence');
    const alternative = page.locator('#challenge-alternative');
    assert.equal(await textOf(alternative), faText('capture-alternative-digits'));
    await alternative.click();
    await page.locator('#capture-challenge[data-kind="digits"]').waitFor();
    assert.equal((await stored(page)).challenges.video.kind, 'digits', 'the digits are the challenge recorded');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-challenge', 'focus on the new challenge');
    assert.equal(await textOf(page.locator('.challenge-before')), faText('capture-digits-before'));
    assert.equal(await alternative.count(), 0);

    const back = page.locator('#challenge-original');
    assert.equal(await textOf(back), faText('capture-original-sentence'));
    await back.click();
    await page.locator('#capture-challenge[data-kind="sentence"]').waitFor();
    assert.equal((await stored(page)).challenges.video.kind, 'sentence');

    await alternative.click();
    await page.locator('#capture-challenge[data-kind="digits"]').waitFor();
    await camera(page, 'set', { timeScale: 4 });
    await page.locator('#record-start:not([disabled])').click();
    await page.locator('#challenge-digit').waitFor();
    await page.locator('#record-stop:not([disabled])').click();
    await reviewShown(page);
    await page.locator('#capture-accept').click();
    await atStep(page, 'contact');
    assert.equal((await stored(page)).challenges.video.kind, 'digits');
  });

  it('no speech heard: the redo may be done with digits instead', async () => {
    const page = await open();
    await offerDigits(page);
    await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
    await camera(page, 'set', { speaking: false, timeScale: 4 });
    await openCamera(page, '#record-start');
    await page.locator('#record-start').click();
    await page.locator('#record-stop:not([disabled])').click();
    await reviewShown(page);
    await page.locator('.capture-unheard').waitFor();
    assert.equal(await page.locator('#capture-accept').count(), 0);
    const alternative = page.locator('#challenge-alternative');
    assert.equal(await textOf(alternative), faText('capture-alternative-digits'));
    await alternative.click();
    await page.locator('#capture-challenge[data-kind="digits"]').waitFor();
    await page.locator('#record-start:not([disabled])').waitFor();
    assert.equal((await report(page)).pending, null, 'the unheard recording was thrown away');
    assert.equal((await stored(page)).challenges.video.kind, 'digits');
    assert.equal(await page.locator('#challenge-original').count(), 1, 'and a way back');
  });
});

describe('keyboard only', () => {
  it('a photo step: shutter, retake and the countdown, with Tab and Enter', async () => {
    const page = await open({ width: 1280, height: 800 });
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await guide(page, 'face-too-small');
    await tabTo(page, '#capture-open');
    await page.keyboard.press('Enter');
    await page.locator('#capture-shutter:not([disabled])').waitFor();
    await tabTo(page, '#capture-shutter');
    await page.keyboard.press('Enter');
    await reviewShown(page);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-review-title');
    await tabTo(page, '#capture-retake');
    await page.keyboard.press('Enter');
    await page.locator('#capture-shutter:not([disabled])').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-live-title');
    await guide(page, 'ready', true);
    await reviewShown(page);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'capture-review-title', 'focus follows the auto photo');
    await tabTo(page, '#capture-accept');
    await page.keyboard.press('Enter');
    await atStep(page, 'signature');
    assert.deepEqual(
      (await report(page)).photos.map((p) => p.auto),
      [false, true],
    );
  });

  it('a video step: the alternative, recording and stopping, with Tab and Enter', async () => {
    const page = await open({ width: 1280, height: 800 });
    await offerDigits(page);
    await drive(page, 'exchange', 'video', EXCHANGE_ANSWERS);
    await camera(page, 'set', { timeScale: 4 });
    await tabTo(page, '#capture-open');
    await page.keyboard.press('Enter');
    await page.locator('#record-start:not([disabled])').waitFor();
    await tabTo(page, '#challenge-alternative', { backwards: true });
    await page.keyboard.press('Enter');
    await page.locator('#capture-challenge[data-kind="digits"]').waitFor();
    await tabTo(page, '#record-start');
    await page.keyboard.press('Enter');
    await page.locator('#record-stop:not([disabled])').waitFor();
    await tabTo(page, '#record-stop');
    await page.keyboard.press('Enter');
    await reviewShown(page);
    await tabTo(page, '#capture-accept');
    await page.keyboard.press('Enter');
    await atStep(page, 'contact');
    assert.equal((await stored(page)).challenges.video.kind, 'digits');
  });
});
