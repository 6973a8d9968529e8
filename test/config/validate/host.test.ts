import { describe, expect, it } from 'vitest';
import { DiagnosticSink, exitCodeFor } from '../../../src/core/diagnostics.js';
import { ValidateCode, isInsecurePath, validateConfig } from '../../../src/config/validate/index.js';
import { at, checkerCommon, config, globalDefs, instance, realServer, script, vip, virtualServer, vrrpScript } from './model-helpers.js';
import { fakeHost } from './fake-host.js';

const trackedScript = (name: string) => [{ name, pos: at(12), weight: null, reverse: false }];

describe('interface existence', () => {
  it('warns per missing interface, then fails with "Non-existent interface"', () => {
    const sink = new DiagnosticSink();
    const vi = instance({ interface: { name: 'eth9', pos: at(6) }, trackInterfaces: [{ name: 'eth7', pos: at(8), weight: null, reverse: false }] });
    validateConfig(config({ vrrpInstances: [vi] }), fakeHost({}), sink);
    expect(sink.items.map((d) => d.code)).toEqual([ValidateCode.INTERFACE_MISSING, ValidateCode.TRACK_INTERFACE_MISSING, ValidateCode.BAD_INTERFACE]);
    expect(sink.items[0]?.message).toBe("WARNING - interface eth9 for vrrp_instance VI_1 doesn't exist");
    // keepalived's WARNING counts as an error (5) and masks CONFIG_BAD_IF (4).
    expect(exitCodeFor(sink.items)).toBe(5);
  });

  it('stops the VRRP completion checks after a missing interface, but not the checker side', () => {
    const sink = new DiagnosticSink();
    const vi = instance({
      interface: { name: 'eth9', pos: at(6) },
      nopreempt: true,
      priority: 255,
      virtualIpAddresses: [vip('10.0.0.1', 10), vip('2001:db8::1', 11)],
      notify: { ...instance().notify, master: script('/bin/true') },
    });
    const vs = virtualServer('10.0.0.5', 80, []);
    validateConfig(config({ vrrpInstances: [vi, instance({ name: 'VI_2' })], virtualServers: [vs] }), fakeHost({ files: { '/bin/true': { mode: 0o755 } } }), sink);
    expect(sink.items.map((d) => d.code)).toEqual([
      ValidateCode.LVS_NO_REAL_SERVERS,
      ValidateCode.INTERFACE_MISSING,
      ValidateCode.BAD_INTERFACE,
      ValidateCode.FAMILY_MISMATCH,
    ]);
  });

  it('checks VIP devices', () => {
    const sink = new DiagnosticSink();
    validateConfig(config({ vrrpInstances: [instance({ virtualIpAddresses: [vip('10.0.0.1', 10, { dev: 'eth5' })] })] }), fakeHost({}), sink);
    expect(sink.items.map((d) => d.code)).toEqual([ValidateCode.VIP_INTERFACE_MISSING, ValidateCode.BAD_INTERFACE]);
  });

  it('checks route devices', () => {
    const sink = new DiagnosticSink();
    const route = {
      to: '10.60.0.0',
      family: 'inet' as const,
      prefixLen: 16,
      type: 'unicast',
      via: '10.0.0.254',
      src: null,
      dev: 'eth7',
      table: null,
      metric: null,
      scope: null,
      protocol: null,
      onlink: false,
      noTrack: false,
      otherOptions: [],
      pos: at(12),
    };
    validateConfig(config({ staticRoutes: [route] }), fakeHost({}), sink);
    expect(sink.items.map((d) => d.message)).toEqual([
      "WARNING - interface eth7 for VROUTE nexthop doesn't exist",
      'Non-existent interface specified in configuration',
    ]);
  });

  it('skips interface checks with dynamic_interfaces or without a host', () => {
    const vi = instance({ interface: { name: 'eth9', pos: at(6) } });
    const dyn = new DiagnosticSink();
    validateConfig(config({ globalDefs: globalDefs({ dynamicInterfaces: true }), vrrpInstances: [vi] }), fakeHost({}), dyn);
    expect(dyn.items).toEqual([]);
    const none = new DiagnosticSink();
    validateConfig(config({ vrrpInstances: [vi] }), null, none);
    expect(none.items).toEqual([]);
  });
});

describe('script security', () => {
  const files = { '/bin/true': { mode: 0o755 }, '/tmp/w': { mode: 0o777, dir: true }, '/tmp/w/s.sh': { mode: 0o755 } };

  it('reports scripts without enable_script_security as a security problem (exit 6)', () => {
    const sink = new DiagnosticSink();
    validateConfig(config({ vrrpScripts: [vrrpScript('chk', '/bin/true')], vrrpInstances: [instance({ trackScripts: trackedScript('chk') })] }), fakeHost({ files }), sink);
    expect(sink.items.map((d) => d.code)).toEqual([ValidateCode.SCRIPT_SECURITY_DISABLED]);
    expect(exitCodeFor(sink.items)).toBe(6);
  });

  it('applies the configuration-only rule without a host view', () => {
    const sink = new DiagnosticSink();
    const vi = instance({ notify: { ...instance().notify, master: script('/usr/local/bin/notify.sh master') } });
    validateConfig(config({ vrrpInstances: [vi] }), null, sink);
    expect(exitCodeFor(sink.items)).toBe(6);
  });

  it('disables a vrrp_script whose program does not exist, silently skips a missing notify script', () => {
    const sink = new DiagnosticSink();
    const vi = instance({ trackScripts: trackedScript('chk'), notify: { ...instance().notify, master: script('/nonexistent/notify') } });
    validateConfig(config({ vrrpScripts: [vrrpScript('chk', '/nonexistent/check')], vrrpInstances: [vi] }), fakeHost({ files }), sink);
    expect(sink.items.map((d) => d.message)).toEqual(['Disabling track script chk since not found/accessible']);
    expect(exitCodeFor(sink.items)).toBe(5);
  });

  it('with enable_script_security, disables tracked scripts in world-writable directories', () => {
    const sink = new DiagnosticSink();
    const g = globalDefs({ enableScriptSecurity: true, scriptUser: { user: 'root', group: null, pos: at(2) } });
    validateConfig(
      config({ globalDefs: g, vrrpScripts: [vrrpScript('chk', '/tmp/w/s.sh')], vrrpInstances: [instance({ trackScripts: trackedScript('chk') })] }),
      fakeHost({ files }),
      sink,
    );
    expect(sink.items.map((d) => d.message)).toEqual(['Disabling track script chk due to insecure']);
  });

  it('with enable_script_security and no keepalived_script user, removes scripts lacking a user', () => {
    const sink = new DiagnosticSink();
    const g = globalDefs({ enableScriptSecurity: true });
    validateConfig(
      config({ globalDefs: g, vrrpScripts: [vrrpScript('chk', '/bin/true')], vrrpInstances: [instance({ trackScripts: trackedScript('chk') })] }),
      fakeHost({ files }),
      sink,
    );
    expect(sink.items.map((d) => d.code)).toEqual([ValidateCode.SCRIPT_DEFAULT_USER, ValidateCode.SCRIPT_USER_REMOVED, ValidateCode.SCRIPT_USER_REMOVED]);
    expect(exitCodeFor(sink.items)).toBe(5);
  });

  it('uses keepalived_script as default user when it exists', () => {
    const sink = new DiagnosticSink();
    const g = globalDefs({ enableScriptSecurity: true });
    const users = [
      { name: 'root', uid: 0, gid: 0 },
      { name: 'keepalived_script', uid: 990, gid: 990 },
    ];
    validateConfig(
      config({ globalDefs: g, vrrpScripts: [vrrpScript('chk', '/bin/true')], vrrpInstances: [instance({ trackScripts: trackedScript('chk') })] }),
      fakeHost({ files, users }),
      sink,
    );
    expect(sink.items).toEqual([]);
  });

  it('reports a script_user that does not exist', () => {
    const sink = new DiagnosticSink();
    validateConfig(config({ globalDefs: globalDefs({ scriptUser: { user: 'nobody_here', group: null, pos: at(3) } }) }), fakeHost({}), sink);
    expect(sink.items.map((d) => d.message)).toEqual(['Error setting global script uid/gid']);
  });

  it('removes scripts without their own user when script_user does not exist', () => {
    const sink = new DiagnosticSink();
    const g = globalDefs({ scriptUser: { user: 'nobody_here', group: null, pos: at(2) } });
    const vi = instance({ trackScripts: trackedScript('chk'), notify: { ...instance().notify, master: script('/bin/true') } });
    validateConfig(config({ globalDefs: g, vrrpScripts: [vrrpScript('chk', '/bin/true')], vrrpInstances: [vi] }), fakeHost({ files }), sink);
    expect(sink.items.map((d) => d.message)).toEqual([
      'Error setting global script uid/gid',
      'Unable to set default user for vrrp script chk - removing',
      '(VI_1) track script chk not found, ignoring...',
    ]);
    expect(exitCodeFor(sink.items)).toBe(5);
  });

  it('does not count scripts of virtual servers keepalived drops', () => {
    const sink = new DiagnosticSink();
    const misc = { kind: 'MISC_CHECK' as const, miscPath: script('/bin/true'), miscTimeoutUs: null, miscDynamic: false, user: null, group: null };
    const rs = realServer('2001:db8::2', 80, 20, { checkers: [{ ...checkerCommon, ...misc }] });
    validateConfig(config({ virtualServers: [virtualServer('10.0.0.1', 80, [rs], { quorumUp: script('/bin/true up') })] }), fakeHost({ files }), sink);
    expect(sink.items.map((d) => d.code)).toEqual([ValidateCode.LVS_RS_FAMILY, ValidateCode.LVS_NO_REAL_SERVERS]);
  });

  it('handles per-script users like keepalived: vrrp_script and MISC_CHECK report, notify is silently dropped', () => {
    const sink = new DiagnosticSink();
    const chk = { ...vrrpScript('chk', '/bin/true'), user: 'ghost' };
    const misc = { kind: 'MISC_CHECK' as const, miscPath: script('/bin/true'), miscTimeoutUs: null, miscDynamic: false, user: 'ghost', group: null };
    const rs = realServer('10.0.0.2', 80, 20, { checkers: [{ ...checkerCommon, ...misc }] });
    const vi = instance({ trackScripts: trackedScript('chk'), notify: { ...instance().notify, master: script('/bin/true', 5, 'ghost') } });
    validateConfig(config({ vrrpScripts: [chk], vrrpInstances: [vi], virtualServers: [virtualServer('10.0.0.1', 80, [rs])] }), fakeHost({ files }), sink);
    expect(sink.items.map((d) => d.message)).toEqual([
      "Failed to set uid/gid for misc checker script '/bin/true' - removing",
      "Unable to set uid/gid for script '/bin/true'",
      '(VI_1) track script chk not found, ignoring...',
    ]);
  });

  it('ignores words after the misc_path command', () => {
    const sink = new DiagnosticSink();
    const path = script('/bin/true ghost', 21, 'ghost');
    const misc = { kind: 'MISC_CHECK' as const, miscPath: { ...path, argv: ['/bin/true'] }, miscTimeoutUs: null, miscDynamic: false, user: 'ghost', group: null };
    const rs = realServer('10.0.0.2', 80, 20, { checkers: [{ ...checkerCommon, ...misc }] });
    validateConfig(config({ virtualServers: [virtualServer('10.0.0.1', 80, [rs])] }), fakeHost({ files }), sink);
    expect(sink.items.map((d) => d.code)).toEqual([ValidateCode.CHECK_SCRIPT_SECURITY_DISABLED]);
  });

  it('finds commands without a slash on the search path', () => {
    const sink = new DiagnosticSink();
    validateConfig(config({ vrrpScripts: [vrrpScript('chk', 'true')], vrrpInstances: [instance({ trackScripts: trackedScript('chk') })] }), fakeHost({ files }), sink);
    expect(sink.items.map((d) => d.code)).toEqual([ValidateCode.SCRIPT_SECURITY_DISABLED]);
  });

  it('judges path security by owner, world/group write bits and the sticky bit', () => {
    const host = fakeHost({
      files: {
        '/bin/true': { mode: 0o755 },
        '/tmp/ok.sh': { mode: 0o755 },
        '/tmp/ww.sh': { mode: 0o757 },
        '/tmp/nobody.sh': { mode: 0o755, uid: 65534 },
        '/g': { mode: 0o775, dir: true, gid: 100 },
        '/g/s.sh': { mode: 0o755 },
      },
    });
    expect(isInsecurePath(host, '/bin/true', 0, 0)).toBe(false);
    expect(isInsecurePath(host, '/tmp/ok.sh', 0, 0)).toBe(false);
    expect(isInsecurePath(host, '/tmp/ww.sh', 0, 0)).toBe(true);
    expect(isInsecurePath(host, '/tmp/nobody.sh', 0, 0)).toBe(true);
    expect(isInsecurePath(host, '/tmp/nobody.sh', 65534, 0)).toBe(false);
    expect(isInsecurePath(host, '/g/s.sh', 0, 0)).toBe(true);
  });
});
