import { describe, expect, it } from 'vitest';
import { DiagnosticSink, exitCodeFor, formatDiagnostic } from '../../src/core/diagnostics.js';

describe('exitCodeFor', () => {
  it('is 0 with no diagnostics and keeps the numerically highest code like keepalived', () => {
    const sink = new DiagnosticSink();
    expect(exitCodeFor(sink.items)).toBe(0);
    sink.fatal('KTS_UNKNOWN_INTERFACE', 'unknown interface eth9', { file: 'k.conf', line: 3 });
    expect(exitCodeFor(sink.items)).toBe(4);
    sink.warning('KTS_UNKNOWN_KEYWORD', "Unknown keyword 'foo'", { file: 'k.conf', line: 4 });
    expect(exitCodeFor(sink.items)).toBe(5);
    sink.security('KTS_SCRIPT_SECURITY', 'scripts without enable_script_security');
    expect(exitCodeFor(sink.items)).toBe(6);
  });
  it('formats like keepalived: (file: Line N) message [CODE]', () => {
    expect(formatDiagnostic({ code: 'KTS_X', severity: 'error', message: 'bad', file: '/etc/k.conf', line: 7 }))
      .toBe('(/etc/k.conf: Line 7) bad [KTS_X]');
  });
});
