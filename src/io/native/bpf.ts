/**
 * Classic BPF programs for SO_ATTACH_FILTER (the addon's attachFilter): a minimal assembler for the few
 * instructions our socket filters need, and the filters themselves. Pure.
 */
import { endianness } from 'node:os';

export interface BpfInstruction {
  readonly code: number;
  readonly jt: number;
  readonly jf: number;
  readonly k: number;
}

/** Opcodes (linux/bpf_common.h + filter.h): class | size | mode. */
export const BpfOp = {
  /** A = u16 at packet[k] */
  LD_H_ABS: 0x28,
  /** A = u16 at packet[X + k] */
  LD_H_IND: 0x48,
  /** X = 4 * (packet[k] & 0x0f) — the IPv4 header length */
  LDX_B_MSH: 0xb1,
  /** if (A == k) skip jt else skip jf */
  JEQ_K: 0x15,
  /** return k bytes of the packet (0 = drop) */
  RET_K: 0x06,
} as const;

const insn = (code: number, k: number, jt = 0, jf = 0): BpfInstruction => ({ code, jt, jf, k });

/** struct sock_filter[] bytes in host byte order (u16 code, u8 jt, u8 jf, u32 k). */
export function encodeBpf(program: readonly BpfInstruction[], littleEndian: boolean = endianness() === 'LE'): Uint8Array {
  const out = Buffer.alloc(program.length * 8);
  program.forEach((p, i) => {
    const o = i * 8;
    if (littleEndian) out.writeUInt16LE(p.code, o);
    else out.writeUInt16BE(p.code, o);
    out[o + 2] = p.jt;
    out[o + 3] = p.jf;
    if (littleEndian) out.writeUInt32LE(p.k >>> 0, o + 4);
    else out.writeUInt32BE(p.k >>> 0, o + 4);
  });
  return out;
}

/**
 * Keeps only UDP datagrams whose destination port is one of `ports`, on a raw IPPROTO_UDP socket:
 * IPv4 raw sockets see the IP header first (the UDP header follows IHL×4 bytes), IPv6 raw sockets start
 * at the UDP header.
 */
export function udpDestinationPortFilter(family: 4 | 6, ports: readonly number[]): BpfInstruction[] {
  if (ports.length === 0 || ports.length > 200) throw new RangeError('udpDestinationPortFilter: 1..200 ports');
  const load = family === 4 ? [insn(BpfOp.LDX_B_MSH, 0), insn(BpfOp.LD_H_IND, 2)] : [insn(BpfOp.LD_H_ABS, 2)];
  // Each compare jumps to "accept" (the last instruction) on a match, else falls through to the next.
  const compares = ports.map((port, i) => insn(BpfOp.JEQ_K, port, ports.length - i, 0));
  return [...load, ...compares, insn(BpfOp.RET_K, 0), insn(BpfOp.RET_K, 0x40000)];
}
