/**
 * rtnetlink adapter (public surface). Layers, bottom up:
 *   constants.ts · inet.ts · nl-codec.ts           pure: kernel names, IP text, netlink framing
 *   rtnl-{addr,link,route}-codec.ts                pure: rtnetlink request builders and parsers
 *   socket.ts                                      NetlinkChannel: seq / ACK / dump / timeout / errors
 *   interfaces.ts · addresses.ts · routes.ts ·
 *   link-watcher.ts · vmac.ts                      domain adapters used by the daemon
 */

export { NetlinkChannel, openNetlinkTransport, type NetlinkTransport, type ChannelOptions, type TransportOptions } from './socket.js';
export { NetlinkError, errnoName, isKernelErrno, type NetlinkErrorCode } from './errors.js';
export { listInterfaces, joinInterfaces, type HostInterface, type HostAddress, type ListOptions } from './interfaces.js';
export { AddressManager, vipToAddrRequest, vipKey, type VipSpec, type AddOutcome, type RemoveOutcome, type AddressManagerOptions } from './addresses.js';
export { RouteManager, routeToRequest, type RouteSpec, type RouteType, type RouteAddOutcome, type RouteRemoveOutcome } from './routes.js';
export { LinkWatcher, LinkStateTracker, linkUsable, type LinkEvent, type LinkWatcherOptions } from './link-watcher.js';
export { VmacManager, vrrpVirtualMac, defaultVmacName, type VmacSpec, type VmacInterface, type MacvlanMode } from './vmac.js';
export { parseRtScope, formatRtScope } from './scope.js';
export type { NlRequest } from './nl-request.js';
export type { NlMsg, NlMsgHeader, NlAttr, DecodeResult } from './nl-codec.js';
