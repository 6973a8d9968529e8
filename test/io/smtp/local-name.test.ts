import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalFromHosts, localName } from '../../../src/io/smtp/local-name.js';

describe('local name (getaddrinfo AI_CANONNAME, files backend)', () => {
  it('is the first name of the hosts line listing the host', () => {
    const hosts = '127.0.0.1 localhost\n# 10.0.0.1 lb1\n10.0.0.2 lb1.example.com lb1 # primary\n';
    expect(canonicalFromHosts(hosts, 'lb1')).toBe('lb1.example.com');
    expect(canonicalFromHosts(hosts, 'LB1.example.com')).toBe('lb1.example.com');
    expect(canonicalFromHosts(hosts, 'other')).toBeNull();
  });

  it('falls back to the host name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kts-hosts-'));
    const empty = join(dir, 'hosts');
    writeFileSync(empty, '127.0.0.1 localhost\n');
    expect(localName(empty)).toBe(hostname());
    expect(localName(join(dir, 'missing'))).toBe(hostname());
    writeFileSync(empty, `10.1.1.1 canon.example ${hostname()}\n`);
    expect(localName(empty)).toBe('canon.example');
  });
});
