/** LinkStateTracker (pure) and LinkWatcher wiring against a scripted kernel. */

import { describe, expect, it } from 'vitest';
import { LinkStateTracker, LinkWatcher, type LinkEvent } from '../../../src/io/netlink/link-watcher.js';
import { decodeNlMsgs, type NlMsg } from '../../../src/io/netlink/nl-codec.js';
import { NetlinkChannel } from '../../../src/io/netlink/socket.js';
import { attr, cstr, nlmsg, u32le } from './helpers/bytes.js';
import { FakeKernel } from './helpers/fake-kernel.js';

const IFF_UP = 0x1;
const IFF_RUNNING = 0x40;

function linkPayload(index: number, name: string, flags: number): number[] {
  return [0, 0, 1, 0, ...u32le(index), ...u32le(flags), ...u32le(0), ...attr(3, cstr(name))];
}

function addrPayload(index: number, ip: number[], prefix: number, label?: string): number[] {
  return [2, prefix, 0, 0, ...u32le(index), ...attr(2, ip), ...attr(1, ip), ...(label ? attr(3, cstr(label)) : [])];
}

function msg(type: number, payload: number[]): NlMsg {
  const r = decodeNlMsgs(Uint8Array.from(nlmsg(type, 0, 0, 0, payload)));
  if (!r.ok) throw new Error('bad test message');
  return r.value[0]!;
}

describe('LinkStateTracker', () => {
  it('emits link-down / link-up only when IFF_UP&IFF_RUNNING flips', () => {
    const t = new LinkStateTracker();
    t.seed([{ index: 3, linkType: 1, flags: IFF_UP | IFF_RUNNING, name: 'eth0' }]);
    expect(t.handle(msg(16, linkPayload(3, 'eth0', IFF_UP | IFF_RUNNING)))).toEqual([]);
    expect(t.handle(msg(16, linkPayload(3, 'eth0', IFF_UP)))).toEqual([{ kind: 'link-down', ifindex: 3, name: 'eth0', flags: IFF_UP }]);
    expect(t.handle(msg(16, linkPayload(3, 'eth0', 0)))).toEqual([]);
    expect(t.handle(msg(16, linkPayload(3, 'eth0', IFF_UP | IFF_RUNNING)))).toEqual([
      { kind: 'link-up', ifindex: 3, name: 'eth0', flags: IFF_UP | IFF_RUNNING },
    ]);
    expect(t.state(3)).toEqual({ name: 'eth0', usable: true });
  });

  it('reports new and deleted links, and address changes', () => {
    const t = new LinkStateTracker();
    expect(t.handle(msg(16, linkPayload(5, 'vrrp.51', IFF_UP)))).toEqual([{ kind: 'link-added', ifindex: 5, name: 'vrrp.51', usable: false, flags: IFF_UP }]);
    expect(t.handle(msg(17, linkPayload(5, 'vrrp.51', 0)))).toEqual([{ kind: 'link-removed', ifindex: 5, name: 'vrrp.51' }]);
    expect(t.handle(msg(20, addrPayload(3, [10, 0, 0, 1], 32, 'eth0:vip')))).toEqual([
      { kind: 'address-added', ifindex: 3, family: 4, address: '10.0.0.1', prefixLen: 32, label: 'eth0:vip' },
    ]);
    expect(t.handle(msg(21, addrPayload(3, [10, 0, 0, 1], 32)))).toEqual([{ kind: 'address-removed', ifindex: 3, family: 4, address: '10.0.0.1', prefixLen: 32 }]);
  });

  it('ignores damaged and unrelated messages', () => {
    const t = new LinkStateTracker();
    expect(t.handle(msg(16, [1, 2, 3]))).toEqual([]);
    expect(t.handle(msg(20, [2, 24]))).toEqual([]);
    expect(t.handle(msg(24, [0, 0, 0, 0]))).toEqual([]);
  });

  it('reconciles after lost notifications', () => {
    const t = new LinkStateTracker();
    t.seed([
      { index: 2, linkType: 1, flags: IFF_UP | IFF_RUNNING, name: 'a' },
      { index: 3, linkType: 1, flags: IFF_UP | IFF_RUNNING, name: 'b' },
    ]);
    expect(t.reconcile([{ index: 2, linkType: 1, flags: IFF_UP, name: 'a' }])).toEqual([
      { kind: 'link-down', ifindex: 2, name: 'a', flags: IFF_UP },
      { kind: 'link-removed', ifindex: 3, name: 'b' },
    ]);
  });
});

describe('LinkWatcher', () => {
  it('joins the three groups, seeds from a dump silently, then emits events', async () => {
    const k = new FakeKernel(() => ({ done: true, messages: [{ type: 16, payload: linkPayload(3, 'eth0', IFF_UP | IFF_RUNNING) }] }));
    const w = new LinkWatcher({ channel: new NetlinkChannel(k) });
    const events: LinkEvent[] = [];
    w.onEvent((e) => events.push(e));
    await w.start();
    expect(k.groups).toEqual([1, 5, 9]);
    expect(events).toEqual([]);
    k.deliver(Uint8Array.from(nlmsg(16, 0, 0, 0, linkPayload(3, 'eth0', IFF_UP))));
    expect(events).toEqual([{ kind: 'link-down', ifindex: 3, name: 'eth0', flags: IFF_UP }]);
    w.stop();
    k.deliver(Uint8Array.from(nlmsg(16, 0, 0, 0, linkPayload(3, 'eth0', IFF_UP | IFF_RUNNING))));
    expect(events).toHaveLength(1);
  });

  it('asks for a resync and re-dumps when notifications are lost', async () => {
    let dumps = 0;
    const k = new FakeKernel(() => {
      dumps++;
      return { done: true, messages: [{ type: 16, payload: linkPayload(3, 'eth0', dumps === 1 ? IFF_UP | IFF_RUNNING : 0) }] };
    });
    const w = new LinkWatcher({ channel: new NetlinkChannel(k) });
    const events: LinkEvent[] = [];
    w.onEvent((e) => events.push(e));
    await w.start();
    k.failSocket(Object.assign(new Error('ENOBUFS'), { errno: 105 }));
    await new Promise((r) => setTimeout(r, 0));
    expect(events.map((e) => e.kind)).toEqual(['resync-needed', 'link-down']);
    w.stop();
  });
});
