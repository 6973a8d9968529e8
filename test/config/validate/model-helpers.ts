/**
 * Models for validator unit tests, built from config text by the real reader and builder (so the
 * defaults are the builder's, never a hand-kept copy), then overridden per test so each test states only
 * what it is about. Positions are placed on the lines the factories' parameters name (blank lines pad
 * the text), because the validator's diagnostics carry them.
 */
import { DiagnosticSink } from '../../../src/core/diagnostics.js';
import { buildModel } from '../../../src/config/build/index.js';
import { readConfigText } from '../../../src/config/source/index.js';
import type {
  CheckerCommon,
  GlobalDefs,
  KeepalivedConfig,
  RealServer,
  ScriptSpec,
  SourcePos,
  VirtualIpAddress,
  VirtualServer,
  VrrpInstance,
  VrrpScript,
  VrrpSyncGroup,
} from '../../../src/config/model.js';

export const at = (line: number): SourcePos => ({ file: 'test.conf', line });

/** Config text whose `lines` start at line `first` (1-based) of test.conf. */
function placed(first: number, lines: readonly string[]): string {
  return `${'\n'.repeat(Math.max(0, first - 1))}${lines.join('\n')}\n`;
}

/** Builds text through the real reader + builder (diagnostics are the validator tests' business, not ours). */
function built(text: string): KeepalivedConfig {
  const read = readConfigText(text, 'test.conf');
  return buildModel(read.nodes, new DiagnosticSink());
}

function must<T>(x: T | undefined, what: string): T {
  if (x === undefined) throw new Error(`model-helpers: the builder produced no ${what}`);
  return x;
}

export function vip(address: string, line = 10, extra: Partial<VirtualIpAddress> = {}): VirtualIpAddress {
  const c = built(placed(line - 1, ['vrrp_instance VI_1 {', 'virtual_ipaddress {', address, '}', '}']));
  const v = must(c.vrrpInstances[0]?.virtualIpAddresses[0], `virtual_ipaddress ${address}`);
  return { ...v, ...extra };
}

export function script(commandLine: string, line = 3, user: string | null = null): ScriptSpec {
  const c = built(placed(line - 1, ['vrrp_script chk {', `script "${commandLine}"${user === null ? '' : ` ${user}`}`, '}']));
  return must(c.vrrpScripts[0]?.script ?? undefined, `script "${commandLine}"`);
}

/** VI_1 on eth0, VRID 51, state BACKUP, priority 100, VIP 10.0.0.1 on line 10: the builder's defaults elsewhere. */
export function instance(overrides: Partial<VrrpInstance> = {}): VrrpInstance {
  const c = built(
    placed(1, [
      'vrrp_instance VI_1 {',
      '    interface eth0',
      '    state BACKUP',
      '    virtual_router_id 51',
      '    priority 100',
      '',
      '',
      '',
      '    virtual_ipaddress {',
      '        10.0.0.1',
      '    }',
      '}',
    ]),
  );
  return { ...must(c.vrrpInstances[0], 'vrrp_instance'), ...overrides };
}

export function vrrpScript(name: string, commandLine: string | null, line = 3): VrrpScript {
  const c = built(placed(line, [`vrrp_script ${name} {`, ...(commandLine === null ? [] : [`    script "${commandLine}"`]), '}']));
  return must(c.vrrpScripts[0], `vrrp_script ${name}`);
}

export function syncGroup(name: string, members: readonly string[], line = 1): VrrpSyncGroup {
  const c = built(placed(line, [`vrrp_sync_group ${name} {`, '    group {', ...members.map((m) => `        ${m}`), '    }', '}']));
  return must(c.syncGroups[0], `vrrp_sync_group ${name}`);
}

/** A real server (NAT, weight 1) of a virtual server on line 15; the real server starts on `line`. */
export function realServer(address: string, port: number, line = 20, overrides: Partial<RealServer> = {}): RealServer {
  const c = built(placed(15, ['virtual_server 10.0.0.100 80 {', ...Array<string>(Math.max(0, line - 16)).fill(''), `    real_server ${address} ${port} {`, '    }', '}']));
  return { ...must(c.virtualServers[0]?.realServers[0], `real_server ${address} ${port}`), ...overrides };
}

/** A virtual server on line 15 (lb_algo wlc, lb_kind NAT, protocol TCP) holding `realServers`. */
export function virtualServer(address: string, port: number, realServers: readonly RealServer[], overrides: Partial<VirtualServer> = {}): VirtualServer {
  const c = built(placed(15, [`virtual_server ${address} ${port} {`, '    lb_algo wlc', '    lb_kind NAT', '    protocol TCP', '}']));
  return { ...must(c.virtualServers[0], `virtual_server ${address} ${port}`), realServers, ...overrides };
}

/** The common part of a checker on line 22, defaults resolved by the builder (TCP_CHECK's, kind excluded). */
export const checkerCommon: CheckerCommon = (() => {
  const c = built(placed(15, ['virtual_server 10.0.0.100 80 {', ...Array<string>(4).fill(''), '    real_server 10.0.0.2 80 {', '        TCP_CHECK {', '        }', '    }', '}']));
  const tcp = must(c.virtualServers[0]?.realServers[0]?.checkers[0], 'TCP_CHECK');
  if (tcp.kind !== 'TCP_CHECK') throw new Error(`model-helpers: expected a TCP_CHECK, got ${tcp.kind}`);
  const { kind: _kind, ...common } = tcp;
  return common;
})();

export function globalDefs(overrides: Partial<GlobalDefs> = {}): GlobalDefs {
  return { ...built('').globalDefs, ...overrides };
}

export function config(overrides: Partial<KeepalivedConfig> = {}): KeepalivedConfig {
  return { ...built(''), ...overrides };
}
