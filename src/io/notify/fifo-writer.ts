/**
 * Ordered line writer for keepalived's notify FIFOs (`notify_fifo`, `vrrp_notify_fifo`,
 * `lvs_notify_fifo`): lines such as `INSTANCE "VI_1" MASTER 100` go out in the order they were
 * written. The FIFO is created (mkfifo, mode 0600 unless told) if missing and opened
 * O_WRONLY|O_NONBLOCK, so the caller never blocks: with no reader the open fails (ENXIO) and lines
 * wait in a bounded queue; a full pipe (EAGAIN) or a departed reader (EPIPE) also keep the line
 * queued and the writer retries on a timer, reopening the FIFO. When the queue is full the oldest
 * line is dropped and counted. Only a FIFO we created is removed on close().
 */
import { closeSync, constants, lstatSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { loadNative } from '../native/index.js';

export interface FifoWriterOptions {
  /** Create the FIFO if the path does not exist (default true). */
  readonly create?: boolean;
  readonly mode?: number;
  /** Retry interval while the reader is absent / the pipe is full (ms). Default 100. */
  readonly retryMs?: number;
  /** Lines kept while nobody reads. Default 1000. */
  readonly maxQueuedLines?: number;
  readonly onError?: (err: Error) => void;
}

export interface FifoWriterStats {
  readonly written: number;
  readonly queued: number;
  readonly dropped: number;
  readonly reopened: number;
}

export class FifoWriterError extends Error {
  constructor(readonly code: 'KTS_FIFO_NOT_FIFO' | 'KTS_FIFO_IO', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FifoWriterError';
  }
}

const errnoCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

export class FifoWriter {
  readonly path: string;
  readonly #retryMs: number;
  readonly #maxQueued: number;
  readonly #onError: ((err: Error) => void) | undefined;
  readonly #created: boolean;
  readonly #queue: Buffer[] = [];
  #fd: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #written = 0;
  #dropped = 0;
  #reopened = 0;
  #closed = false;
  #everOpened = false;

  constructor(path: string, options: FifoWriterOptions = {}) {
    this.path = path;
    this.#retryMs = options.retryMs ?? 100;
    this.#maxQueued = options.maxQueuedLines ?? 1000;
    this.#onError = options.onError;
    let created = false;
    try {
      if (!lstatSync(path).isFIFO()) throw new FifoWriterError('KTS_FIFO_NOT_FIFO', `${path} exists and is not a FIFO`);
    } catch (err) {
      if (err instanceof FifoWriterError) throw err;
      if (errnoCode(err) !== 'ENOENT' || options.create === false) throw err;
      loadNative().mkfifo(path, options.mode ?? 0o600);
      created = true;
    }
    this.#created = created;
  }

  /** Queue one line (a trailing newline is added if missing) and try to flush at once. */
  write(line: string): void {
    if (this.#closed) return;
    this.#queue.push(Buffer.from(line.endsWith('\n') ? line : `${line}\n`));
    while (this.#queue.length > this.#maxQueued) {
      this.#queue.shift();
      this.#dropped++;
    }
    if (this.#timer === undefined) this.#flush();
  }

  stats(): FifoWriterStats {
    return { written: this.#written, queued: this.#queue.length, dropped: this.#dropped, reopened: this.#reopened };
  }

  /** Stop, close the FIFO and remove it if this writer created it. Queued lines are discarded. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#closeFd();
    if (this.#created) {
      try {
        unlinkSync(this.path);
      } catch {
        // already removed
      }
    }
  }

  #flush(): void {
    this.#timer = undefined;
    while (!this.#closed && this.#queue.length > 0) {
      if (this.#fd === undefined && !this.#open()) return this.#retry();
      const line = this.#queue[0];
      if (line === undefined || this.#fd === undefined) return;
      try {
        const n = writeSync(this.#fd, line);
        if (n < line.length) {
          this.#queue[0] = line.subarray(n); // rest of a line longer than PIPE_BUF
          return this.#retry();
        }
        this.#queue.shift();
        this.#written++;
      } catch (err) {
        const code = errnoCode(err);
        if (code === 'EPIPE') {
          this.#closeFd(); // reader went away: reopen when one comes back
        } else if (code !== 'EAGAIN') {
          this.#onError?.(new FifoWriterError('KTS_FIFO_IO', `write ${this.path}: ${String(err)}`, { cause: err }));
          this.#closeFd();
        }
        return this.#retry();
      }
    }
  }

  #open(): boolean {
    try {
      this.#fd = openSync(this.path, constants.O_WRONLY | constants.O_NONBLOCK);
      if (this.#everOpened) this.#reopened++;
      this.#everOpened = true;
      return true;
    } catch (err) {
      if (errnoCode(err) !== 'ENXIO') {
        this.#onError?.(new FifoWriterError('KTS_FIFO_IO', `open ${this.path}: ${String(err)}`, { cause: err }));
      }
      return false;
    }
  }

  #closeFd(): void {
    if (this.#fd === undefined) return;
    try {
      closeSync(this.#fd);
    } catch {
      // ignore
    }
    this.#fd = undefined;
  }

  #retry(): void {
    if (this.#closed || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => this.#flush(), this.#retryMs);
    this.#timer.unref();
  }
}
