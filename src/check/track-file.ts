/**
 * FILE_CHECK (keepalived track_file for real servers), pure part: the number read from the tracked
 * file becomes a weight contribution or a fault.
 *
 *   weight 0 (FILE_CHECK weight, else the track_file's): value ≠ 0 → fault (reverse: value = 0)
 *   weight W:  status = value × W × (reverse ? −1 : 1); below −IPVS_WEIGHT_MAX → fault,
 *              otherwise it is added to the real server's effective weight
 *
 * A fault takes the checker down; leaving the fault brings it up. The file is parsed like strtol
 * (base 0: decimal, 0x hex, 0 octal; leading number only); a missing or empty file reads as 0.
 */
import type { FileChecker, TrackFile } from '../config/model.js';
import { IPVS_WEIGHT_MAX } from './pool.js';

export type FileStatus = number | 'fault';

export interface FileCheckSpec {
  readonly path: string;
  readonly weight: number;
  readonly reverse: boolean;
}

/** Resolves a FILE_CHECK against the configured track_file blocks; null when it names none. */
export function fileCheckSpec(c: FileChecker, trackFiles: readonly TrackFile[]): FileCheckSpec | null {
  const tf = c.trackFile === null ? undefined : trackFiles.find((t) => t.name === c.trackFile?.name);
  if (tf === undefined || tf.file === null) return null;
  const own = c.weight !== null && c.weight !== 0;
  return { path: tf.file, weight: own ? (c.weight ?? 0) : tf.weight, reverse: own ? c.weightReverse : tf.weightReverse };
}

/** strtol(text, NULL, 0) on the file contents; undefined = out of int32 range (keepalived ignores it). */
export function parseTrackFileValue(text: string): number | undefined {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(text);
  if (m === null) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  const digits = m[2] ?? '0';
  const v = sign * (digits.startsWith('0x') || digits.startsWith('0X') ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits.startsWith('0') ? parseInt(digits, 8) : parseInt(digits, 10));
  return v < -2147483648 || v > 2147483648 ? undefined : v;
}

export function fileStatus(value: number, spec: Pick<FileCheckSpec, 'weight' | 'reverse'>): FileStatus {
  if (spec.weight === 0) return (value !== 0) !== spec.reverse ? 'fault' : 0;
  const s = value * spec.weight * (spec.reverse ? -1 : 1);
  if (s < -IPVS_WEIGHT_MAX) return 'fault';
  return Math.min(s, IPVS_WEIGHT_MAX);
}
