/**
 * Command-line parsing: every option keepalived 2.2.7 accepts (same short and long spellings, same
 * optional-argument rules) plus keepalived-ts's own `--json` and `--no-host-checks`. Produces a
 * typed CliCommand; never exits and never throws on bad input (usage errors are a command too).
 */
import { Command, CommanderError, Option } from 'commander';
import { applyNamespaceDefaults, namespacePaths } from './namespace.js';
import { parseDebugCategories } from '../core/debug-categories.js';
import type { DebugCategory } from '../core/debug-categories.js';

export const DEFAULT_CONFIG_FILE = '/etc/keepalived/keepalived.conf';

export interface DaemonOptions {
  readonly configFile: string;
  /** -P: only the VRRP subsystem. */
  readonly vrrpOnly: boolean;
  /** -C: only the health-checker subsystem. */
  readonly checkOnly: boolean;
  readonly noBfd: boolean;
  readonly all: boolean;
  readonly logConsole: boolean;
  readonly logDetail: boolean;
  /** -S: syslog facility as given (0-7, local0-7, user, daemon); null = daemon. */
  readonly logFacility: string | null;
  /** -g: log file; '' = default file name; null = no log file. */
  readonly logFile: string | null;
  readonly flushLogFile: boolean;
  readonly noSyslog: boolean;
  readonly releaseVips: boolean;
  readonly dontReleaseVrrp: boolean;
  readonly dontReleaseIpvs: boolean;
  readonly dontRespawn: boolean;
  readonly dontFork: boolean;
  readonly dumpConf: boolean;
  readonly pidFile: string;
  readonly vrrpPidFile: string;
  readonly checkersPidFile: string;
  readonly bfdPidFile: string;
  readonly addressMonitoring: boolean;
  readonly namespace: string | null;
  readonly allConfig: boolean;
  /** -i: id for `@id` lines; null = host name up to the first dot. */
  readonly configId: string | null;
  readonly snmp: boolean;
  readonly snmpAgentSocket: string | null;
  readonly umask: number | null;
  readonly coreDump: boolean;
  /** -M: core_pattern; '' = keepalived's default ('core'); null = leave unchanged. */
  readonly coreDumpPattern: string | null;
  /** keepalived-ts: diagnostics (and -d dumps) as JSON. */
  readonly json: boolean;
  /** keepalived-ts: skip interface / user / file checks. */
  readonly noHostChecks: boolean;
  /** keepalived-ts: `--metrics=ADDR:PORT` Prometheus endpoint; null = no metrics. */
  readonly metrics?: string | null;
  /** keepalived-ts: control socket path (`status`); null = the default path. */
  readonly controlSocket?: string | null;
  /** keepalived-ts: group allowed on the control socket (name or gid); null = root only. */
  readonly controlGroup?: string | null;
  /** keepalived-ts: `--debug-categories=packet,fsm|all`; null = not given (KTS_DEBUG applies). */
  readonly debugCategories?: readonly DebugCategory[] | null;
}

export type CliCommand =
  | { readonly kind: 'configTest'; readonly logFile: string | null; readonly options: DaemonOptions }
  | { readonly kind: 'dumpConf'; readonly options: DaemonOptions }
  | { readonly kind: 'daemon'; readonly options: DaemonOptions }
  | { readonly kind: 'signum'; readonly name: string }
  | { readonly kind: 'genhash' }
  | { readonly kind: 'version' }
  | { readonly kind: 'status'; readonly json: boolean; readonly socketPath: string | null }
  | { readonly kind: 'ctl'; readonly cmd: string; readonly socketPath: string | null }
  | { readonly kind: 'help' }
  | { readonly kind: 'usageError'; readonly message: string };

/** Options whose argument is optional: getopt only takes it when attached (`-tFILE`, `--config-test=FILE`). */
const OPTIONAL_ARG_FLAGS = new Map([
  ['-t', '--config-test'],
  ['--config-test', '--config-test'],
  ['-g', '--log-file'],
  ['--log-file', '--log-file'],
  ['-M', '--core-dump-pattern'],
  ['--core-dump-pattern', '--core-dump-pattern'],
]);

const FACILITY = /^([0-7]|local[0-7]|user|daemon)$/;

function buildProgram(): Command {
  const p = new Command('keepalived-ts');
  p.helpOption(false)
    .allowExcessArguments(true)
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
    .option('-f, --use-file <file>', 'Use the specified configuration file', DEFAULT_CONFIG_FILE)
    .option('-P, --vrrp', 'Only run with VRRP subsystem')
    .option('-C, --check', 'Only run with Health-checker subsystem')
    .option('-B, --no_bfd', "Don't run BFD subsystem")
    .option('--all', 'Force all child processes to run, even if have no configuration')
    .option('-l, --log-console', 'Log messages to local console')
    .option('-D, --log-detail', 'Detailed log messages')
    .option('-S, --log-facility <facility>', 'Set syslog facility to LOG_LOCAL[0-7], user or daemon (default)')
    .option('-g, --log-file [file]', 'Also log to FILE (default /tmp/keepalived.log)')
    .option('--flush-log-file', 'Flush log file on write')
    .option('-G, --no-syslog', "Don't log via syslog")
    .option('-u, --umask <mask>', 'umask for file creation (in numeric form)')
    .option('-X, --release-vips', 'Drop VIP on transition from signal.')
    .option('-V, --dont-release-vrrp', "Don't remove VRRP VIPs and VROUTEs on daemon stop")
    .option('-I, --dont-release-ipvs', "Don't remove IPVS topology on daemon stop")
    .option('-R, --dont-respawn', "Don't respawn child processes")
    .option('-n, --dont-fork', "Don't fork the daemon process")
    .option('-d, --dump-conf', 'Dump the configuration data')
    .option('-p, --pid <file>', 'Use specified pidfile for parent process', '/run/keepalived.pid')
    .option('-r, --vrrp_pid <file>', 'Use specified pidfile for VRRP child process', '/run/vrrp.pid')
    .option('-T, --genhash', 'Enter into genhash utility mode')
    .option('-c, --checkers_pid <file>', 'Use specified pidfile for checkers child process', '/run/checkers.pid')
    .option('-a, --address-monitoring', 'Report all address additions/deletions notified via netlink')
    .option('-b, --bfd_pid <file>', 'Use specified pidfile for BFD child process', '/run/bfd.pid')
    .option('-x, --snmp', 'Enable SNMP subsystem')
    .option('-A, --snmp-agent-socket <file>', 'Use the specified socket for master agent')
    .option('-s, --namespace <name>', 'Run in network namespace NAME (overrides config)')
    .option('-m, --core-dump', 'Produce core dump if terminate abnormally')
    .option('-M, --core-dump-pattern [pattern]', "Also set /proc/sys/kernel/core_pattern to PATN (default 'core')")
    .option('-e, --all-config', 'Error if any configuration file missing')
    .option('-i, --config-id <id>', "Skip any configuration lines beginning '@' that don't match id")
    .option('--signum <sigfunc>', 'Return signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON')
    .option('-t, --config-test [logfile]', 'Check the configuration for obvious errors, output to stderr by default')
    .option('-v, --version', 'Display the version number')
    .option('-h, --help', 'Display this help message')
    .option('--json', 'keepalived-ts: print diagnostics (and -d dumps) as JSON')
    .option('--no-host-checks', 'keepalived-ts: skip interface, user and file checks')
    .option('--metrics <addr>', 'keepalived-ts: serve Prometheus metrics on [ADDR:]PORT')
    .option('--control-socket <path>', 'keepalived-ts: control socket path')
    .option('--control-group <group>', 'keepalived-ts: group allowed to use the control socket')
    .option('--debug-categories <list>', 'keepalived-ts: debug log categories (packet,fsm,netlink,arp,checker or all)');
  // Debug options keepalived accepts and keepalived-ts ignores.
  for (const hidden of ['--perf [what]', '--debug [what]', '--no-mem-check', '--ignore-sigint', '--config-fd <fd>'])
    p.addOption(new Option(hidden).hideHelp());
  return p;
}

/** Bare optional-argument flags get an explicit empty argument so the next word is never swallowed. */
function normaliseOptionalArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let afterDashDash = false;
  for (const a of args) {
    if (!afterDashDash) {
      if (a === '--') afterDashDash = true;
      const long = OPTIONAL_ARG_FLAGS.get(a);
      if (long !== undefined) {
        out.push(`${long}=`);
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

type Raw = Record<string, unknown>;

function str(raw: Raw, key: string): string | null {
  const v = raw[key];
  return typeof v === 'string' ? v : null;
}

function flag(raw: Raw, key: string): boolean {
  return raw[key] === true;
}

/** Parses the arguments after `node script` (i.e. `process.argv.slice(2)`). */
export function parseCommandLine(args: readonly string[]): CliCommand {
  if (args[0] === 'status') return parseStatusCommand(args.slice(1));
  if (args[0] === 'ctl') return parseCtlCommand(args.slice(1));
  const program = buildProgram();
  try {
    program.parse(normaliseOptionalArgs(args), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return { kind: 'usageError', message: err.message.replace(/^error: /, '') };
    return { kind: 'usageError', message: String(err) };
  }
  const raw: Raw = program.opts();
  if (flag(raw, 'help')) return { kind: 'help' };
  if (flag(raw, 'version')) return { kind: 'version' };
  const signum = str(raw, 'signum');
  if (signum !== null) return { kind: 'signum', name: signum };
  if (flag(raw, 'genhash')) return { kind: 'genhash' };

  const facility = str(raw, 'logFacility');
  if (facility !== null && !FACILITY.test(facility)) return { kind: 'usageError', message: `Invalid log facility '${facility}'` };
  const debugText = str(raw, 'debugCategories');
  const debug = debugText === null ? null : parseDebugCategories(debugText);
  if (debug !== null && !debug.ok) return { kind: 'usageError', message: `Invalid debug category '${debug.invalid}' (packet, fsm, netlink, arp, checker or all)` };
  const umaskText = str(raw, 'umask');
  let umask: number | null = null;
  if (umaskText !== null) {
    const n = /^0[xX][0-9a-fA-F]+$/.test(umaskText) ? Number.parseInt(umaskText, 16) : /^0[0-7]*$/.test(umaskText) ? Number.parseInt(umaskText, 8) : /^[1-9]\d*$/.test(umaskText) ? Number(umaskText) : NaN;
    if (!Number.isInteger(n) || n < 0 || n > 0o777) return { kind: 'usageError', message: `Invalid umask '${umaskText}'` };
    umask = n;
  }
  const logFileRaw = raw['logFile'];
  const corePatternRaw = raw['coreDumpPattern'];
  const options: DaemonOptions = {
    configFile: str(raw, 'useFile') ?? DEFAULT_CONFIG_FILE,
    vrrpOnly: flag(raw, 'vrrp'),
    checkOnly: flag(raw, 'check'),
    noBfd: flag(raw, 'no_bfd'),
    all: flag(raw, 'all'),
    logConsole: flag(raw, 'logConsole'),
    logDetail: flag(raw, 'logDetail'),
    logFacility: facility,
    logFile: typeof logFileRaw === 'string' ? logFileRaw : logFileRaw === true ? '' : null,
    flushLogFile: flag(raw, 'flushLogFile'),
    noSyslog: raw['syslog'] === false,
    releaseVips: flag(raw, 'releaseVips'),
    dontReleaseVrrp: flag(raw, 'dontReleaseVrrp'),
    dontReleaseIpvs: flag(raw, 'dontReleaseIpvs'),
    dontRespawn: flag(raw, 'dontRespawn'),
    dontFork: flag(raw, 'dontFork'),
    dumpConf: flag(raw, 'dumpConf'),
    pidFile: str(raw, 'pid') ?? '/run/keepalived.pid',
    vrrpPidFile: str(raw, 'vrrp_pid') ?? '/run/vrrp.pid',
    checkersPidFile: str(raw, 'checkers_pid') ?? '/run/checkers.pid',
    bfdPidFile: str(raw, 'bfd_pid') ?? '/run/bfd.pid',
    addressMonitoring: flag(raw, 'addressMonitoring'),
    namespace: str(raw, 'namespace'),
    allConfig: flag(raw, 'allConfig'),
    configId: str(raw, 'configId'),
    snmp: flag(raw, 'snmp'),
    snmpAgentSocket: str(raw, 'snmpAgentSocket'),
    umask,
    coreDump: flag(raw, 'coreDump'),
    coreDumpPattern: typeof corePatternRaw === 'string' ? corePatternRaw : corePatternRaw === true ? '' : null,
    json: flag(raw, 'json'),
    noHostChecks: raw['hostChecks'] === false,
    metrics: str(raw, 'metrics'),
    controlSocket: str(raw, 'controlSocket'),
    controlGroup: str(raw, 'controlGroup'),
    debugCategories: debug === null ? null : debug.categories,
  };
  const configTest = raw['configTest'];
  if (configTest !== undefined) {
    return { kind: 'configTest', logFile: typeof configTest === 'string' && configTest !== '' ? configTest : null, options };
  }
  if (options.dumpConf && options.json) return { kind: 'dumpConf', options };
  // -s NAME: keepalived's per-namespace pid files (and our control socket) unless given explicitly.
  return { kind: 'daemon', options: applyNamespaceDefaults(options, (f) => program.getOptionValueSource(f) === 'cli') };
}

/** `keepalived-ts status [--json] [-s NAME] [--control-socket PATH]`. */
function parseStatusCommand(args: readonly string[]): CliCommand {
  let json = false;
  let socketPath: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--json') json = true;
    else if ((a === '-s' || a === '--namespace') && args[i + 1] !== undefined) socketPath = namespacePaths(args[++i] ?? '').controlSocket;
    else if (a === '--control-socket') {
      const v = args[++i];
      if (v === undefined) return { kind: 'usageError', message: "option '--control-socket <path>' argument missing" };
      socketPath = v;
    } else if (a.startsWith('--control-socket=')) socketPath = a.slice('--control-socket='.length);
    else return { kind: 'usageError', message: `status: unknown option '${a}'` };
  }
  return { kind: 'status', json, socketPath };
}

/** `keepalived-ts ctl COMMAND [--control-socket PATH]`: one raw control-socket command. */
function parseCtlCommand(args: readonly string[]): CliCommand {
  let cmd: string | null = null;
  let socketPath: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--control-socket') {
      const v = args[++i];
      if (v === undefined) return { kind: 'usageError', message: "option '--control-socket <path>' argument missing" };
      socketPath = v;
    } else if (a.startsWith('--control-socket=')) socketPath = a.slice('--control-socket='.length);
    else if (a.startsWith('-') || cmd !== null) return { kind: 'usageError', message: `ctl: unexpected argument '${a}'` };
    else cmd = a;
  }
  if (cmd === null) return { kind: 'usageError', message: 'ctl: missing command (ping, debug-crash-checker)' };
  return { kind: 'ctl', cmd, socketPath };
}

/** keepalived's --help text (its wording), plus keepalived-ts's own options. */
export const USAGE = `Usage: keepalived-ts [OPTION...]
  -f, --use-file=FILE          Use the specified configuration file
                                default '${DEFAULT_CONFIG_FILE}'
  -P, --vrrp                   Only run with VRRP subsystem
  -C, --check                  Only run with Health-checker subsystem
  -B, --no_bfd                 Don't run BFD subsystem
      --all                    Force all child processes to run, even if have no configuration
  -l, --log-console            Log messages to local console
  -D, --log-detail             Detailed log messages
  -S, --log-facility=([0-7]|local[0-7]|user|daemon)
                               Set syslog facility to LOG_LOCAL[0-7], user or daemon (default)
  -g, --log-file=FILE          Also log to FILE (default /tmp/keepalived.log)
      --flush-log-file         Flush log file on write
  -G, --no-syslog              Don't log via syslog
  -u, --umask=MASK             umask for file creation (in numeric form)
  -X, --release-vips           Drop VIP on transition from signal.
  -V, --dont-release-vrrp      Don't remove VRRP VIPs and VROUTEs on daemon stop
  -I, --dont-release-ipvs      Don't remove IPVS topology on daemon stop
  -R, --dont-respawn           Don't respawn child processes
  -n, --dont-fork              Don't fork the daemon process
  -d, --dump-conf              Dump the configuration data
  -p, --pid=FILE               Use specified pidfile for parent process
  -r, --vrrp_pid=FILE          Use specified pidfile for VRRP child process
  -T, --genhash                Enter into genhash utility mode (this should be the first option used).
  -c, --checkers_pid=FILE      Use specified pidfile for checkers child process
  -a, --address-monitoring     Report all address additions/deletions notified via netlink
  -b, --bfd_pid=FILE           Use specified pidfile for BFD child process
  -x, --snmp                   Enable SNMP subsystem
  -A, --snmp-agent-socket=FILE Use the specified socket for master agent
  -s, --namespace=NAME         Run in network namespace NAME (overrides config)
  -m, --core-dump              Produce core dump if terminate abnormally
  -M, --core-dump-pattern=PATN Also set /proc/sys/kernel/core_pattern to PATN (default 'core')
  -e, --all-config             Error if any configuration file missing (same as includet)
  -i, --config-id id           Skip any configuration lines beginning '@' that don't match id
                                or any lines beginning @^ that do match.
                                The config-id defaults to the node name if option not used
      --signum=SIGFUNC         Return signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON
  -t, --config-test[=LOG_FILE] Check the configuration for obvious errors, output to
                                stderr by default
  -v, --version                Display the version number
  -h, --help                   Display this help message
keepalived-ts options:
      --json                   With -t: diagnostics as JSON on stdout; with -d: the resolved model as JSON
      --no-host-checks         With -t: skip interface, user and file checks (validate on another host)
      --metrics=[ADDR:]PORT    Serve Prometheus metrics (port alone: 127.0.0.1)
      --control-socket=PATH    Control socket (default /run/keepalived-ts/control.sock,
                                with -s NAME /run/keepalived-ts/NAME/control.sock)
      --control-group=GROUP    Group allowed to use the control socket (default: root only)
      --debug-categories=LIST  Debug logs for packet,fsm,netlink,arp,checker (comma list) or all
keepalived-ts status [--json] [-s NAME | --control-socket=PATH]
                               Print the running daemon's status
keepalived-ts ctl COMMAND [--control-socket=PATH]
                               Send a control command: ping, or debug-crash-checker
                                (debugging aid: crashes the checker worker thread)
`;
