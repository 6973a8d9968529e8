/** Test helpers for the checker subsystem: keepalived.conf text → model through the real reader/builder. */
import { DiagnosticSink } from '../../src/core/diagnostics.js';
import { buildModel } from '../../src/config/build/index.js';
import type { KeepalivedConfig } from '../../src/config/model.js';
import { readConfigText } from '../../src/config/source/index.js';

export function model(text: string): KeepalivedConfig {
  const read = readConfigText(text, 'test.conf');
  const sink = new DiagnosticSink();
  const config = buildModel(read.nodes, sink);
  const bad = [...read.diagnostics, ...sink.items].filter((d) => d.severity === 'error' || d.severity === 'fatal');
  if (bad.length > 0) throw new Error(bad.map((d) => d.message).join('\n'));
  return config;
}
