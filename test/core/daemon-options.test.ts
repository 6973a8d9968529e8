import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/options.js';
import { DaemonExit, runDaemon } from '../../src/core/daemon.js';
import { createRootLog } from '../../src/core/log.js';

describe('runDaemon option checks', () => {
  it('a bad --metrics address is a configuration error (exit 2) logged with KTS_METRICS_ADDR', async () => {
    const cmd = parseCommandLine(['-n', '--metrics=127.0.0.1:notaport', '-f', '/nonexistent/kts-h13.conf']);
    if (cmd.kind !== 'daemon') throw new Error(cmd.kind);
    const lines: string[] = [];
    const log = createRootLog({ format: 'json', destination: { write: (s: string) => void lines.push(s) } });
    expect(await runDaemon(cmd.options, { log })).toBe(DaemonExit.CONFIG);
    expect(lines.join('')).toContain('KTS_METRICS_ADDR');
  });
});
