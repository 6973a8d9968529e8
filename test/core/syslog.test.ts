/**
 * Syslog output (src/core/syslog.ts) and the daemon's choice of log outputs (log.ts daemonLogOptions).
 * The delivery tests bind a real AF_UNIX datagram socket in a temp dir (native addon) and read what
 * arrives; the format is the one keepalived 2.2.7 sends through glibc's syslog(3).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNative, nativeAvailable } from '../../src/io/native/index.js';
import {
  formatSyslogDatagram,
  formatSyslogTimestamp,
  parseSyslogFacility,
  stdoutIsJournal,
  SYSLOG_FACILITY,
  SyslogDestination,
  syslogSeverityForLevel,
  SyslogSeverity,
} from '../../src/core/syslog.js';
import type { SyslogOutage } from '../../src/core/syslog.js';
import { createRootLog, daemonLogOptions, DEFAULT_LOG_FILE } from '../../src/core/log.js';
import type { DaemonLogInput } from '../../src/core/log.js';

/** `<PRI>Mmm dd hh:mm:ss ` as glibc writes it. */
const HEADER = /^<(\d+)>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /;

function errno(code: string): Error {
  return Object.assign(new Error(code), { code });
}

describe('syslog format', () => {
  it('maps -S arguments to facility codes like keepalived', () => {
    expect(parseSyslogFacility(null)).toBe(3);
    expect(parseSyslogFacility('daemon')).toBe(3);
    expect(parseSyslogFacility('user')).toBe(1);
    expect(parseSyslogFacility('0')).toBe(16);
    expect(parseSyslogFacility('3')).toBe(19);
    expect(parseSyslogFacility('local3')).toBe(19);
    expect(parseSyslogFacility('local7')).toBe(23);
    expect(parseSyslogFacility('8')).toBeUndefined();
    expect(parseSyslogFacility('local8')).toBeUndefined();
    expect(parseSyslogFacility('kern')).toBeUndefined();
  });

  it('maps pino levels to syslog severities', () => {
    expect([10, 20, 30, 40, 50, 60].map(syslogSeverityForLevel)).toEqual([7, 7, 6, 4, 3, 2]);
  });

  it('writes the timestamp as glibc does (local time, day padded with a space)', () => {
    expect(formatSyslogTimestamp(new Date(2026, 10, 5, 9, 3, 7))).toBe('Nov  5 09:03:07');
    expect(formatSyslogTimestamp(new Date(2026, 0, 25, 23, 59, 0))).toBe('Jan 25 23:59:00');
  });

  it('builds the datagram keepalived sends: daemon.info is <30>, local3.info is <158>', () => {
    const at = new Date(2026, 10, 25, 12, 25, 22);
    expect(formatSyslogDatagram(SYSLOG_FACILITY.daemon, SyslogSeverity.info, at, 'Keepalived_vrrp[13355]: (VI_1) Entering MASTER STATE')).toBe(
      '<30>Nov 25 12:25:22 Keepalived_vrrp[13355]: (VI_1) Entering MASTER STATE',
    );
    expect(formatSyslogDatagram(SYSLOG_FACILITY.local3, SyslogSeverity.info, at, 'x').startsWith('<158>')).toBe(true);
  });
});

describe('SyslogDestination without a listener', () => {
  it('counts and drops while the socket is missing, retries after retryMs, reports the outage once each way', () => {
    let nowMs = 1_000_000;
    let listening = false;
    const delivered: string[] = [];
    const events: SyslogOutage[] = [];
    let attempts = 0;
    const dest = new SyslogDestination({
      facility: SYSLOG_FACILITY.daemon,
      socketPath: '/nonexistent/log',
      now: () => nowMs,
      retryMs: 1000,
      send: (_path, data) => {
        attempts++;
        if (!listening) throw errno('ENOENT');
        delivered.push(new TextDecoder().decode(data));
      },
      onOutage: (e) => events.push(e),
    });
    expect(dest.sendLine(30, 'a')).toBe('dropped');
    expect(dest.sendLine(30, 'b')).toBe('dropped');
    expect(attempts).toBe(1); // the second line waits for the retry time instead of trying again
    expect(dest.stats()).toEqual({ sent: 0, dropped: 2, queued: 0, failing: true, lastError: 'ENOENT' });
    expect(events).toEqual([{ kind: 'down', error: 'ENOENT', socketPath: '/nonexistent/log' }]);

    listening = true;
    nowMs += 999;
    expect(dest.sendLine(30, 'c')).toBe('dropped');
    nowMs += 1;
    expect(dest.sendLine(40, 'Keepalived[1]: back')).toBe('sent');
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatch(HEADER);
    expect(delivered[0]).toMatch(/^<28>.* Keepalived\[1\]: back$/);
    expect(events[1]).toEqual({ kind: 'up', dropped: 3, socketPath: '/nonexistent/log' });
    expect(dest.stats()).toEqual({ sent: 1, dropped: 3, queued: 0, failing: false, lastError: 'ENOENT' });
  });

  it('a full queue (EAGAIN) keeps lines in order in a bounded backlog, flushed later; it is not an outage', () => {
    let room = 0;
    const delivered: string[] = [];
    const events: SyslogOutage[] = [];
    const timers: (() => void)[] = [];
    const dest = new SyslogDestination({
      facility: SYSLOG_FACILITY.daemon,
      maxQueued: 3,
      schedule: (fn) => void timers.push(fn),
      send: (_p, data) => {
        if (room === 0) throw errno('EAGAIN');
        room--;
        delivered.push(new TextDecoder().decode(data).replace(/^.* /, ''));
      },
      onOutage: (e) => events.push(e),
    });
    expect(['l1', 'l2', 'l3', 'l4'].map((l) => dest.sendLine(30, l))).toEqual(['queued', 'queued', 'queued', 'dropped']);
    expect(timers).toHaveLength(1); // one pending flush, not one per line
    expect(dest.stats()).toMatchObject({ sent: 0, dropped: 1, queued: 3, failing: false, lastError: 'EAGAIN' });
    room = 2;
    timers.shift()?.();
    expect(delivered).toEqual(['l1', 'l2']);
    expect(timers).toHaveLength(1); // still full after two: retried again later
    room = 10;
    expect(dest.sendLine(30, 'l5')).toBe('sent'); // a new line flushes the backlog first, then goes out behind it
    expect(delivered).toEqual(['l1', 'l2', 'l3', 'l5']);
    expect(events).toEqual([]);
    expect(dest.stats()).toMatchObject({ sent: 4, dropped: 1, queued: 0, failing: false });
  });

  it('an outage while lines wait drops the backlog', () => {
    let mode: 'full' | 'gone' = 'full';
    const timers: (() => void)[] = [];
    const dest = new SyslogDestination({
      facility: SYSLOG_FACILITY.daemon,
      schedule: (fn) => void timers.push(fn),
      send: () => {
        throw errno(mode === 'full' ? 'EAGAIN' : 'ECONNREFUSED');
      },
    });
    dest.sendLine(30, 'a');
    dest.sendLine(30, 'b');
    mode = 'gone';
    timers.shift()?.();
    expect(dest.stats()).toMatchObject({ sent: 0, dropped: 2, queued: 0, failing: true, lastError: 'ECONNREFUSED' });
  });

  it('never throws, even when the sender throws a non-error or the observer throws', () => {
    const dest = new SyslogDestination({
      facility: SYSLOG_FACILITY.daemon,
      send: () => {
        throw 'boom';
      },
      onOutage: () => {
        throw new Error('observer');
      },
    });
    expect(() => dest.write('{"level":30,"msg":"m"}\nnot json\n')).not.toThrow();
    expect(dest.stats()).toMatchObject({ sent: 0, dropped: 2, lastError: 'EIO' });
  });
});

describe.skipIf(!nativeAvailable())('syslog delivery to a bound unix datagram socket', () => {
  let dir: string;
  let path: string;
  let fd: number;
  const buf = Buffer.alloc(65536);

  function received(): string[] {
    const out: string[] = [];
    for (let n = loadNative().unixDgramRecv(fd, buf); n !== undefined; n = loadNative().unixDgramRecv(fd, buf)) out.push(buf.subarray(0, n).toString());
    return out;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kts-syslog-'));
    path = join(dir, 'log.sock');
    fd = loadNative().unixDgramBind(path);
  });
  afterEach(() => {
    loadNative().closeFd(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends each record as one datagram: local3 + warning PRI, ident with pid, instance and message', () => {
    const facility = parseSyslogFacility('local3');
    if (facility === undefined) throw new Error('local3');
    const root = createRootLog({ format: 'json', stdout: false, syslog: { facility, socketPath: path }, pid: 4242 });
    const vrrp = root.component('vrrp').child({ instance: 'VI_1' });
    vrrp.warn('Entering FAULT STATE');
    vrrp.info('Entering MASTER STATE');
    root.component('check').error('Disabling service');
    const got = received();
    expect(got).toHaveLength(3);
    for (const d of got) expect(d).toMatch(HEADER);
    expect(got[0]).toMatch(/^<156>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d Keepalived_vrrp\[4242\]: \(VI_1\) Entering FAULT STATE$/);
    expect(got[1]).toMatch(/^<158>.* Keepalived_vrrp\[4242\]: \(VI_1\) Entering MASTER STATE$/);
    expect(got[2]).toMatch(/^<155>.* Keepalived_healthcheckers\[4242\]: Disabling service$/);
    expect(root.syslogStats()).toEqual({ sent: 3, dropped: 0, queued: 0, failing: false, lastError: null });
  });

  it('a burst larger than the receive queue arrives complete and in order once the reader catches up', async () => {
    const dest = new SyslogDestination({ facility: SYSLOG_FACILITY.daemon, socketPath: path });
    for (let i = 0; i < 200; i++) dest.sendLine(30, `Keepalived_vrrp[1]: (VI_${i}) Entering MASTER STATE`);
    const got: string[] = [];
    for (let spins = 0; got.length < 200 && spins < 500; spins++) {
      got.push(...received());
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(got.map((d) => /\(VI_(\d+)\)/.exec(d)?.[1])).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
    expect(dest.stats()).toMatchObject({ sent: 200, dropped: 0, queued: 0 });
  });

  it('fans one record out to the -g file and syslog; -D details go to the file only', () => {
    const file = join(dir, 'kts.log');
    const root = createRootLog({ file, detail: true, syslog: { facility: SYSLOG_FACILITY.daemon, socketPath: path }, pid: 7 });
    root.component('vrrp').info({ reason: 'auth' }, 'drop');
    expect(readFileSync(file, 'utf8')).toBe('Keepalived_vrrp[7]: drop [reason=auth]\n');
    expect(received()).toEqual([expect.stringMatching(/^<30>.* Keepalived_vrrp\[7\]: drop$/)]);
  });

  it('says once on the other output that syslog is unavailable, and once that it is back', async () => {
    const missing = join(dir, 'missing.sock');
    const lines: string[] = [];
    let nowMs = 0;
    const root = createRootLog({
      format: 'text',
      destination: { write: (s: string) => void lines.push(...s.split('\n').filter((l) => l.length > 0)) },
      syslog: { facility: SYSLOG_FACILITY.daemon, socketPath: missing, now: () => nowMs },
      pid: 1,
    });
    root.logger.info('one');
    root.logger.info('two');
    await new Promise((r) => setImmediate(r));
    root.logger.info('three');
    const notices = lines.filter((l) => l.includes('syslog:'));
    expect(notices).toEqual([`Keepalived[1]: syslog: cannot send to ${missing} (ENOENT); syslog lines are dropped until it is back (-G turns syslog off)`]);
    expect(root.syslogStats()).toMatchObject({ sent: 0, failing: true });

    const fd2 = loadNative().unixDgramBind(missing);
    try {
      nowMs += 5000;
      root.logger.info('four');
      await new Promise((r) => setImmediate(r));
      expect(lines.filter((l) => l.includes('again'))).toEqual([`Keepalived[1]: syslog: sending to ${missing} again (4 lines dropped)`]);
      const n = loadNative().unixDgramRecv(fd2, buf);
      expect(n === undefined ? '' : buf.subarray(0, n).toString()).toMatch(/Keepalived\[1\]: four$/);
    } finally {
      loadNative().closeFd(fd2);
    }
  });
});

describe('stdoutIsJournal', () => {
  it('is true only when JOURNAL_STREAM names the device and inode of the fd', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kts-journal-'));
    const fd = openSync(join(dir, 'f'), 'w');
    try {
      const st = statSync(join(dir, 'f'), { bigint: true });
      expect(stdoutIsJournal({ JOURNAL_STREAM: `${st.dev}:${st.ino}` }, fd)).toBe(true);
      expect(stdoutIsJournal({ JOURNAL_STREAM: `${st.dev}:${st.ino + 1n}` }, fd)).toBe(false);
      expect(stdoutIsJournal({}, fd)).toBe(false);
      expect(stdoutIsJournal({ JOURNAL_STREAM: 'garbage' }, fd)).toBe(false);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('daemonLogOptions (which outputs the daemon uses)', () => {
  const base: DaemonLogInput = {
    logConsole: false,
    logDetail: false,
    logFile: null,
    noSyslog: false,
    logFacility: null,
    debug: [],
    stdoutIsTty: false,
    stdoutIsJournal: false,
  };
  const outputs = (over: Partial<DaemonLogInput>): { stdout: string | null; file: string | null; syslog: number | null } => {
    const o = daemonLogOptions({ ...base, ...over });
    return { stdout: o.stdout === true ? (o.format ?? 'json') : null, file: o.file ?? null, syslog: o.syslog?.facility ?? null };
  };

  it('outside the journal: syslog (daemon facility) unless -G, like keepalived; JSON or text on stdout', () => {
    expect(outputs({})).toEqual({ stdout: 'json', file: null, syslog: 3 });
    expect(outputs({ stdoutIsTty: true })).toEqual({ stdout: 'text', file: null, syslog: 3 });
    expect(outputs({ logConsole: true, logFacility: '2' })).toEqual({ stdout: 'text', file: null, syslog: 18 });
    expect(outputs({ noSyslog: true })).toEqual({ stdout: 'json', file: null, syslog: null });
    expect(outputs({ logFile: '' })).toEqual({ stdout: null, file: DEFAULT_LOG_FILE, syslog: 3 });
    expect(outputs({ logFile: '/var/log/k.log', logConsole: true })).toEqual({ stdout: 'text', file: '/var/log/k.log', syslog: 3 });
  });

  it('under the journal: each line reaches it once, through stdout or through syslog', () => {
    const j = { stdoutIsJournal: true };
    expect(outputs(j)).toEqual({ stdout: 'json', file: null, syslog: null });
    expect(outputs({ ...j, logFacility: 'local0' })).toEqual({ stdout: null, file: null, syslog: 16 });
    expect(outputs({ ...j, logFile: '/x.log' })).toEqual({ stdout: null, file: '/x.log', syslog: 3 });
    expect(outputs({ ...j, logConsole: true })).toEqual({ stdout: 'text', file: null, syslog: null });
    expect(outputs({ ...j, logConsole: true, logFacility: '1' })).toEqual({ stdout: 'text', file: null, syslog: 17 });
    expect(outputs({ ...j, noSyslog: true, logFacility: '1' })).toEqual({ stdout: 'json', file: null, syslog: null });
  });

  it('passes -D, the debug categories and the socket override through', () => {
    const o = daemonLogOptions({ ...base, logDetail: true, debug: ['fsm'], syslogSocket: '/tmp/x.sock' });
    expect(o.detail).toBe(true);
    expect(o.debug).toEqual(['fsm']);
    expect(o.syslog?.socketPath).toBe('/tmp/x.sock');
    expect(daemonLogOptions(base).syslog?.socketPath).toBe('/dev/log');
  });
});

describe('ident suffix (-s NAME)', () => {
  it('appends _NAME to every ident from the moment it is set, on text lines and syslog alike', () => {
    const lines: string[] = [];
    const sent: string[] = [];
    const root = createRootLog({
      format: 'text',
      destination: { write: (s: string) => void lines.push(...s.split('\n').filter((l) => l.length > 0)) },
      syslog: { facility: SYSLOG_FACILITY.daemon, socketPath: '/x', send: (_p, d) => void sent.push(new TextDecoder().decode(d)) },
      pid: 5,
    });
    root.logger.info('before');
    root.setIdentSuffix('_blue');
    root.component('vrrp').child({ instance: 'VI_1' }).info('Entering MASTER STATE');
    root.component('check').info('ok');
    expect(lines).toEqual(['Keepalived[5]: before', 'Keepalived_vrrp_blue[5]: (VI_1) Entering MASTER STATE', 'Keepalived_healthcheckers_blue[5]: ok']);
    expect(sent.map((d) => d.replace(HEADER, ''))).toEqual(lines);
  });
});
