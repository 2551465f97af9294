// What the live guidance means for the screen: the state the overlay's outline and the
// message show.

import type { GuidanceCode } from '../backend/types';

/** No guidance yet; something to fix; everything right (steady or settling). */
export type GuidanceState = 'waiting' | 'fix' | 'ready';

export function guidanceState(code: GuidanceCode | null): GuidanceState {
  if (code === null) return 'waiting';
  return code === 'ready' ? 'ready' : 'fix';
}
