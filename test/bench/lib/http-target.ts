/**
 * The HTTP real servers of the checker-load benchmarks: one Node process inside a namespace listening on
 * a range of ports, answering every request `200 OK`, and printing how many requests it served each
 * second (`count <n>`), so the bench reports the check rate actually achieved.
 */
import type { Netns, NsProcess } from '../../lab/netns.js';

const SERVER_SCRIPT = `
const http = require('node:http');
const [host, first, count] = process.argv.slice(1);
let served = 0, listening = 0;
for (let i = 0; i < Number(count); i++) {
  const s = http.createServer((req, res) => { served++; res.writeHead(200, { 'Content-Type': 'text/plain' }); res.end('ok'); });
  s.keepAliveTimeout = 1000;
  s.listen(Number(first) + i, host, () => { if (++listening === Number(count)) console.log('ready'); });
}
setInterval(() => { console.log('count ' + served); served = 0; }, 1000);
`;

export interface HttpTarget {
  readonly proc: NsProcess;
  /** Requests served per second, one entry per whole second since `mark()`. */
  ratesSinceMark(): number[];
  mark(): void;
}

export async function startHttpTarget(ns: Netns, host: string, firstPort: number, ports: number): Promise<HttpTarget> {
  const proc = ns.spawn('http-target', process.execPath, ['-e', SERVER_SCRIPT, host, String(firstPort), String(ports)]);
  await proc.waitForLine(/^ready$/, 10_000);
  let markAt = proc.lines.length;
  return {
    proc,
    mark(): void {
      markAt = proc.lines.length;
    },
    ratesSinceMark(): number[] {
      return proc.lines.slice(markAt).filter((l) => l.startsWith('count ')).map((l) => Number(l.slice(6)));
    },
  };
}
