import { describe, expect, it } from 'vitest';
import { validateJsonSchema, type JsonSchema } from '../../src/ops/json-schema-lite.js';
import { STATUS_SCHEMA_VERSION, monotonicToIso, statusJsonSchema, validateStatusDocument } from '../../src/ops/status-schema.js';
import { renderStatusText } from '../../src/ops/status-text.js';
import { SAMPLE_STATUS } from './status-sample.js';

/** Deep copy with one change applied at a path. */
function mutate(path: readonly (string | number)[], value: unknown): unknown {
  const doc = JSON.parse(JSON.stringify(SAMPLE_STATUS)) as Record<string, unknown>;
  let node: Record<string | number, unknown> = doc;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return doc;
}

describe('status schema', () => {
  it('accepts the sample document (also after a JSON round trip)', () => {
    expect(validateStatusDocument(SAMPLE_STATUS)).toEqual({ ok: true, doc: SAMPLE_STATUS });
    expect(validateStatusDocument(JSON.parse(JSON.stringify(SAMPLE_STATUS))).ok).toBe(true);
  });

  it.each([
    [['vrrp', 'instances', 0, 'state'], 'LEADER', '/vrrp/instances/0/state'],
    [['vrrp', 'instances', 0, 'vrid'], 0, '/vrrp/instances/0/vrid'],
    [['vrrp', 'instances', 0, 'priority', 'effective'], 256, '/vrrp/instances/0/priority/effective'],
    [['vrrp', 'instances', 0, 'priority', 'base'], 1.5, '/vrrp/instances/0/priority/base'],
    [['vrrp', 'instances', 0, 'vips'], undefined, '/vrrp/instances/0/vips'],
    [['vrrp', 'instances', 0, 'extra'], 1, '/vrrp/instances/0/extra'],
    [['vrrp', 'instances', 0, 'lastTransition', 'at'], 'yesterday', '/vrrp/instances/0/lastTransition/at'],
    [['vrrp', 'instances', 0, 'splitBrain', 0, 'kind'], 'evil-twin', '/vrrp/instances/0/splitBrain/0/kind'],
    [['vrrp', 'instances', 1, 'trackers', 0, 'type'], 'bgp', '/vrrp/instances/1/trackers/0/type'],
    [['virtualServers', 0, 'realServers', 1, 'port'], 70000, '/virtualServers/0/realServers/1/port'],
    [['virtualServers', 0, 'protocol'], 'ICMP', '/virtualServers/0/protocol'],
    [['virtualServers', 0, 'sorryServer', 'active'], 'no', '/virtualServers/0/sorryServer/active'],
    [['generator', 'name'], 'keepalived', '/generator/name'],
    [['daemon', 'pid'], 0, '/daemon/pid'],
  ] as const)('rejects %j = %j', (path, value, where) => {
    const r = validateStatusDocument(mutate(path, value));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('KTS_STATUS_SCHEMA');
      expect(r.errors.map((e) => e.path)).toContain(where);
    }
  });

  it('accepts nullable fields as null, stats as absent', () => {
    expect(validateStatusDocument(mutate(['vrrp', 'instances', 0, 'lastTransition'], null)).ok).toBe(true);
    expect(validateStatusDocument(mutate(['vrrp', 'instances', 0, 'stats'], undefined)).ok).toBe(true);
    expect(validateStatusDocument(mutate(['virtualServers', 0, 'sorryServer'], null)).ok).toBe(true);
    expect(validateStatusDocument(mutate(['virtualServers', 0, 'protocol'], null)).ok).toBe(true);
  });

  it('reports an unknown schemaVersion separately', () => {
    const r = validateStatusDocument(mutate(['schemaVersion'], 2));
    expect(r).toMatchObject({ ok: false, code: 'KTS_STATUS_VERSION' });
    expect(validateStatusDocument('nope')).toMatchObject({ ok: false, code: 'KTS_STATUS_VERSION' });
  });

  it('is a self-contained JSON document with a versioned $id', () => {
    const text = JSON.stringify(statusJsonSchema);
    const back = JSON.parse(text) as JsonSchema;
    expect(back.$id).toBe(`urn:keepalived-ts:status:${STATUS_SCHEMA_VERSION}`);
    expect(back.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(validateJsonSchema(back, SAMPLE_STATUS)).toEqual([]);
    for (const ref of text.match(/"\$ref":"[^"]+"/g) ?? []) {
      const name = /#\/\$defs\/([^"]+)/.exec(ref)?.[1];
      expect(name !== undefined && back.$defs?.[name]).toBeTruthy();
    }
  });
});

describe('json-schema-lite', () => {
  it('type lists, integer vs number, const, anyOf, additionalProperties schema, minItems, unresolved $ref', () => {
    expect(validateJsonSchema({ type: ['integer', 'null'] }, 1.5)).toHaveLength(1);
    expect(validateJsonSchema({ type: 'number' }, Infinity)).toHaveLength(1);
    expect(validateJsonSchema({ const: 3 }, 3)).toEqual([]);
    expect(validateJsonSchema({ anyOf: [{ type: 'string' }, { type: 'null' }] }, 1)).not.toEqual([]);
    expect(validateJsonSchema({ type: 'object', additionalProperties: { type: 'string' } }, { a: 'x', b: 2 })).toEqual([
      { path: '/b', message: 'expected string, got number' },
    ]);
    expect(validateJsonSchema({ type: 'array', minItems: 1 }, [])).toHaveLength(1);
    expect(validateJsonSchema({ $ref: '#/$defs/none' }, 1)[0]?.message).toMatch(/unresolvable/);
  });
});

describe('status text', () => {
  const text = renderStatusText(SAMPLE_STATUS);

  it('shows every instance with state, priorities, master, VIPs, last transition and trackers', () => {
    expect(text).toContain('VI_1  MASTER  VRID 51 on eth0 IPv4 VRRPv2  priority 102 (base 100)');
    expect(text).toMatch(/master: +192\.168\.1\.10 \(priority 102\)/);
    expect(text).toContain('192.168.1.100/24 dev eth0 (installed)');
    expect(text).toContain('BACKUP -> MASTER at 2026-11-25T10:00:04.120Z (master down timer expired); 2 transitions');
    expect(text).toContain('script chk_haproxy weight 2 up (+2)');
    expect(text).toContain('interface eth1 weight 0 up (fault on failure)');
    expect(text).toContain('file maint weight -10 down (-10)');
    expect(text).toContain('WARNING:      dual-master with 192.168.1.11 since 2026-11-25T10:39:58.000Z');
    expect(text).toMatch(/VI_6 {2}FAULT[^\n]*\n +master: +unknown/);
    expect(text).toContain('faults:       interface eth0 down');
    expect(text).toContain('excluded VIPs:fd00::200 dev eth2');
    expect(text).toContain('G1  FAULT  members VI_6');
  });

  it('shows virtual servers with real servers, weights and check results', () => {
    expect(text).toContain('[192.168.1.100]:tcp:80  wrr  quorum up (alive weight 3, required 1)');
    expect(text).toContain('sorry server 192.168.1.250:80 standby');
    expect(text).toContain('192.168.1.21:80  UP    weight 3/3  HTTP_GET up (4.2 ms)');
    expect(text).toContain('[fd00::22]:8080  DOWN  weight 0/1  TCP_CHECK down (connection refused)');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('renders an empty daemon', () => {
    const empty = renderStatusText({ ...SAMPLE_STATUS, vrrp: { instances: [], syncGroups: [] }, virtualServers: [] });
    expect(empty).toContain('VRRP instances (0)\n  none');
    expect(empty).toContain('Virtual servers (0)\n  none');
    expect(empty).not.toContain('Sync groups');
  });
});

describe('monotonicToIso', () => {
  it('maps a monotonic instant onto wall time', () => {
    expect(monotonicToIso(5_000_000, 7_000_000, Date.UTC(2026, 10, 25, 10, 0, 10))).toBe('2026-11-25T10:00:08.000Z');
  });
});
