/**
 * Logging flags: keepalived's -S/-G/-l/-g spellings, keepalived-ts's --debug-categories (which must not
 * collide with keepalived's own --debug[=Ulll]) and the KTS_DEBUG fallback parser.
 */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/options.js';
import type { DaemonOptions } from '../../src/cli/options.js';
import { run } from '../../src/cli/main.js';
import { debugCategoriesFromEnvValue, parseDebugCategories } from '../../src/core/debug-categories.js';

function daemonOptions(args: readonly string[]): DaemonOptions {
  const cmd = parseCommandLine(args);
  if (cmd.kind !== 'daemon') throw new Error(`${cmd.kind}: ${cmd.kind === 'usageError' ? cmd.message : ''}`);
  return cmd.options;
}

function usageError(args: readonly string[]): string {
  const cmd = parseCommandLine(args);
  if (cmd.kind !== 'usageError') throw new Error(`expected a usage error, got ${cmd.kind}`);
  return cmd.message;
}

describe('--debug-categories', () => {
  it('takes a comma list in either option form, in canonical order', () => {
    expect(daemonOptions(['-n', '--debug-categories=fsm,packet']).debugCategories).toEqual(['packet', 'fsm']);
    expect(daemonOptions(['-n', '--debug-categories', 'netlink']).debugCategories).toEqual(['netlink']);
    expect(daemonOptions(['--debug-categories=ARP,arp,checker']).debugCategories).toEqual(['arp', 'checker']);
  });

  it('all = every category', () => {
    expect(daemonOptions(['--debug-categories=all']).debugCategories).toEqual(['packet', 'fsm', 'netlink', 'arp', 'checker']);
  });

  it('is null when absent (KTS_DEBUG then applies)', () => {
    expect(daemonOptions(['-n']).debugCategories).toBeNull();
  });

  it('rejects unknown and empty names as a usage error (exit 1, like other bad options)', async () => {
    expect(usageError(['--debug-categories=packet,bogus'])).toMatch(/Invalid debug category 'bogus'/);
    expect(usageError(['--debug-categories='])).toMatch(/Invalid debug category/);
    expect(usageError(['--debug-categories'])).toMatch(/argument missing/);
    const err: string[] = [];
    const code = await run(['-n', '--debug-categories=pkt'], { stdout: () => undefined, stderr: (t) => void err.push(t), writeFile: () => undefined });
    expect(code).toBe(1);
    expect(err.join('')).toContain("'pkt'");
  });

  it("keepalived's own --debug[=options] is still accepted and does not set categories", () => {
    expect(daemonOptions(['-n', '--debug=DvEcvNR']).debugCategories).toBeNull();
    expect(daemonOptions(['-n', '--debug', '--debug-categories=fsm']).debugCategories).toEqual(['fsm']);
  });
});

describe('syslog flags', () => {
  it('-S / --log-facility keep the facility text; -G / --no-syslog set noSyslog', () => {
    expect(daemonOptions(['-S', 'local3']).logFacility).toBe('local3');
    expect(daemonOptions(['--log-facility=5']).logFacility).toBe('5');
    expect(daemonOptions([]).logFacility).toBeNull();
    expect(daemonOptions(['-G']).noSyslog).toBe(true);
    expect(daemonOptions(['--no-syslog']).noSyslog).toBe(true);
    expect(daemonOptions([]).noSyslog).toBe(false);
  });

  it('rejects facilities keepalived rejects', () => {
    expect(usageError(['-S', '8'])).toMatch(/Invalid log facility '8'/);
    expect(usageError(['-S', 'kern'])).toMatch(/Invalid log facility/);
  });

  it('-l with -g keeps both', () => {
    const o = daemonOptions(['-l', '-g/tmp/k.log']);
    expect([o.logConsole, o.logFile]).toEqual([true, '/tmp/k.log']);
  });
});

describe('KTS_DEBUG fallback', () => {
  it('parses like the flag but ignores unknown names instead of failing', () => {
    expect(debugCategoriesFromEnvValue(undefined)).toEqual([]);
    expect(debugCategoriesFromEnvValue('')).toEqual([]);
    expect(debugCategoriesFromEnvValue('fsm,typo,packet')).toEqual(['packet', 'fsm']);
    expect(debugCategoriesFromEnvValue('all')).toEqual(['packet', 'fsm', 'netlink', 'arp', 'checker']);
    expect(debugCategoriesFromEnvValue('typo')).toEqual([]);
  });

  it('the strict parser reports the first bad word', () => {
    expect(parseDebugCategories('fsm, packet')).toEqual({ ok: true, categories: ['packet', 'fsm'] });
    expect(parseDebugCategories('fsm,nope,also')).toEqual({ ok: false, invalid: 'nope' });
  });
});
