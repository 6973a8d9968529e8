/**
 * Test agent for the privileged netlink tests: runs *inside* a network namespace (node cannot
 * setns(2), so the test spawns `ip netns exec NS vite-node netns-agent.ts`) and drives the real
 * adapters there. Protocol: one JSON command per stdin line `{ id, op, arg }`, one JSON answer per
 * stdout line `{ id, ok, value | error }`; LinkWatcher events are pushed as `{ event }` lines.
 */

import { createInterface } from 'node:readline';
import {
  AddressManager,
  LinkWatcher,
  NetlinkChannel,
  NetlinkError,
  RouteManager,
  VmacManager,
  listInterfaces,
  type RouteSpec,
  type VipSpec,
  type VmacSpec,
} from '../../../../src/io/netlink/index.js';

interface Command {
  readonly id: number;
  readonly op: string;
  readonly arg?: unknown;
}

const channel = NetlinkChannel.open();
const addresses = new AddressManager(channel);
const routes = new RouteManager(channel);
const vmacs = new VmacManager(channel);
let watcher: LinkWatcher | undefined;

function write(obj: unknown): void {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

async function run(cmd: Command): Promise<unknown> {
  switch (cmd.op) {
    case 'list':
      return listInterfaces({ channel });
    case 'addVip':
      return addresses.add(cmd.arg as VipSpec);
    case 'removeVip':
      return addresses.remove(cmd.arg as VipSpec);
    case 'ownedVips':
      return addresses.owned;
    case 'removeOwnedVips':
      return (await addresses.removeOwned()).removed.length;
    case 'addRoute':
      return routes.add(cmd.arg as RouteSpec);
    case 'removeRoute':
      return routes.remove(cmd.arg as RouteSpec);
    case 'removeOwnedRoutes':
      return (await routes.removeOwned()).removed.length;
    case 'createVmac':
      return vmacs.create(cmd.arg as VmacSpec);
    case 'removeVmac':
      return vmacs.remove(cmd.arg as number);
    case 'removeOwnedVmacs':
      return (await vmacs.removeOwned()).removed.length;
    case 'watch':
      watcher = new LinkWatcher();
      watcher.onEvent((event) => write({ event }));
      await watcher.start();
      return true;
    case 'exit':
      watcher?.stop();
      channel.close();
      setImmediate(() => process.exit(0));
      return true;
    default:
      throw new Error(`unknown op ${cmd.op}`);
  }
}

// Commands run one at a time, in order.
let queue: Promise<void> = Promise.resolve();
const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const cmd = JSON.parse(line) as Command;
  queue = queue.then(() =>
    run(cmd).then(
      (value) => write({ id: cmd.id, ok: true, value }),
      (err: unknown) =>
        write({
          id: cmd.id,
          ok: false,
          error: err instanceof NetlinkError ? { code: err.code, errnoName: err.errnoName, message: err.message } : { message: String(err) },
        }),
    ),
  );
});
rl.on('close', () => {
  void queue.then(() => {
    watcher?.stop();
    channel.close();
  });
});
write({ ready: true });
