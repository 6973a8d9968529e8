// Root-level `net_namespace NAME` as keepalived 2.2.7's net_namespace_handler reads it (the CLI enters the
// namespace: src/cli/namespace.ts).
import { describe, expect, it } from 'vitest';
import { build } from './helpers.js';

describe('net_namespace (root level)', () => {
  it('is kept in globalDefs; a second one or a missing name is reported', () => {
    expect(build('net_namespace blue\n').config.globalDefs.netNamespace).toBe('blue');
    const dup = build('net_namespace blue\nnet_namespace red\n');
    expect([dup.config.globalDefs.netNamespace, dup.codes]).toEqual(['blue', ['KTS_DUPLICATE']]);
    const missing = build('net_namespace\n');
    expect([missing.config.globalDefs.netNamespace, missing.codes]).toEqual([null, ['KTS_MISSING_PARAMETER']]);
  });
});
