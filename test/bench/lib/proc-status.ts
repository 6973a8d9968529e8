/**
 * Memory figures of a process from /proc/PID/status (VmRSS, VmHWM), in KiB.
 */
import { readFile } from 'node:fs/promises';

/** Value in kB of a `Key:   123 kB` line of a /proc/PID/status text; undefined when absent. */
export function statusFieldKb(statusText: string, key: string): number | undefined {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(statusText);
  return m === null ? undefined : Number(m[1]);
}

export interface MemSample {
  readonly rssKb: number;
  readonly hwmKb: number;
}

/** Reads VmRSS/VmHWM of `pid`; undefined when the process is gone. */
export async function readMem(pid: number): Promise<MemSample | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/status`, 'utf8');
    const rssKb = statusFieldKb(text, 'VmRSS');
    const hwmKb = statusFieldKb(text, 'VmHWM');
    return rssKb === undefined || hwmKb === undefined ? undefined : { rssKb, hwmKb };
  } catch {
    return undefined;
  }
}
