/**
 * Byte-level mutation operators shared by the packet and netlink targets: bit flips, byte sets,
 * truncation, extension, insertion and deletion, applied in order to a copy of a seed message.
 */
import * as fc from 'fast-check';

export type ByteOp =
  | { readonly k: 'flip'; readonly at: number; readonly bit: number }
  | { readonly k: 'set'; readonly at: number; readonly v: number }
  | { readonly k: 'truncate'; readonly at: number }
  | { readonly k: 'extend'; readonly bytes: readonly number[] }
  | { readonly k: 'insert'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly k: 'delete'; readonly at: number; readonly n: number };

const pos = fc.nat({ max: 4096 });
const someBytes = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 24 });

export const byteOpArb: fc.Arbitrary<ByteOp> = fc.oneof(
  { arbitrary: fc.record({ k: fc.constant('flip' as const), at: pos, bit: fc.integer({ min: 0, max: 7 }) }), weight: 4 },
  { arbitrary: fc.record({ k: fc.constant('set' as const), at: pos, v: fc.oneof(fc.constantFrom(0, 1, 0x7f, 0x80, 0xff), fc.integer({ min: 0, max: 255 })) }), weight: 4 },
  { arbitrary: fc.record({ k: fc.constant('truncate' as const), at: pos }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('extend' as const), bytes: someBytes }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('insert' as const), at: pos, bytes: someBytes }), weight: 1 },
  { arbitrary: fc.record({ k: fc.constant('delete' as const), at: pos, n: fc.integer({ min: 1, max: 16 }) }), weight: 1 },
);

export const byteOpsArb = fc.array(byteOpArb, { minLength: 0, maxLength: 6 });

/** Applies `ops` to a copy of `seed`; positions wrap around the current length. */
export function applyByteOps(seed: Uint8Array, ops: readonly ByteOp[]): Uint8Array {
  let b = Uint8Array.from(seed);
  for (const op of ops) {
    const at = b.length === 0 ? 0 : op.k === 'extend' ? 0 : op.at % (b.length + (op.k === 'insert' || op.k === 'truncate' ? 1 : 0));
    switch (op.k) {
      case 'flip':
        if (b.length > 0) b[at] = b[at]! ^ (1 << op.bit);
        break;
      case 'set':
        if (b.length > 0) b[at] = op.v;
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'extend':
        b = Uint8Array.from([...b, ...op.bytes]);
        break;
      case 'insert':
        b = Uint8Array.from([...b.subarray(0, at), ...op.bytes, ...b.subarray(at)]);
        break;
      case 'delete':
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + op.n)]);
        break;
    }
  }
  return b;
}
