// The real backend: Tauri commands of src-tauri. Command and argument names are part of
// the contract (see types.ts); arguments are camelCase as Tauri expects on this side.

import { Channel, invoke } from '@tauri-apps/api/core';
import type { AppInfo, Backend, CommandError, SendProgress, Status, WizardView } from './types';

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
};
