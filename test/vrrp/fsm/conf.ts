/** Test helper: keepalived.conf text → VRRP runtime params through the real config pipeline (no host checks). */
import { DiagnosticSink } from '../../../src/core/diagnostics.js';
import type { Diagnostic } from '../../../src/core/diagnostics.js';
import { buildModel } from '../../../src/config/build/index.js';
import { readConfigText } from '../../../src/config/source/index.js';
import { validateConfig } from '../../../src/config/validate/index.js';
import { vrrpParamsFromConfig } from '../../../src/vrrp/params-from-config.js';
import type { VrrpRuntimeParams } from '../../../src/vrrp/params-from-config.js';

export function paramsFromConfText(text: string): { runtime: VrrpRuntimeParams; diagnostics: readonly Diagnostic[] } {
  const read = readConfigText(text, '/tmp/kts-h5-test/keepalived.conf', { configId: 'test', env: {} });
  const sink = new DiagnosticSink();
  for (const d of read.diagnostics) sink.add(d);
  const cfg = buildModel(read.nodes, sink);
  const effective = validateConfig(cfg, null, sink, { tree: read.nodes });
  return { runtime: vrrpParamsFromConfig(cfg, effective), diagnostics: sink.items };
}
