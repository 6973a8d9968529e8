/**
 * track_file: watches the files of the `track_file` objects some instance tracks (inotify through
 * fs.watch on the file's directory, so replaced files are seen too) and reports the integer they
 * contain as a tracker value. The value is read as keepalived does: the first 127 bytes through
 * strtol base 0 (decimal, 0x hex, 0 octal), missing / unreadable / not a number ⇒ 0, a number outside
 * int32 is logged ("Invalid number … - ignoring") and the previous value kept. The parser is shared with
 * the checkers' FILE_CHECK (src/check/track-file.ts), so both read a file the same way. `init_file`
 * creates the file with its value (or overwrites it with `overwrite`) before the first read.
 */
import { closeSync, existsSync, openSync, readSync, watch, writeFileSync } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import type { TrackFile } from '../config/model.js';
import type { TrackerObservation } from '../vrrp/tracking/priority.js';
import { parseTrackFileValue } from '../check/track-file.js';

/** strtol(text, NULL, 0) as keepalived reads a tracked file; undefined = outside int32 (ignored). */
export { parseTrackFileValue } from '../check/track-file.js';

/** keepalived reads at most this many bytes of a tracked file. */
const TRACK_FILE_READ_BYTES = 127;

export class FileTrackers {
  private readonly values = new Map<string, number>();
  private readonly watchers: FSWatcher[] = [];

  constructor(
    private readonly files: readonly TrackFile[],
    private readonly log: Logger,
    private readonly onChange: (name: string, obs: TrackerObservation) => void,
  ) {
    for (const f of files) {
      if (f.file === null) continue;
      if (f.initFile !== null && (f.initFile.overwrite || !existsSync(f.file))) {
        try {
          writeFileSync(f.file, `${f.initFile.value}\n`);
        } catch (err) {
          log.error({ err }, `track_file ${f.name}: cannot initialise ${f.file}`);
        }
      }
      this.values.set(f.name, this.read(f.name, f.file) ?? 0);
    }
  }

  observation(name: string): TrackerObservation {
    const v = this.values.get(name);
    return v === undefined ? { kind: 'unknown' } : { kind: 'value', value: v };
  }

  start(): void {
    for (const f of this.files) {
      const path = f.file;
      if (path === null) continue;
      try {
        const w = watch(dirname(path), (_event, fname) => {
          if (fname !== null && fname !== basename(path)) return;
          this.refresh(f.name, path);
        });
        w.on('error', (err) => this.log.warn({ err }, `track_file ${f.name}: watch failed`));
        this.watchers.push(w);
      } catch (err) {
        this.log.error({ err }, `track_file ${f.name}: cannot watch ${path}`);
      }
    }
  }

  stop(): void {
    for (const w of this.watchers) w.close();
    this.watchers.length = 0;
  }

  private refresh(name: string, path: string): void {
    const v = this.read(name, path);
    if (v === undefined || this.values.get(name) === v) return;
    this.values.set(name, v);
    this.log.info(`track_file ${name}: value ${v}`);
    this.onChange(name, { kind: 'value', value: v });
  }

  /** The file's value; undefined when it holds a number outside int32 (logged, previous value kept). */
  private read(name: string, path: string): number | undefined {
    let text: string;
    try {
      const fd = openSync(path, 'r');
      try {
        const buf = Buffer.alloc(TRACK_FILE_READ_BYTES);
        text = buf.toString('latin1', 0, readSync(fd, buf, 0, TRACK_FILE_READ_BYTES, 0));
      } finally {
        closeSync(fd);
      }
    } catch {
      return 0;
    }
    const v = parseTrackFileValue(text);
    if (v === undefined) this.log.info(`Invalid number read from ${path} - ignoring (track_file ${name})`);
    return v;
  }
}
