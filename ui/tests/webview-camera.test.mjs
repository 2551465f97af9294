// The webview's own camera (phones; desktops where only the webview finds a camera), in
// Chromium with a fake camera playing a 360×640 portrait clip, at a phone's size, under
// the app's CSP. The test double stands for Rust except for the guidance: each frame the
// page feeds goes, through Playwright's exposeBinding, to a real Rust program
// (ehraz-capture's `fed_guidance` example: the same fed source, conversion and analyser
// as the app), and the guidance it answers is what the double sends the page.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SEJAM_ANSWERS, UI, atStep, auditScreen, camera, drive, faText, reviewShown, usePages } from './lib.mjs';

const ROOT = join(UI, '..');
const scratch = mkdtempSync(join(tmpdir(), 'ehraz-webview-camera-'));
const CLIP = join(scratch, 'portrait.y4m');
/** The Rust program the fed frames go to, built once. */
let guidanceProgram;

/**
 * A 360×640 portrait clip for Chromium's fake camera: the evaluation set's public-domain
 * astronaut portrait (scripts/demo-media makes the landscape one from it) scaled to 640 px,
 * cut to 360 px wide around her face and moved down so her face sits in the middle, the
 * strip above filled with the photo's own top row, one second at 15 frames a second.
 */
function makeClip() {
  const photo = join(ROOT, 'crates', 'ehraz-vision', 'eval', 'photos', 'astronaut.jpg');
  const made = spawnSync(
    'ffmpeg',
    [
      '-v', 'error', '-y', '-loop', '1', '-i', photo,
      '-vf', 'scale=640:640:flags=lanczos,crop=360:476:104:0,pad=360:640:0:164,fillborders=top=164:mode=smear',
      '-t', '1', '-r', '15', '-pix_fmt', 'yuv420p', '-f', 'yuv4mpegpipe', CLIP,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(made.status, 0, `ffmpeg: ${made.stderr}`);
}

/** Builds the example (cargo, as the workspace's tests do) and returns its path. */
function buildGuidanceProgram() {
  const built = spawnSync(
    'cargo',
    ['build', '--quiet', '-p', 'ehraz-capture', '--example', 'fed_guidance', '--message-format=json'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  assert.equal(built.status, 0, 'cargo build of the fed_guidance example');
  const artifact = built.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .find((m) => m.reason === 'compiler-artifact' && m.target?.name === 'fed_guidance' && m.executable);
  assert.ok(artifact, 'the example was built');
  return artifact.executable;
}

before(() => {
  makeClip();
  guidanceProgram = buildGuidanceProgram();
});
after(() => rmSync(scratch, { recursive: true, force: true }));

const open = usePages({
  browserArgs: ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${CLIP}`],
});

/**
 * The Rust analysis, running: `feed` writes one frame to it and answers the newest
 * guidance so far; `readings` is every line it printed, with when it came.
 */
function startAnalysis() {
  const child = spawn(guidanceProgram, ['selfie'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const readings = [];
  let latest = null;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const reading = { ...JSON.parse(line), at: performance.now() };
    readings.push(reading);
    latest = { code: reading.code, ready: reading.ready };
  });
  const write = (chunk) =>
    new Promise((resolve, reject) => child.stdin.write(chunk, (e) => (e ? reject(e) : resolve())));
  return {
    readings,
    async feed(width, height, rgbaBase64) {
      const pixels = Buffer.from(rgbaBase64, 'base64');
      assert.equal(pixels.length, width * height * 4, 'a whole RGBA frame');
      await write(`${width} ${height}\n`);
      await write(pixels);
      return latest;
    },
    stop() {
      child.stdin.end();
      return new Promise((resolve) => child.on('exit', resolve));
    },
  };
}

/** Keeps every stream getUserMedia gives, to see later that its tracks were stopped. */
function recordStreams(context) {
  return context.addInitScript(() => {
    window.__streams = [];
    const devices = navigator.mediaDevices;
    const original = devices.getUserMedia.bind(devices);
    devices.getUserMedia = async (constraints) => {
      const stream = await original(constraints);
      window.__streams.push(stream);
      return stream;
    };
  });
}

const liveTracks = (page) =>
  page.evaluate(() => window.__streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length);

describe('the webview camera', () => {
  it('shows its own video, feeds Rust, and the guidance of a held portrait takes the photo', async () => {
    const analysis = startAnalysis();
    try {
      const page = await open({
        permissions: ['camera', 'microphone'],
        prepare: async (context) => {
          await recordStreams(context);
          await context.exposeBinding('__ehrazAnalyse', (_source, width, height, rgba) =>
            analysis.feed(width, height, rgba),
          );
        },
      });
      await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
      await atStep(page, 'selfie');
      // A phone: no camera of Rust's own, so the page's is the one offered.
      await camera(page, 'set', { cameras: 0 });
      await page.locator('#capture-open').click();

      const preview = page.locator('#capture-preview-video');
      await preview.waitFor();
      await page.waitForFunction(() => {
        const video = document.querySelector('#capture-preview-video');
        return video && !video.paused && video.readyState >= 2 && video.currentTime > 0.3;
      });
      const shown = await preview.evaluate((video) => ({
        width: video.videoWidth,
        height: video.videoHeight,
        transform: getComputedStyle(video).transform,
        fit: getComputedStyle(video).objectFit,
      }));
      assert.deepEqual(shown, { width: 360, height: 640, transform: 'matrix(-1, 0, 0, 1, 0, 0)', fit: 'cover' });
      assert.equal(await page.locator('#capture-preview').count(), 0, 'no canvas: nothing is drawn from Rust');

      const report = await camera(page, 'report');
      assert.equal(report.webviewCamera, true, 'the page told Rust it has a camera');
      assert.equal(report.lastOpen.device, 'webview');
      assert.deepEqual(report.lastFeed, { width: 360, height: 640 });

      // Frames reach Rust at 5 a second or more (the page aims at 15), measured by Rust.
      const since = performance.now();
      await page.waitForTimeout(2000);
      const recent = analysis.readings.filter((r) => r.at >= since);
      assert.ok(recent.length >= 2, `readings: ${recent.length}`);
      const perSecond = ((recent.at(-1).fed - recent[0].fed) * 1000) / (recent.at(-1).at - recent[0].at);
      assert.ok(perSecond >= 5, `${perSecond.toFixed(1)} frames a second reached Rust`);

      // Rust's guidance on her face turns ready, and its countdown takes the photo.
      await reviewShown(page);
      const codes = [...new Set(analysis.readings.map((r) => r.code))];
      assert.ok(
        analysis.readings.some((r) => r.code === 'ready' && r.ready),
        `Rust's guidance said ${codes.join(', ')}`,
      );
      assert.deepEqual((await camera(page, 'report')).photos, [{ step: 'selfie', auto: true }]);
      assert.equal(await liveTracks(page), 1, 'the camera stays on while the photo is reviewed');
      console.log(
        `webview camera: ${perSecond.toFixed(1)} frames/s reached Rust; ` +
          `${analysis.readings.length} analyses (${codes.join(' → ')}) before the photo`,
      );

      await page.locator('#capture-accept').click();
      await atStep(page, 'signature');
      assert.equal(await liveTracks(page), 0, 'leaving the step stopped the camera');
    } finally {
      await analysis.stop();
    }
  });

  it('says so when the camera is not allowed', async () => {
    // No permission granted, and no prompt to answer: Chromium refuses getUserMedia.
    const page = await open({ prepare: recordStreams });
    await drive(page, 'sejam', 'selfie', SEJAM_ANSWERS);
    await atStep(page, 'selfie');
    await camera(page, 'set', { cameras: 0 });
    await page.locator('#capture-open').click();
    const message = page.locator('.capture-problem-message');
    await message.waitFor();
    assert.equal(await message.getAttribute('data-code'), 'camera_denied');
    assert.equal((await message.textContent()).trim(), faText('error-camera_denied'));
    assert.equal((await camera(page, 'report')).opens, 0, 'Rust was never asked to open it');
    assert.equal(await liveTracks(page), 0);
    // The refusal at a phone's size passes the same audit as every other screen.
    assert.deepEqual(await auditScreen(page, 'webview-camera-denied'), []);
  });
});
