/** Test helpers: text → model + diagnostics through the real reader. */
import { DiagnosticSink, type Diagnostic } from '../../../src/core/diagnostics.js';
import { buildModel } from '../../../src/config/build/index.js';
import type { KeepalivedConfig } from '../../../src/config/model.js';
import { readConfigText } from '../../../src/config/source/index.js';

export interface Built {
  readonly config: KeepalivedConfig;
  readonly diags: readonly Diagnostic[];
  /** Diagnostics other than 'info'. */
  readonly problems: readonly Diagnostic[];
  readonly codes: readonly string[];
}

export function build(text: string): Built {
  const read = readConfigText(text, 'test.conf');
  const sink = new DiagnosticSink();
  const config = buildModel(read.nodes, sink);
  const diags = [...read.diagnostics, ...sink.items];
  const problems = diags.filter((d) => d.severity !== 'info');
  return { config, diags, problems, codes: problems.map((d) => d.code) };
}

/** Build and require no problems (fails with the messages otherwise). */
export function buildClean(text: string): KeepalivedConfig {
  const b = build(text);
  if (b.problems.length > 0) throw new Error(`unexpected diagnostics:\n${b.problems.map((d) => `${d.line ?? '?'}: ${d.message} [${d.code}]`).join('\n')}`);
  return b.config;
}

export function vrrp(body: string, name = 'VI_1'): string {
  return `vrrp_instance ${name} {\n  interface eth0\n  virtual_router_id 51\n${body}\n}\n`;
}
