// The bundled flows, read from the same TOML files ehraz-core embeds. Used by the test
// double only (the real app gets its flow from Rust inside each WizardView).

import { parse } from 'smol-toml';
import type { Flow } from './types';
import sejam from '../../../../crates/ehraz-core/flows/sejam.toml?raw';
import exchange from '../../../../crates/ehraz-core/flows/exchange.toml?raw';

export const BUNDLED_FLOWS: Record<string, Flow> = {
  sejam: parse(sejam) as unknown as Flow,
  exchange: parse(exchange) as unknown as Flow,
};
