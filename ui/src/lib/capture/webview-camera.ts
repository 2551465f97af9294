// The webview's own camera: on phones (where Rust has no camera backend) and on desktops
// where only the webview finds one. The page opens the camera with getUserMedia, shows it
// in a <video> as the preview, and hands frames to Rust as raw RGBA bytes (drawn on a
// canvas, read back with getImageData: the way every webview can), about fifteen a second,
// the newest only and never more than one on its way, so the same guidance, photo and
// recorder run on them as on a camera of Rust's own.

import type { CommandError, Facing } from '../backend/types';
import { MAX_FEED_SIDE } from '../backend/types';

/** Frames handed to Rust per second, at most. */
export const FEED_FPS = 15;
/** The longest side of a fed frame: enough for a sharp photo, light on the IPC. */
export const FEED_LONGEST = 1280;

/** Whether the webview can open a camera at all: it has media devices and lists a camera. */
export async function webviewHasCamera(): Promise<boolean> {
  const devices = globalThis.navigator?.mediaDevices;
  if (!devices?.enumerateDevices) return false;
  try {
    return (await devices.enumerateDevices()).some((d) => d.kind === 'videoinput');
  } catch {
    return false;
  }
}

/** The capture failure code (as Rust's cameras report them) of a getUserMedia error. */
export function cameraProblem(error: unknown): string {
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'camera_denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'camera_missing';
    case 'NotReadableError':
    case 'AbortError':
      return 'camera_busy';
    default:
      return 'camera_failed';
  }
}

/** The same for the microphone. */
export function microphoneProblem(error: unknown): string {
  return cameraProblem(error).replace('camera_', 'microphone_');
}

/**
 * Asks the webview for the microphone once and lets it go at once. Rust records the
 * sound (cpal), but on a phone it is the webview's request that makes the system ask the
 * person (Android's runtime permission), so this comes before Rust opens the microphone.
 */
export async function askForMicrophone(): Promise<void> {
  const devices = globalThis.navigator?.mediaDevices;
  if (!devices?.getUserMedia) return;
  try {
    const stream = await devices.getUserMedia({ audio: true, video: false });
    for (const track of stream.getTracks()) track.stop();
  } catch (e) {
    throw { code: microphoneProblem(e), detail: String(e) } satisfies CommandError;
  }
}

/** The size frames are fed at: the video's, scaled down to FEED_LONGEST on its longest side. */
export function feedSize(width: number, height: number): { width: number; height: number } {
  const scale = Math.min(1, FEED_LONGEST / Math.max(width, height, 1));
  return {
    width: Math.max(1, Math.min(MAX_FEED_SIDE, Math.round(width * scale))),
    height: Math.max(1, Math.min(MAX_FEED_SIDE, Math.round(height * scale))),
  };
}

/** Hands one frame to Rust; rejects with a CommandError. */
export type Feed = (width: number, height: number, pixels: ArrayBuffer) => Promise<void>;

export class WebviewCamera {
  /** The size frames are fed at (fixed while open: another size means opening again). */
  readonly width: number;
  readonly height: number;
  /** Frames Rust took. */
  fed = 0;
  /** While paused (the review is shown), nothing is fed. */
  paused = false;

  private readonly stream: MediaStream;
  private readonly video: HTMLVideoElement;
  /** Where each frame is drawn and read back; null where the webview has no 2D canvas. */
  private readonly context: CanvasRenderingContext2D | null;
  private feed: Feed | null = null;
  private inFlight = false;
  private lastSent = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private frameCallback: number | undefined;
  private stopped = false;

  private constructor(stream: MediaStream, video: HTMLVideoElement) {
    this.stream = stream;
    this.video = video;
    const size = feedSize(video.videoWidth, video.videoHeight);
    this.width = size.width;
    this.height = size.height;
    const canvas = document.createElement('canvas');
    canvas.width = this.width;
    canvas.height = this.height;
    this.context = canvas.getContext('2d', { willReadFrequently: true });
  }

  /**
   * Opens the camera facing `facing` and plays it in `video` (muted, inline: the
   * preview). Rejects with a CommandError whose code is camera_denied, camera_missing,
   * camera_busy or camera_failed.
   */
  static async open(facing: Facing, video: HTMLVideoElement): Promise<WebviewCamera> {
    const devices = globalThis.navigator?.mediaDevices;
    if (!devices?.getUserMedia) fail('camera_missing', 'no mediaDevices in this webview');
    let stream: MediaStream;
    try {
      stream = await devices.getUserMedia({
        video: { facingMode: facing === 'front' ? 'user' : 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
    } catch (e) {
      fail(cameraProblem(e), String(e));
    }
    try {
      video.muted = true;
      video.playsInline = true;
      video.srcObject = stream;
      await video.play();
      if (video.videoWidth === 0) {
        await new Promise<void>((resolve, reject) => {
          video.addEventListener('loadedmetadata', () => resolve(), { once: true });
          video.addEventListener('error', () => reject(new Error('the video did not start')), { once: true });
        });
      }
      return new WebviewCamera(stream, video);
    } catch (e) {
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
      fail('camera_failed', String(e));
    }
  }

  /**
   * Starts feeding frames to `feed`. `onProblem` hears a failure code once, and feeding
   * stops: `camera_failed` when the camera's track ends (unplugged, taken by the system),
   * `camera_feed_resized` when the video changed size (the phone turned), or the code of
   * a refused frame.
   */
  start(feed: Feed, onProblem: (code: string) => void): void {
    this.feed = feed;
    const fault = (code: string) => {
      if (this.stopped) return;
      this.stop();
      onProblem(code);
    };
    for (const track of this.stream.getVideoTracks()) {
      track.addEventListener('ended', () => fault('camera_failed'), { once: true });
    }
    this.video.addEventListener('resize', () => {
      const size = feedSize(this.video.videoWidth, this.video.videoHeight);
      if (size.width !== this.width || size.height !== this.height) fault('camera_feed_resized');
    });
    this.onProblem = fault;
    this.schedule();
  }

  /** Stops feeding and the camera itself (the system's camera light goes off). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.frameCallback !== undefined) this.video.cancelVideoFrameCallback?.(this.frameCallback);
    for (const track of this.stream.getTracks()) track.stop();
    this.video.srcObject = null;
  }

  private onProblem: (code: string) => void = () => undefined;

  /** The next look at the video: on its next frame where the webview says, else on a timer. */
  private schedule(): void {
    if (this.stopped) return;
    if (typeof this.video.requestVideoFrameCallback === 'function') {
      this.frameCallback = this.video.requestVideoFrameCallback(() => this.tick());
      // A video that stops giving frames (hidden, suspended) still gets looked at.
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.tick(), 1000 / FEED_FPS);
    } else {
      this.timer = setTimeout(() => this.tick(), 1000 / FEED_FPS);
    }
  }

  private tick(): void {
    if (this.stopped) return;
    if (this.frameCallback !== undefined) {
      this.video.cancelVideoFrameCallback?.(this.frameCallback);
      this.frameCallback = undefined;
    }
    clearTimeout(this.timer);
    const now = performance.now();
    // One frame on its way at most, about FEED_FPS a second: the newest is read when sent.
    if (!this.paused && !this.inFlight && now - this.lastSent >= 1000 / FEED_FPS - 4 && this.video.readyState >= 2) {
      this.lastSent = now;
      this.send();
    }
    this.schedule();
  }

  private send(): void {
    const feed = this.feed;
    const ctx = this.context;
    if (!feed || !ctx) return;
    ctx.drawImage(this.video, 0, 0, this.width, this.height);
    const pixels = ctx.getImageData(0, 0, this.width, this.height).data.buffer;
    this.inFlight = true;
    feed(this.width, this.height, pixels).then(
      () => {
        this.inFlight = false;
        this.fed += 1;
        this.onFed?.(this.fed);
      },
      (e: unknown) => {
        this.inFlight = false;
        const code = typeof e === 'object' && e !== null ? (e as CommandError).code : undefined;
        this.onProblem(typeof code === 'string' ? code : 'camera_failed');
      },
    );
  }

  /** Hears each frame Rust took (the count so far). */
  onFed: ((count: number) => void) | null = null;
}

function fail(code: string, detail: string): never {
  throw { code, detail } satisfies CommandError;
}
