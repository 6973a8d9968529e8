/**
 * The per-destination send loop every advert channel shares (transports and pooled channels): encode for
 * each destination (the v3 checksum covers it), send in order, never reject — one outcome per destination.
 */
import type { SendOutcome } from './types.js';

export async function sendToEach(
  destinations: readonly string[],
  encode: (destination: string) => Uint8Array,
  send: (payload: Uint8Array, destination: string) => Promise<number>,
): Promise<readonly SendOutcome[]> {
  const out: SendOutcome[] = [];
  for (const destination of destinations) {
    try {
      out.push({ destination, ok: true, bytes: await send(encode(destination), destination) });
    } catch (err) {
      out.push({ destination, ok: false, error: err instanceof Error ? err : new Error(String(err)) });
    }
  }
  return out;
}
