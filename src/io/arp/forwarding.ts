/**
 * Whether an interface forwards IPv6 (→ the Router flag in unsolicited NAs, as keepalived sets it):
 * /proc/sys/net/ipv6/conf/<ifname>/forwarding. The proc root is injectable for tests; a missing or
 * unreadable file counts as "not forwarding".
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function ipv6Forwarding(interfaceName: string, procRoot = '/proc'): boolean {
  try {
    const text = readFileSync(join(procRoot, 'sys/net/ipv6/conf', interfaceName, 'forwarding'), 'utf8');
    return text.trim() !== '0';
  } catch {
    return false;
  }
}
