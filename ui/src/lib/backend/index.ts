// The one door between the UI and Rust. Inside Tauri it is the real app; anywhere else
// (UI tests, a plain browser) the in-memory test double, loaded as its own chunk so the
// app never carries it on its main path.

import type { Backend } from './types';

export type * from './types';

declare global {
  interface Window {
    __TAURI_INTERNALS__?: unknown;
  }
}

export function insideTauri(): boolean {
  return typeof window !== 'undefined' && window.__TAURI_INTERNALS__ !== undefined;
}

export async function loadBackend(): Promise<Backend> {
  if (insideTauri()) {
    const { tauriBackend } = await import('./tauri');
    return tauriBackend;
  }
  const { createDouble } = await import('./double');
  return createDouble();
}
