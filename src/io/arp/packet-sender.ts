/**
 * AF_PACKET frame sender (the kernel-facing half of GARP / unsolicited NA): writes a complete
 * Ethernet frame built by garp-frame.ts / una-frame.ts to an interface by ifindex, through the
 * kts_native addon (raw-socket cannot open AF_PACKET sockets). Needs CAP_NET_RAW.
 */
import { loadNative } from '../native/index.js';
import type { KtsNative } from '../native/index.js';

/** Port used by the announcer; tests plug in a recording fake. */
export interface FrameSender {
  /** Send one frame; throws (errno `code`) on failure. Returns the number of bytes sent. */
  sendFrame(ifindex: number, frame: Uint8Array): number;
}

export class PacketSender implements FrameSender {
  readonly #native: KtsNative;
  #fd: number | undefined;

  constructor(native: KtsNative = loadNative()) {
    this.#native = native;
    this.#fd = native.packetOpen();
  }

  sendFrame(ifindex: number, frame: Uint8Array): number {
    if (this.#fd === undefined) {
      throw Object.assign(new Error('packet sender is closed'), { code: 'KTS_ARP_SENDER_CLOSED' });
    }
    return this.#native.packetSend(this.#fd, ifindex, frame);
  }

  close(): void {
    if (this.#fd === undefined) return;
    this.#native.closeFd(this.#fd);
    this.#fd = undefined;
  }
}
