/**
 * keepalived's `local_name` (get_local_name): the canonical name of uname's node name, as
 * getaddrinfo(AI_CANONNAME) reports it. It is the default router_id, smtp_helo_name and the host part
 * of the default notification_email_from (`<user>@<local_name>`). Node has no AI_CANONNAME, so the
 * files backend is reproduced: the first name of the /etc/hosts line listing the host name, else the
 * host name itself. Never throws.
 */
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';

/** The canonical name of `host` according to an /etc/hosts text; null when no line lists it. */
export function canonicalFromHosts(hostsText: string, host: string): string | null {
  for (const raw of hostsText.split('\n')) {
    const names = (raw.split('#')[0] ?? '').trim().split(/\s+/).slice(1);
    if (names.some((n) => n.toLowerCase() === host.toLowerCase())) return names[0] ?? null;
  }
  return null;
}

export function localName(hostsPath = '/etc/hosts'): string {
  const host = hostname();
  try {
    return canonicalFromHosts(readFileSync(hostsPath, 'utf8'), host) ?? host;
  } catch {
    return host;
  }
}

/** The daemon user's name (getpwuid(getuid())), for the default notification_email_from. */
export function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}
