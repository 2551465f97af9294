// What each capture kind asks of the camera and the screen: which way the camera faces,
// whether the preview is a mirror, and the frame drawn over it.

import type { Facing } from '../backend/types';

/** The shape a person fits into the picture. */
export type FrameShape = 'face' | 'card' | 'paper' | 'face-and-card';

/** Kinds where the person faces the camera: front camera, mirrored preview. */
const SELFIE_KINDS = new Set(['selfie-photo', 'selfie-with-documents-photo', 'selfie-video']);

export function isSelfie(capture: string): boolean {
  return SELFIE_KINDS.has(capture);
}

export function facingOf(capture: string): Facing {
  return isSelfie(capture) ? 'front' : 'back';
}

export function isVideo(capture: string): boolean {
  return capture.endsWith('-video');
}

export function frameShape(capture: string): FrameShape {
  switch (capture) {
    case 'identity-document-photo':
    case 'bank-card-photo':
      return 'card';
    case 'signature-photo':
    case 'commitment-letter-photo':
      return 'paper';
    case 'selfie-with-documents-photo':
      return 'face-and-card';
    default:
      return 'face';
  }
}

/** The icon beside each rule told before a capture. */
const RULE_ICONS: Record<string, string> = {
  'hold-still': 'still',
  'good-light': 'sun',
  'face-in-frame': 'face',
  'only-one-person': 'person',
  'no-photo-frame': 'frame',
  'no-mask': 'mask',
  'dress-code': 'shirt',
  'white-paper': 'paper',
  'phone-close': 'zoom',
  'sharp-and-lit': 'sun',
  'white-background': 'frame',
  'show-digits-with-fingers': 'fingers',
  'read-sentence-aloud': 'speak',
  'handwritten-commitment': 'pen',
  'whole-document': 'document',
  'no-glare': 'glare',
  'documents-beside-face': 'card',
};

export function ruleIcon(rule: string): string {
  return RULE_ICONS[rule] ?? 'check';
}

/** A level meter's reading: 0..100 over the last 60 dB, from a linear RMS in 0..1. */
export function levelPercent(rms: number): number {
  if (!(rms > 0)) return 0;
  const db = 20 * Math.log10(Math.min(1, rms));
  return Math.max(0, Math.min(100, Math.round(((db + 60) / 60) * 100)));
}
