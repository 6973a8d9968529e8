/**
 * track_file: watches the files of the `track_file` objects some instance tracks (inotify through
 * fs.watch on the file's directory, so replaced files are seen too) and reports the integer they
 * contain as a tracker value (missing / unreadable / not a number ⇒ 0, as keepalived). `init_file`
 * creates the file with its value (or overwrites it with `overwrite`) before the first read.
 */
import { existsSync, readFileSync, watch, writeFileSync } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';
import type { TrackFile } from '../config/model.js';
import type { TrackerObservation } from '../vrrp/tracking/priority.js';

/** The integer keepalived reads from a tracked file: leading whitespace, optional sign, digits. */
export function parseTrackFileValue(text: string): number {
  const m = /^\s*([+-]?\d+)/.exec(text);
  return m?.[1] !== undefined ? Number.parseInt(m[1], 10) : 0;
}

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
      this.values.set(f.name, this.read(f.file));
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
    const v = this.read(path);
    if (this.values.get(name) === v) return;
    this.values.set(name, v);
    this.log.info(`track_file ${name}: value ${v}`);
    this.onChange(name, { kind: 'value', value: v });
  }

  private read(path: string): number {
    try {
      return parseTrackFileValue(readFileSync(path, 'utf8'));
    } catch {
      return 0;
    }
  }
}
