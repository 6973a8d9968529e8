/** The CLI's I/O surface, injectable so tests can capture output without touching the process. */
import { appendFileSync, writeFileSync } from 'node:fs';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Creates/truncates `path` with `text`; throws on failure. */
  writeFile(path: string, text: string): void;
}

export const processIo: CliIo = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  writeFile: (path, text) => {
    writeFileSync(path, '');
    appendFileSync(path, text);
  },
};
