/**
 * IPVS over generic netlink: resolves the "IPVS" family id (CTRL_CMD_GETFAMILY), then adds /
 * edits / deletes services and destinations and dumps the kernel's table (GET_SERVICE, then
 * GET_DEST per service). Built on the shared `NetlinkChannel` (seq, ACK, dump, timeout, errors).
 *
 * A kernel without IPVS answers the family lookup with ENOENT (the `ip_vs` module is absent or
 * cannot load): `IpvsClient.open()` then fails with `IpvsUnavailableError`
 * (`KTS_IPVS_UNAVAILABLE`) so the caller can log one line and carry on without a kernel table.
 */
import { NetlinkChannel, type ChannelOptions, type NetlinkTransport } from './socket.js';
import { NetlinkError } from './errors.js';
import {
  NETLINK_GENERIC,
  delDestRequest,
  delServiceRequest,
  getDestsRequest,
  getFamilyRequest,
  getServicesRequest,
  newDestRequest,
  newServiceRequest,
  parseDestMsg,
  parseFamilyId,
  parseServiceMsg,
  setDestRequest,
  setServiceRequest,
} from './ipvs-codec.js';
import type { IpvsDest, IpvsService, IpvsServiceEntry } from './ipvs-types.js';

export class IpvsUnavailableError extends Error {
  override readonly name = 'IpvsUnavailableError';
  readonly code = 'KTS_IPVS_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class IpvsClient {
  private constructor(
    private readonly channel: NetlinkChannel,
    readonly familyId: number,
  ) {}

  /** Opens a NETLINK_GENERIC socket (or uses `transport`, for tests) and resolves the IPVS family. */
  static async open(opts: ChannelOptions & { readonly transport?: NetlinkTransport } = {}): Promise<IpvsClient> {
    let channel: NetlinkChannel;
    try {
      channel = opts.transport !== undefined ? new NetlinkChannel(opts.transport, opts) : NetlinkChannel.open({ ...opts, protocol: NETLINK_GENERIC });
    } catch (cause) {
      throw new IpvsUnavailableError(`cannot open a generic netlink socket: ${String(cause)}`, { cause });
    }
    try {
      const reply = await channel.execute(getFamilyRequest());
      const first = reply[0];
      const id = first !== undefined ? parseFamilyId(first) : undefined;
      if (id === undefined || !id.ok) throw new IpvsUnavailableError('bad answer to the IPVS family lookup');
      return new IpvsClient(channel, id.value);
    } catch (err) {
      channel.close();
      if (err instanceof IpvsUnavailableError) throw err;
      const why = err instanceof NetlinkError && err.errno === 2 ? 'No such file or directory (no IPVS in this kernel)' : err instanceof Error ? err.message : String(err);
      throw new IpvsUnavailableError(why, { cause: err });
    }
  }

  async addService(s: IpvsService): Promise<void> {
    await this.channel.execute(newServiceRequest(this.familyId, s));
  }

  async editService(s: IpvsService): Promise<void> {
    await this.channel.execute(setServiceRequest(this.familyId, s));
  }

  async delService(s: IpvsService): Promise<void> {
    await this.channel.execute(delServiceRequest(this.familyId, s));
  }

  async addDest(s: IpvsService, d: IpvsDest): Promise<void> {
    await this.channel.execute(newDestRequest(this.familyId, s, d));
  }

  async editDest(s: IpvsService, d: IpvsDest): Promise<void> {
    await this.channel.execute(setDestRequest(this.familyId, s, d));
  }

  async delDest(s: IpvsService, d: IpvsDest): Promise<void> {
    await this.channel.execute(delDestRequest(this.familyId, s, d));
  }

  /** The kernel's whole table (services with their destinations). Undecodable entries are skipped. */
  async dump(): Promise<IpvsServiceEntry[]> {
    const out: IpvsServiceEntry[] = [];
    for (const msg of await this.channel.execute(getServicesRequest(this.familyId))) {
      const s = parseServiceMsg(msg);
      if (!s.ok) continue;
      const dests: IpvsDest[] = [];
      for (const dm of await this.channel.execute(getDestsRequest(this.familyId, s.value))) {
        const d = parseDestMsg(dm, s.value.family);
        if (d.ok) dests.push(d.value);
      }
      out.push({ service: s.value, dests });
    }
    return out;
  }

  close(): void {
    this.channel.close();
  }
}
