// The real backend: Tauri commands of src-tauri. Command and argument names are part of
// the contract (see types.ts); arguments are camelCase as Tauri expects on this side.

import { Channel, invoke } from '@tauri-apps/api/core';
import type {
  AppInfo,
  Backend,
  CameraOpened,
  CaptureBackend,
  CaptureDevices,
  CaptureEvent,
  CommandError,
  DrawnChallenge,
  MicrophoneDevice,
  PhotoTaken,
  RecordingDone,
  SendProgress,
  Status,
  WizardView,
} from './types';

/** A rejected invoke carries a CommandError; anything else (a panic, a bad IPC) becomes one. */
function asCommandError(e: unknown): CommandError {
  if (typeof e === 'object' && e !== null && typeof (e as CommandError).code === 'string') {
    return e as CommandError;
  }
  return { code: 'unknown', detail: String(e) };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    throw asCommandError(e);
  }
}

/** The webview camera's frame: the pixels as the raw body, their size and layout in headers. */
async function feedFrame(width: number, height: number, pixels: ArrayBuffer): Promise<void> {
  try {
    await invoke<void>('camera_feed', pixels, {
      headers: { 'Ehraz-Width': String(width), 'Ehraz-Height': String(height), 'Ehraz-Format': 'rgba' },
    });
  } catch (e) {
    throw asCommandError(e);
  }
}

/** Camera, microphone and recorder: frames arrive as raw bytes on their own channel. */
const capture: CaptureBackend = {
  devices: (webviewCamera) => call<CaptureDevices>('capture_devices', { webviewCamera: webviewCamera ?? false }),
  openCamera: ({ device, facing, previewWidth, feed }, onFrame, onEvent) => {
    const preview = new Channel<ArrayBuffer>();
    preview.onmessage = onFrame;
    const events = new Channel<CaptureEvent>();
    events.onmessage = onEvent;
    return call<CameraOpened>('camera_open', { device, facing, previewWidth, feed: feed ?? null, preview, events });
  },
  feedFrame,
  previewAck: (sequence) => call<void>('camera_preview_ack', { sequence }),
  closeCamera: () => call<void>('camera_close'),
  openMicrophone: ({ device }) => call<MicrophoneDevice>('microphone_open', { device }),
  takePhoto: ({ auto }) => call<PhotoTaken>('photo_take', { auto }),
  // No kind (null): the step's own challenge.
  drawChallenge: (kind) => call<DrawnChallenge>('challenge_draw', { kind: kind ?? null }),
  recordingStart: (limitSeconds) => call<void>('recording_start', { limitSeconds }),
  recordingStop: () => call<RecordingDone>('recording_stop'),
  reviewImage: (maxWidth) => call<ArrayBuffer>('capture_review_image', { maxWidth }),
  discard: () => call<void>('capture_discard'),
  accept: () => call<WizardView>('capture_accept'),
};

export const tauriBackend: Backend = {
  appInfo: () => call<AppInfo>('app_info'),
  ready: () => call<void>('app_ready'),
  resume: () => call<WizardView | null>('wizard_resume'),
  start: (flow) => call<WizardView>('wizard_start', { flow }),
  submitForm: (values) => call<WizardView>('wizard_submit_form', { values }),
  sendCode: () => call<WizardView>('code_send'),
  verifyCode: (code) => call<WizardView>('code_verify', { code }),
  advance: () => call<WizardView>('wizard_advance'),
  back: () => call<WizardView>('wizard_back'),
  goTo: (step) => call<WizardView>('wizard_go_to', { step }),
  submit: (onProgress) => {
    const channel = new Channel<SendProgress>();
    channel.onmessage = onProgress;
    return call<Status>('submission_send', { onProgress: channel });
  },
  status: () => call<Status>('submission_status'),
  startOver: () => call<void>('wizard_start_over'),
  capture,
  kiosk: {
    reset: () => call<void>('kiosk_reset'),
    leave: (pin) => call<void>('kiosk_leave', { pin }),
  },
};
