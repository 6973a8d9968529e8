/**
 * `script_user USER [[:]GROUP]` → numeric uid/gid, read from passwd/group files (the root is
 * injectable for tests). Unknown users or groups are reported as KTS_SCRIPT_USER_UNKNOWN, as
 * keepalived refuses such a configuration. Numeric ids are accepted as such.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ScriptCredentials {
  readonly uid: number;
  readonly gid: number;
  readonly user: string;
}

export class ScriptUserError extends Error {
  readonly code = 'KTS_SCRIPT_USER_UNKNOWN';
  constructor(message: string) {
    super(message);
    this.name = 'ScriptUserError';
  }
}

interface DbEntry {
  readonly name: string;
  readonly id: number;
  readonly gid?: number;
}

/** Parse passwd(5) (name:pw:uid:gid:…) or group(5) (name:pw:gid:members) text. */
export function parseIdDatabase(text: string, kind: 'passwd' | 'group'): DbEntry[] {
  const out: DbEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    const name = f[0];
    const id = Number(f[2]);
    if (name === undefined || name === '' || !Number.isInteger(id)) continue;
    const gid = kind === 'passwd' ? Number(f[3]) : undefined;
    out.push(gid === undefined || !Number.isInteger(gid) ? { name, id } : { name, id, gid });
  }
  return out;
}

function lookup(db: DbEntry[], nameOrId: string): DbEntry | undefined {
  if (/^\d+$/.test(nameOrId)) {
    const id = Number(nameOrId);
    return db.find((e) => e.id === id) ?? { name: nameOrId, id };
  }
  return db.find((e) => e.name === nameOrId);
}

/**
 * Resolve `user` and optional `group` (a leading ':' is allowed, as in keepalived's syntax).
 * Without a group, the user's primary group is used.
 */
export function resolveScriptUser(user: string, group?: string, etcDir = '/etc'): ScriptCredentials {
  const passwd = parseIdDatabase(readFileSync(join(etcDir, 'passwd'), 'utf8'), 'passwd');
  const u = lookup(passwd, user);
  if (u === undefined) throw new ScriptUserError(`script_user: unknown user ${user}`);
  let gid = u.gid;
  if (group !== undefined && group.replace(/^:/, '') !== '') {
    const groups = parseIdDatabase(readFileSync(join(etcDir, 'group'), 'utf8'), 'group');
    const g = lookup(groups, group.replace(/^:/, ''));
    if (g === undefined) throw new ScriptUserError(`script_user: unknown group ${group}`);
    gid = g.id;
  }
  if (gid === undefined) throw new ScriptUserError(`script_user: no primary group for ${user}`);
  return { uid: u.id, gid, user: u.name };
}
