// The capture half of the test double: a file-like camera that paints a moving picture
// with a face-like oval on an OffscreenCanvas and sends it as JPEG (or RGBA) preview frames
// with the 12-byte header of types.ts, honouring the acknowledgement rule (never more
// than two frames unacknowledged, newest wins); a microphone with levels; a recorder with
// progress and its limit; live guidance that settles into "ready" after a moment (or is
// held where a test wants it); the digits of a challenge on their schedule and the voice
// heard while recording; photos and recordings waiting for review; and the failures a
// real machine has, switched on by tests through `window.__ehrazDouble.capture`.

import type {
  CameraDevice,
  CameraOpened,
  CaptureBackend,
  CaptureDevices,
  CaptureEvent,
  CommandError,
  DrawnChallenge,
  ChallengeKind,
  Facing,
  FeedSize,
  GuidanceCode,
  MicrophoneDevice,
  PhotoTaken,
  RecordingDone,
  Step,
  WizardView,
} from './types';
import { DIGIT_EVERY_MS, DIGIT_FIRST_MS, MAX_FEED_SIDE, PREVIEW_HEADER_BYTES, WEBVIEW_CAMERA } from './types';
import { frameShape } from '../capture/kinds';

/** What the double needs of its wizard. */
export interface CaptureWizard {
  /** The current step, if it is a capture step. */
  captureStep(): Extract<Step, { kind: 'capture' }> | null;
  recordChallenge(step: string, challenge: DrawnChallenge): void;
  hasChallenge(step: string): boolean;
  /** Marks the step's media taken and moves on, as the real `capture_accept` does. */
  attach(step: string): WizardView;
}

/**
 * What the double's guidance says: `sequence` plays a short settling-in (something to fix,
 * then "ready" not yet steady, then ready) from the first frame; `off` sends no guidance
 * at all; a fixed `{ code, ready }` is sent as long as it is set.
 */
export type DoubleGuidance = 'sequence' | 'off' | { code: GuidanceCode; ready: boolean };

/** Conditions of the machine the double plays; tests change them with `set`. */
export interface CaptureConditions {
  /** Cameras there are (0: none; 2: a front and a back one). */
  cameras: number;
  microphones: number;
  /** `openCamera` fails with this code (camera_busy, camera_denied, camera_failed …). */
  cameraError: string | null;
  /** The camera opens but never gives a frame. */
  noFrames: boolean;
  /** `openMicrophone` fails with this code. */
  microphoneError: string | null;
  /** The microphone works but hears nothing: recordings report `heard_sound: false`. */
  silent: boolean;
  /** Preview frames per second. */
  fps: number;
  /** Preview frames as JPEG (what cameras send) or raw RGBA. */
  format: 'jpeg' | 'rgba';
  /** How much faster than real time a recording's clock runs (tests of the limit). */
  timeScale: number;
  /** The guidance sent while the camera gives frames. */
  guidance: DoubleGuidance;
  /** The person speaks while recording (voice activity); false: sound, but no speech. */
  speaking: boolean;
}

export const DEFAULT_CONDITIONS: CaptureConditions = {
  cameras: 1,
  microphones: 1,
  cameraError: null,
  noFrames: false,
  microphoneError: null,
  silent: false,
  fps: 24,
  format: 'jpeg',
  timeScale: 1,
  guidance: 'sequence',
  speaking: true,
};

/** The guidance sequence: something to fix until FIX_MS, then "ready" unsteady until READY_MS, then ready. */
const SEQUENCE_FIX_MS = 700;
const SEQUENCE_READY_MS = 1400;
/** Guidance events per second (the contract: at least 10). */
const GUIDANCE_EVERY_MS = 100;
/** Speech a sentence recording needs to count as read aloud. */
const SPEECH_HEARD_MS = 1000;

/** What needs fixing first, by the shape a person fits into the picture. */
function firstFix(capture: string): GuidanceCode {
  switch (frameShape(capture)) {
    case 'card':
    case 'face-and-card':
      return 'no-card';
    case 'paper':
      return 'no-paper';
    default:
      return 'face-too-small';
  }
}

/** A speaking voice's loudness over time (seconds): syllables over phrases, with pauses. */
function voiceEnvelope(t: number): number {
  return Math.max(0, Math.sin(t * 5.3) * 0.5 + Math.sin(t * 1.7) * 0.35);
}

/** Full resolution of the double's camera: what a photo is taken at. */
const FULL = { width: 1280, height: 720 };

const SENTENCES = [
  { sentence: 'double-1', text: 'من امروز برای احراز هویت در صرافی، این ویدئو را خودم ضبط می‌کنم.' },
  { sentence: 'double-2', text: 'این حساب را فقط خودم به کار می‌برم و به کسی واگذار نمی‌کنم.' },
  { sentence: 'double-3', text: 'مدارکی که فرستاده‌ام متعلق به خودم است و درستی آن را تأیید می‌کنم.' },
];

function fail(code: string): never {
  throw { code, detail: `test double: ${code}` } satisfies CommandError;
}

/** Paints the double's scene at time `t` (ms): moving light, stripes and a face-like oval. */
function paint(ctx: OffscreenCanvasRenderingContext2D, w: number, h: number, t: number, label: string): void {
  const hue = (t / 40) % 360;
  const sky = ctx.createLinearGradient(0, 0, w, h);
  sky.addColorStop(0, `hsl(${hue} 45% 78%)`);
  sky.addColorStop(1, `hsl(${(hue + 60) % 360} 45% 62%)`);
  ctx.fillStyle = sky;
  ctx.fillRect(0, 0, w, h);
  // Stripes drifting sideways: motion anyone can see.
  ctx.fillStyle = 'rgb(255 255 255 / 22%)';
  const step = w / 8;
  const shift = ((t / 12) % step) - step;
  for (let x = shift; x < w + step; x += step) {
    ctx.beginPath();
    ctx.moveTo(x, 0);
    ctx.lineTo(x + step / 2, 0);
    ctx.lineTo(x + step / 2 - h / 3, h);
    ctx.lineTo(x - h / 3, h);
    ctx.fill();
  }
  // A face: oval, eyes, a smile, bobbing gently.
  const cx = w / 2 + Math.sin(t / 900) * w * 0.03;
  const cy = h / 2 + Math.cos(t / 700) * h * 0.02;
  const rx = h * 0.24;
  const ry = h * 0.32;
  ctx.fillStyle = '#e0b48f';
  ctx.beginPath();
  ctx.ellipse(cx, cy, rx, ry, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#3b2a20';
  ctx.beginPath();
  ctx.ellipse(cx, cy - ry * 0.75, rx * 0.95, ry * 0.32, 0, Math.PI, Math.PI * 2);
  ctx.fill();
  const blink = Math.floor(t / 250) % 16 === 0 ? 0.15 : 1;
  for (const side of [-1, 1]) {
    ctx.beginPath();
    ctx.ellipse(cx + side * rx * 0.4, cy - ry * 0.1, rx * 0.1, ry * 0.07 * blink, 0, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.strokeStyle = '#7a3b2e';
  ctx.lineWidth = Math.max(2, h / 120);
  ctx.beginPath();
  ctx.arc(cx, cy + ry * 0.25, rx * 0.4, 0.15 * Math.PI, 0.85 * Math.PI);
  ctx.stroke();
  // A mark in one corner, so a mirrored picture shows itself.
  ctx.fillStyle = 'rgb(0 0 0 / 60%)';
  ctx.fillRect(0, 0, w * 0.3, h * 0.09);
  ctx.fillStyle = '#ffffff';
  ctx.font = `${Math.round(h * 0.05)}px sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillText(label, w * 0.02, h * 0.045);
}

interface OpenCamera {
  generation: number;
  device: CameraDevice;
  width: number;
  height: number;
  onFrame: (frame: ArrayBuffer) => void;
  onEvent: (event: CaptureEvent) => void;
  timer: ReturnType<typeof setInterval> | null;
  canvas: OffscreenCanvas;
  sequence: number;
  /** Frames sent and not acknowledged yet. */
  unacked: Set<number>;
  encoding: boolean;
  sent: number;
  failed: boolean;
  guidanceTimer: ReturnType<typeof setInterval> | null;
  /** When the guidance sequence (re)started: the first frame, or a `set({ guidance })`. */
  sequenceFrom: number | null;
  /** The webview's camera: the size of the frames the page feeds (no preview is sent). */
  fed: FeedSize | null;
}

/**
 * A real analysis the tests may wire in (Playwright's exposeBinding): it takes each fed
 * frame (RGBA, base64) and answers the newest guidance, which the double then sends as
 * its guidance event instead of its own sequence.
 */
type Analysis = (width: number, height: number, rgbaBase64: string) => Promise<{ code: GuidanceCode; ready: boolean } | null>;

declare global {
  interface Window {
    __ehrazAnalyse?: Analysis;
  }
}

function base64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

interface Recording {
  step: string;
  started: number;
  limitMs: number;
  timer: ReturnType<typeof setInterval> | null;
  elapsedMs: number;
  heard: boolean;
  limited: boolean;
  /** The challenge shown during this recording (drawn for its step). */
  challenge: DrawnChallenge | null;
  /** Digits announced so far (digits challenge). */
  digitsShown: number;
  /** Speech heard so far, in recording time. */
  speechMs: number;
}

type Pending =
  | { kind: 'photo'; step: string; at: number }
  | { kind: 'video'; step: string; at: number };

/** What tests read back: what was asked of the camera and how the frames went. */
export interface CaptureStats {
  open: boolean;
  microphoneOpen: boolean;
  recording: boolean;
  pending: 'photo' | 'video' | null;
  lastOpen: { device?: string; facing: Facing; previewWidth: number } | null;
  opens: number;
  closes: number;
  framesSent: number;
  framesAcked: number;
  /** Ticks where a frame was due but two were unacknowledged (newest-wins skipping). */
  framesHeldBack: number;
  /** The most frames ever unacknowledged at once: the rule says at most 2. */
  maxUnacked: number;
  challenges: number;
  /** Every photo taken, in order: its step and whether the guidance's countdown took it. */
  photos: { step: string; auto: boolean }[];
  /** The last guidance sent, or null. */
  guidance: { code: GuidanceCode; ready: boolean } | null;
  /** Guidance events sent since the page loaded. */
  guidanceEvents: number;
  /** The clock of every progress event of the current (or last) recording, in order. */
  recordingProgressMs: number[];
  /** The digit events of the current (or last) recording. */
  digitsShown: { index: number; elapsed_ms: number }[];
  /** Frames the webview's camera fed, and the size it was opened at. */
  framesFed: number;
  lastFeed: FeedSize | null;
  /** Whether the page said it has a camera of its own, at the last `devices` call. */
  webviewCamera: boolean;
}

export class DoubleCapture implements CaptureBackend {
  conditions: CaptureConditions = { ...DEFAULT_CONDITIONS };
  private camera: OpenCamera | null = null;
  private microphone: { device: MicrophoneDevice; timer: ReturnType<typeof setInterval> } | null = null;
  private recording: Recording | null = null;
  private pending: Pending | null = null;
  /** The challenge drawn last, for its step. */
  private drawn: { step: string; challenge: DrawnChallenge } | null = null;
  private generation = 0;
  /** One-shot failures: the next call of that method fails with the code. */
  private failures: { call: keyof CaptureBackend; code: string }[] = [];
  private stats: CaptureStats = {
    open: false,
    microphoneOpen: false,
    recording: false,
    pending: null,
    lastOpen: null,
    opens: 0,
    closes: 0,
    framesSent: 0,
    framesAcked: 0,
    framesHeldBack: 0,
    maxUnacked: 0,
    challenges: 0,
    photos: [],
    guidance: null,
    guidanceEvents: 0,
    recordingProgressMs: [],
    digitsShown: [],
    framesFed: 0,
    lastFeed: null,
    webviewCamera: false,
  };

  constructor(private readonly wizard: CaptureWizard) {}

  // ---- test controls ----

  /** Changes the machine: e.g. `set({ cameraError: 'camera_busy' })`, then `set({ cameraError: null })`. */
  set(changes: Partial<CaptureConditions>): void {
    this.conditions = { ...this.conditions, ...changes };
    if (this.camera?.timer && changes.fps !== undefined) this.startFrames(this.camera);
    // The sequence starts over (from now, if frames flow already).
    if (this.camera && changes.guidance === 'sequence') {
      this.camera.sequenceFrom = this.camera.sent > 0 ? performance.now() : null;
    }
  }

  /** Holds the guidance at `code` from now on (ready only if said so): the sequence stops. */
  guide(code: GuidanceCode, ready = false): void {
    this.set({ guidance: { code, ready } });
  }

  /** Back to one working camera and microphone. */
  resetConditions(): void {
    this.conditions = { ...DEFAULT_CONDITIONS };
    this.failures = [];
  }

  /** The next call of `call` (e.g. `takePhoto`) fails with `code`, once. */
  failNext(call: keyof CaptureBackend, code: string): void {
    this.failures.push({ call, code });
  }

  /** The open camera stops mid-preview with `code`, as an unplugged one does. */
  failPreview(code = 'camera_failed'): void {
    const camera = this.camera;
    if (!camera) return;
    camera.failed = true;
    this.stopFrames(camera);
    camera.onEvent({ kind: 'camera-failed', code });
  }

  /** The open microphone stops with `code`. */
  failMicrophone(code = 'microphone_failed'): void {
    if (!this.microphone || !this.camera) return;
    clearInterval(this.microphone.timer);
    this.microphone = null;
    this.camera.onEvent({ kind: 'microphone-failed', code });
  }

  report(): CaptureStats {
    return {
      ...this.stats,
      open: this.camera !== null,
      microphoneOpen: this.microphone !== null,
      recording: this.recording !== null && !this.recording.limited,
      pending: this.pending?.kind ?? null,
    };
  }

  // ---- CaptureBackend ----

  async devices(webviewCamera = false): Promise<CaptureDevices> {
    this.injected('devices');
    this.stats.webviewCamera = webviewCamera;
    return { cameras: this.cameraList(webviewCamera), microphones: this.microphoneList() };
  }

  async openCamera(
    options: { device?: string; facing: Facing; previewWidth: number; feed?: FeedSize },
    onFrame: (frame: ArrayBuffer) => void,
    onEvent: (event: CaptureEvent) => void,
  ): Promise<CameraOpened> {
    this.injected('openCamera');
    this.stats.lastOpen = { device: options.device, facing: options.facing, previewWidth: options.previewWidth };
    this.stats.opens += 1;
    if (options.device === WEBVIEW_CAMERA) return this.openFed(options.facing, options.feed, onEvent);
    if (this.conditions.cameraError) fail(this.conditions.cameraError);
    const cameras = this.cameraList();
    const device = options.device
      ? cameras.find((c) => c.id === options.device)
      : (cameras.find((c) => c.facing === options.facing) ?? cameras[0]);
    if (!device) fail('camera_missing');
    const width = Math.max(160, Math.min(FULL.width, Math.round(options.previewWidth / 2) * 2));
    const height = Math.round((width * FULL.height) / FULL.width / 2) * 2;
    const canvas = new OffscreenCanvas(width, height);
    const camera = this.startCamera({ device, width, height, onFrame, onEvent, canvas, fed: null });
    if (!this.conditions.noFrames) this.startFrames(camera);
    return { device, width: FULL.width, height: FULL.height, frame_rate: this.conditions.fps };
  }

  /** Closes the camera open and opens `opened` in its place, its guidance running. */
  private startCamera(
    opened: Pick<OpenCamera, 'device' | 'width' | 'height' | 'onFrame' | 'onEvent' | 'canvas' | 'fed'>,
  ): OpenCamera {
    this.shutCamera();
    this.generation += 1;
    const camera: OpenCamera = {
      ...opened,
      generation: this.generation,
      timer: null,
      sequence: 0,
      unacked: new Set(),
      encoding: false,
      sent: 0,
      failed: false,
      guidanceTimer: null,
      sequenceFrom: null,
    };
    this.camera = camera;
    camera.guidanceTimer = setInterval(() => this.guidance(camera), GUIDANCE_EVERY_MS);
    return camera;
  }

  /** The webview's camera, as Rust opens it: fed by the page, its guidance on fed frames. */
  private openFed(facing: Facing, feed: FeedSize | undefined, onEvent: (event: CaptureEvent) => void): CameraOpened {
    const inRange = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_FEED_SIDE;
    if (!feed || !inRange(feed.width) || !inRange(feed.height)) fail('camera_feed_invalid');
    const device: CameraDevice = { id: WEBVIEW_CAMERA, name: WEBVIEW_CAMERA, facing, file: false };
    this.startCamera({
      device,
      width: feed.width,
      height: feed.height,
      onFrame: () => undefined,
      onEvent,
      canvas: new OffscreenCanvas(1, 1),
      fed: { ...feed },
    });
    this.stats.lastFeed = { ...feed };
    return { device, width: feed.width, height: feed.height, frame_rate: 15 };
  }

  async feedFrame(width: number, height: number, pixels: ArrayBuffer): Promise<void> {
    this.injected('feedFrame');
    const camera = this.camera;
    if (!camera?.fed || camera.failed) fail('camera_not_open');
    if (width !== camera.fed.width || height !== camera.fed.height) fail('camera_feed_resized');
    if (pixels.byteLength !== width * height * 4) fail('camera_feed_invalid');
    camera.sent += 1;
    if (camera.sent === 1) camera.sequenceFrom = performance.now();
    this.stats.framesFed += 1;
    const analyse = window.__ehrazAnalyse;
    if (!analyse) return;
    const seen = await analyse(width, height, base64(new Uint8Array(pixels)));
    if (seen && this.camera === camera) {
      this.stats.guidance = seen;
      this.stats.guidanceEvents += 1;
      camera.onEvent({ kind: 'guidance', code: seen.code, ready: seen.ready });
    }
  }

  async previewAck(sequence: number): Promise<void> {
    const camera = this.camera;
    if (camera?.unacked.delete(sequence)) this.stats.framesAcked += 1;
  }

  async closeCamera(): Promise<void> {
    this.injected('closeCamera');
    if (this.camera) this.stats.closes += 1;
    this.shutCamera();
  }

  async openMicrophone(options: { device?: string }): Promise<MicrophoneDevice> {
    this.injected('openMicrophone');
    const camera = this.camera;
    if (!camera) fail('camera_not_open');
    if (this.conditions.microphoneError) fail(this.conditions.microphoneError);
    const microphones = this.microphoneList();
    const device = options.device ? microphones.find((m) => m.id === options.device) : microphones[0];
    if (!device) fail('microphone_missing');
    if (this.microphone) clearInterval(this.microphone.timer);
    const started = performance.now();
    const timer = setInterval(() => {
      if (this.camera !== camera) return;
      const t = (performance.now() - started) / 1000;
      const speech = this.conditions.speaking ? voiceEnvelope(t) : 0;
      const rms = this.conditions.silent ? 0.0004 : 0.04 + speech * 0.3;
      if (!this.conditions.silent && this.recording && !this.recording.limited) this.recording.heard = true;
      camera.onEvent({ kind: 'level', rms, peak: Math.min(1, rms * 2.2) });
    }, 66);
    this.microphone = { device, timer };
    return device;
  }

  async takePhoto(options: { auto: boolean }): Promise<PhotoTaken> {
    this.injected('takePhoto');
    const camera = this.liveCamera();
    const step = this.wizard.captureStep();
    if (!step) fail('wizard-wrong-step');
    this.pending = { kind: 'photo', step: step.id, at: performance.now() };
    this.stats.photos.push({ step: step.id, auto: options.auto });
    return { ...FULL, bytes: 180_000 + Math.round(Math.random() * 60_000) + camera.sent };
  }

  async drawChallenge(kind?: ChallengeKind): Promise<DrawnChallenge> {
    this.injected('drawChallenge');
    const step = this.wizard.captureStep();
    if (!step?.challenge) fail('wizard-wrong-step');
    const wanted = kind ?? step.challenge;
    if (wanted !== step.challenge && wanted !== step.alternative_challenge) fail('wizard-challenge-mismatch');
    let challenge: DrawnChallenge;
    if (wanted === 'digits') {
      challenge = { kind: 'digits', digits: Array.from({ length: 4 }, () => 1 + Math.floor(Math.random() * 5)) };
    } else {
      const s = SENTENCES[Math.floor(Math.random() * SENTENCES.length)];
      challenge = { kind: 'sentence', sentence_id: s.sentence, text: s.text };
    }
    this.wizard.recordChallenge(step.id, challenge);
    this.drawn = { step: step.id, challenge };
    this.stats.challenges += 1;
    return challenge;
  }

  async recordingStart(limitSeconds: number): Promise<void> {
    this.injected('recordingStart');
    const camera = this.liveCamera();
    const step = this.wizard.captureStep();
    if (!step) fail('wizard-wrong-step');
    if (this.recording && !this.recording.limited) fail('recording_running');
    this.stopRecording();
    this.pending = null;
    const recording: Recording = {
      step: step.id,
      started: performance.now(),
      limitMs: limitSeconds * 1000,
      timer: null,
      elapsedMs: 0,
      heard: false,
      limited: false,
      challenge: this.drawn?.step === step.id ? this.drawn.challenge : null,
      digitsShown: 0,
      speechMs: 0,
    };
    this.stats.recordingProgressMs = [];
    this.stats.digitsShown = [];
    recording.timer = setInterval(() => {
      const before = recording.elapsedMs;
      recording.elapsedMs = Math.min(
        recording.limitMs,
        (performance.now() - recording.started) * this.conditions.timeScale,
      );
      this.stats.recordingProgressMs.push(Math.round(recording.elapsedMs));
      camera.onEvent({ kind: 'recording', elapsed_ms: Math.round(recording.elapsedMs), limit_ms: recording.limitMs });
      this.showDigits(camera, recording);
      this.listen(camera, recording, recording.elapsedMs - before);
      if (recording.elapsedMs >= recording.limitMs) {
        recording.limited = true;
        if (recording.timer) clearInterval(recording.timer);
        recording.timer = null;
        camera.onEvent({ kind: 'recording-limit' });
      }
    }, 100);
    this.recording = recording;
  }

  async recordingStop(): Promise<RecordingDone> {
    this.injected('recordingStop');
    const recording = this.recording;
    if (!recording) fail('recording_not_started');
    if (!recording.limited) {
      recording.elapsedMs = Math.min(
        recording.limitMs,
        (performance.now() - recording.started) * this.conditions.timeScale,
      );
    }
    this.stopRecording();
    // Encoding takes a moment.
    await new Promise((r) => setTimeout(r, 250));
    const seconds = recording.elapsedMs / 1000;
    this.pending = { kind: 'video', step: recording.step, at: recording.started };
    return {
      duration_ms: Math.round(recording.elapsedMs),
      frames: Math.round(seconds * 30),
      dropped: 0,
      video_bytes: Math.round(seconds * 280_000),
      audio_bytes: Math.round(seconds * 32_000) + 44,
      heard_sound: recording.heard,
      speech_ms: Math.round(recording.speechMs),
      speech_heard: recording.challenge?.kind !== 'sentence' || recording.speechMs >= SPEECH_HEARD_MS,
    };
  }

  async reviewImage(maxWidth: number): Promise<ArrayBuffer> {
    this.injected('reviewImage');
    const pending = this.pending;
    if (!pending) fail('nothing_to_review');
    const width = Math.max(160, Math.min(FULL.width, Math.round(maxWidth)));
    const height = Math.round((width * FULL.height) / FULL.width);
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (!ctx) fail('camera_failed');
    paint(ctx, width, height, pending.at, pending.kind === 'photo' ? 'PHOTO' : 'VIDEO');
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
    return blob.arrayBuffer();
  }

  async discard(): Promise<void> {
    this.injected('discard');
    this.pending = null;
  }

  async accept(): Promise<WizardView> {
    this.injected('accept');
    const step = this.wizard.captureStep();
    if (!step) fail('wizard-wrong-step');
    const pending = this.pending;
    if (!pending || pending.step !== step.id) fail('wizard-missing-artifact');
    const video = step.capture.endsWith('video');
    if ((pending.kind === 'video') !== video) fail('wizard-media-type');
    if (step.challenge && !this.wizard.hasChallenge(step.id)) fail('wizard-missing-challenge');
    const view = this.wizard.attach(step.id);
    this.pending = null;
    return view;
  }

  // ---- inside ----

  private injected(call: keyof CaptureBackend): void {
    const i = this.failures.findIndex((f) => f.call === call);
    if (i !== -1) fail(this.failures.splice(i, 1)[0].code);
  }

  private cameraList(webviewCamera = false): CameraDevice[] {
    const n = this.conditions.cameras;
    // As Rust lists them: the webview's camera only where the device has none of its own.
    if (n <= 0) return webviewCamera ? [{ id: WEBVIEW_CAMERA, name: WEBVIEW_CAMERA, facing: null, file: false }] : [];
    if (n === 1) return [{ id: 'file:camera', name: 'Ehraz file camera', facing: null, file: true }];
    return [
      { id: 'file:front', name: 'Ehraz file camera (front)', facing: 'front', file: true },
      { id: 'file:back', name: 'Ehraz file camera (back)', facing: 'back', file: true },
    ];
  }

  private microphoneList(): MicrophoneDevice[] {
    const all = [
      { id: 'file:microphone', name: 'Ehraz file microphone', file: true },
      { id: 'file:microphone-second', name: 'Ehraz second file microphone', file: true },
    ];
    return all.slice(0, Math.max(0, Math.min(2, this.conditions.microphones)));
  }

  /** The open camera that gives frames, for a photo or a recording. */
  private liveCamera(): OpenCamera {
    const camera = this.camera;
    if (!camera) fail('camera_not_open');
    if (camera.failed) fail('camera_failed');
    if (camera.sent === 0) fail('no_frame');
    return camera;
  }

  private startFrames(camera: OpenCamera): void {
    this.stopFrames(camera);
    camera.timer = setInterval(() => void this.frame(camera), 1000 / this.conditions.fps);
  }

  private stopFrames(camera: OpenCamera): void {
    if (camera.timer) clearInterval(camera.timer);
    camera.timer = null;
  }

  /** One tick of the camera: a new frame, unless two still wait for their ack. */
  private async frame(camera: OpenCamera): Promise<void> {
    if (this.camera !== camera || camera.encoding) return;
    if (camera.unacked.size >= 2) {
      this.stats.framesHeldBack += 1;
      return;
    }
    camera.encoding = true;
    try {
      // Read back on every RGBA frame; JPEG frames are encoded from the same pixels.
      const ctx = camera.canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) return;
      paint(ctx, camera.width, camera.height, performance.now(), camera.device.facing ?? 'FILE');
      let picture: Uint8Array;
      let format: number;
      if (this.conditions.format === 'rgba') {
        picture = new Uint8Array(ctx.getImageData(0, 0, camera.width, camera.height).data.buffer);
        format = 1;
      } else {
        const blob = await camera.canvas.convertToBlob({ type: 'image/jpeg', quality: 0.7 });
        picture = new Uint8Array(await blob.arrayBuffer());
        format = 0;
      }
      if (this.camera !== camera || camera.failed) return;
      camera.sequence += 1;
      const frame = new ArrayBuffer(PREVIEW_HEADER_BYTES + picture.byteLength);
      const header = new DataView(frame);
      header.setUint32(0, camera.sequence, true);
      header.setUint16(4, camera.width, true);
      header.setUint16(6, camera.height, true);
      header.setUint8(8, format);
      new Uint8Array(frame, PREVIEW_HEADER_BYTES).set(picture);
      camera.unacked.add(camera.sequence);
      camera.sent += 1;
      // Guidance needs frames to judge: the sequence starts with the first.
      if (camera.sent === 1) camera.sequenceFrom = performance.now();
      this.stats.framesSent += 1;
      this.stats.maxUnacked = Math.max(this.stats.maxUnacked, camera.unacked.size);
      camera.onFrame(frame);
    } finally {
      camera.encoding = false;
    }
  }

  /** Sends the guidance of this moment, while the camera gives frames. */
  private guidance(camera: OpenCamera): void {
    if (this.camera !== camera || camera.failed || camera.sent === 0) return;
    // A real analysis of the fed frames speaks instead.
    if (camera.fed && window.__ehrazAnalyse) return;
    const setting = this.conditions.guidance;
    if (setting === 'off') return;
    let now: { code: GuidanceCode; ready: boolean };
    if (setting === 'sequence') {
      camera.sequenceFrom ??= performance.now();
      const t = performance.now() - camera.sequenceFrom;
      const step = this.wizard.captureStep();
      if (t < SEQUENCE_FIX_MS) now = { code: firstFix(step?.capture ?? ''), ready: false };
      else now = { code: 'ready', ready: t >= SEQUENCE_READY_MS };
    } else {
      now = { ...setting };
    }
    this.stats.guidance = now;
    this.stats.guidanceEvents += 1;
    camera.onEvent({ kind: 'guidance', ...now });
  }

  /** Digits of a digits challenge, each when its time in the recording has come. */
  private showDigits(camera: OpenCamera, recording: Recording): void {
    const challenge = recording.challenge;
    if (challenge?.kind !== 'digits') return;
    while (
      recording.digitsShown < challenge.digits.length &&
      recording.elapsedMs >= DIGIT_FIRST_MS + recording.digitsShown * DIGIT_EVERY_MS
    ) {
      const event = { index: recording.digitsShown, elapsed_ms: Math.round(recording.elapsedMs) };
      this.stats.digitsShown.push(event);
      camera.onEvent({ kind: 'challenge-digit', ...event });
      recording.digitsShown += 1;
    }
  }

  /** Voice activity over the last `stepMs` of recording time. */
  private listen(camera: OpenCamera, recording: Recording, stepMs: number): void {
    const t = (performance.now() - recording.started) / 1000;
    const speaking =
      this.microphone !== null && !this.conditions.silent && this.conditions.speaking && voiceEnvelope(t) > 0.1;
    if (speaking) recording.speechMs += stepMs;
    camera.onEvent({ kind: 'voice', speaking, speech_ms: Math.round(recording.speechMs) });
  }

  private stopRecording(): void {
    if (this.recording?.timer) clearInterval(this.recording.timer);
    this.recording = null;
  }

  private shutCamera(): void {
    this.stopRecording();
    if (this.microphone) clearInterval(this.microphone.timer);
    this.microphone = null;
    if (this.camera) {
      this.stopFrames(this.camera);
      if (this.camera.guidanceTimer) clearInterval(this.camera.guidanceTimer);
    }
    this.camera = null;
  }
}
