/**
 * The narrow ports the instance driver talks to. Production implementations live in `src/io`
 * (AdvertTransport, AddressManager, GarpAnnouncer, notify runner); unit tests plug in recording fakes.
 * Each port is the smallest slice of the io adapter the driver uses, so adapters satisfy them structurally.
 */
import type { ScriptSpec } from '../config/model.js';
import type { VipSpec } from '../io/netlink/index.js';
import type { ReceivedAdvertPacket, SendOutcome } from '../io/vrrp-socket/index.js';
import type { AnnounceRequest } from '../io/arp/index.js';
import type { ResolvedInstance } from './instance-config.js';
import type { NotifyScope, NotifyState } from '../vrrp/notify/format.js';

export type { ReceivedAdvertPacket, SendOutcome, VipSpec, AnnounceRequest };

/** Advert transport of one instance (io/vrrp-socket AdvertTransport). */
export interface AdvertChannel {
  sendToAll(encode: (destination: string) => Uint8Array): Promise<readonly SendOutcome[]>;
  close(): void;
}

/** Opens the advert channel of an instance (as currently configured); packets come back through `onPacket`. */
export type AdvertChannelFactory = (
  instance: ResolvedInstance,
  onPacket: (packet: ReceivedAdvertPacket) => void,
  onError: (err: Error) => void,
) => AdvertChannel;

/** VIP programming (io/netlink AddressManager). */
export interface VipPort {
  add(vip: VipSpec): Promise<'added' | 'already-present'>;
  remove(vip: VipSpec): Promise<'removed' | 'not-present'>;
}

/** Gratuitous ARP / unsolicited NA bursts (io/arp GarpAnnouncer). */
export interface GarpPort {
  announce(req: AnnounceRequest): void;
  cancel(owner?: string): void;
}

/** Notify scripts and FIFO lines. */
export interface NotifyPort {
  /**
   * Runs `script` with `extraArgs` appended. Fire-and-forget unless `wait` (notify_stop): then the
   * promise resolves when the script exits or the bound elapses. Never rejects.
   */
  runScript(script: ScriptSpec, extraArgs: readonly string[], opts: { readonly wait: boolean; readonly what: string }): Promise<void>;
  /** Writes one line (newline-terminated) to the configured notify FIFOs. Never throws. */
  writeFifo(line: string): void;
  /** An instance or sync group entered `state` (after its notify scripts): smtp_alert mails. Never throws. */
  stateNotify?(scope: NotifyScope, name: string, state: NotifyState): void;
}
