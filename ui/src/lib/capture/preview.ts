// Drawing preview frames. Frames arrive as raw bytes (the layout is in types.ts), are
// decoded off the main path with createImageBitmap, drawn to cover the canvas and then
// acknowledged. Only the newest frame waits: an older one still waiting is acknowledged
// unseen, so Rust's count of frames in flight never sticks and the preview never lags.

import { PREVIEW_HEADER_BYTES } from '../backend/types';

export interface FrameHeader {
  sequence: number;
  width: number;
  height: number;
  /** 0 = JPEG, 1 = RGBA. */
  format: number;
}

export function parseHeader(frame: ArrayBuffer): FrameHeader | null {
  if (frame.byteLength < PREVIEW_HEADER_BYTES) return null;
  const view = new DataView(frame);
  return {
    sequence: view.getUint32(0, true),
    width: view.getUint16(4, true),
    height: view.getUint16(6, true),
    format: view.getUint8(8),
  };
}

/** Where to draw a `sw`×`sh` picture so that it covers a `dw`×`dh` box, centred. */
export function coverRect(sw: number, sh: number, dw: number, dh: number) {
  const scale = Math.max(dw / sw, dh / sh);
  const w = sw * scale;
  const h = sh * scale;
  return { x: (dw - w) / 2, y: (dh - h) / 2, w, h };
}

async function decode(frame: ArrayBuffer, header: FrameHeader): Promise<ImageBitmap | null> {
  const picture = new Uint8Array(frame, PREVIEW_HEADER_BYTES);
  if (header.format === 0) {
    return createImageBitmap(new Blob([picture], { type: 'image/jpeg' }));
  }
  if (header.format === 1) {
    const bytes = header.width * header.height * 4;
    if (picture.byteLength < bytes || bytes === 0) return null;
    const pixels = new Uint8ClampedArray(frame, PREVIEW_HEADER_BYTES, bytes);
    return createImageBitmap(new ImageData(pixels, header.width, header.height));
  }
  return null;
}

export class PreviewPainter {
  private waiting: { frame: ArrayBuffer; header: FrameHeader } | null = null;
  private drawing = false;
  private stopped = false;
  /** While paused (the review is shown), frames are acknowledged without drawing. */
  paused = false;
  drawn = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly ack: (sequence: number) => void,
    private readonly onDrawn: (count: number) => void,
  ) {}

  push(frame: ArrayBuffer): void {
    if (this.stopped) return;
    const header = parseHeader(frame);
    if (!header) return;
    if (this.paused) {
      this.ack(header.sequence);
      return;
    }
    if (this.waiting) this.ack(this.waiting.header.sequence);
    this.waiting = { frame, header };
    if (!this.drawing) void this.drain();
  }

  stop(): void {
    this.stopped = true;
    this.waiting = null;
  }

  private async drain(): Promise<void> {
    this.drawing = true;
    try {
      while (this.waiting && !this.stopped) {
        const { frame, header } = this.waiting;
        this.waiting = null;
        let bitmap: ImageBitmap | null = null;
        try {
          bitmap = await decode(frame, header);
          if (bitmap && !this.stopped) this.paint(bitmap);
        } catch {
          // A frame that does not decode is skipped; the next one will do.
        } finally {
          bitmap?.close();
          this.ack(header.sequence);
        }
      }
    } finally {
      this.drawing = false;
    }
  }

  private paint(bitmap: ImageBitmap): void {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(canvas.clientWidth * ratio));
    const h = Math.max(1, Math.round(canvas.clientHeight * ratio));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const r = coverRect(bitmap.width, bitmap.height, w, h);
    ctx.drawImage(bitmap, r.x, r.y, r.w, r.h);
    this.drawn += 1;
    this.onDrawn(this.drawn);
  }
}
