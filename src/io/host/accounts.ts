/**
 * Users and groups from /etc/passwd and /etc/group (the files keepalived's getpwnam/getgrnam read on a
 * plain Linux host; NSS modules are out of scope). Parsing never throws: malformed lines are skipped.
 */
import { readFile } from 'node:fs/promises';
import type { HostGroup, HostUser } from './types.js';

/** Parses passwd(5) text: `name:x:uid:gid:gecos:home:shell`. */
export function parsePasswd(text: string): HostUser[] {
  const out: HostUser[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    const name = f[0];
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (name === undefined || name === '' || f.length < 4 || !Number.isInteger(uid) || !Number.isInteger(gid)) continue;
    out.push({ name, uid, gid });
  }
  return out;
}

/** Parses group(5) text: `name:x:gid:members`. */
export function parseGroup(text: string): HostGroup[] {
  const out: HostGroup[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    const name = f[0];
    const gid = Number(f[2]);
    if (name === undefined || name === '' || f.length < 3 || !Number.isInteger(gid)) continue;
    out.push({ name, gid });
  }
  return out;
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return '';
  }
}

export async function readAccounts(passwdPath = '/etc/passwd', groupPath = '/etc/group'): Promise<{ users: HostUser[]; groups: HostGroup[] }> {
  const [p, g] = await Promise.all([readOrEmpty(passwdPath), readOrEmpty(groupPath)]);
  return { users: parsePasswd(p), groups: parseGroup(g) };
}
