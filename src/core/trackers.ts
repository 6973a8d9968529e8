/**
 * The daemon's tracked objects in one place: `vrrp_script` runners, `track_file` watchers and the
 * `vrrp_track_process` poller for the objects some instance tracks, plus interface state for
 * `track_interface`. Every change is fanned out to the instance drivers (`InstanceDriver.observe`),
 * which fold it into their tracking set.
 * On reload, unchanged scripts keep running (and keep their rise/fall state), and an unchanged set of
 * tracked processes keeps its counts and pending delays.
 * The BFD sessions of every `bfd_instance` (src/bfd/manager.ts) run here too, feeding `track_bfd`;
 * a session that never came Up (or BFD disabled with -B) reads as down, as in keepalived.
 */
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { InstanceDriver } from './instance.js';
import type { ResolvedInstance } from './instance-config.js';
import { ScriptTrackers } from './script-trackers.js';
import { FileTrackers } from './file-trackers.js';
import { ProcessTrackers } from './process-trackers.js';
import { BfdManager, type BfdSessionStatus } from '../bfd/manager.js';
import type { KeepalivedConfig } from '../config/model.js';
import type { EffectiveInstance } from '../config/validate/index.js';
import { vrrpParamsFromConfig } from '../vrrp/params-from-config.js';
import type { TrackerKind } from '../vrrp/params.js';

function trackedNames(resolved: ReadonlyMap<string, ResolvedInstance>, kind: TrackerKind): Set<string> {
  const out = new Set<string>();
  for (const inst of resolved.values()) for (const t of inst.params.trackers) if (t.kind === kind) out.add(t.name);
  return out;
}

export class Trackers {
  private scripts: ScriptTrackers | undefined;
  private scriptsSignature = '';
  private files: FileTrackers | undefined;
  private processes: ProcessTrackers | undefined;
  private processesSignature = '';
  private started = false;
  private readonly bfd: BfdManager | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    /** The drivers to notify (read at each change). */
    private readonly drivers: () => Iterable<InstanceDriver>,
    /** Whether an interface is usable (UP and RUNNING), undefined when unknown. */
    private readonly interfaceUp: (name: string) => boolean | undefined,
    /** false with -B / --no_bfd: no BFD sessions, every track_bfd stays down. */
    runBfd = true,
  ) {
    this.bfd = runBfd
      ? new BfdManager(clock, log, (name, up) => {
          for (const d of this.drivers()) d.observe('bfd', name, { kind: up ? 'up' : 'down' });
        })
      : undefined;
  }

  /** (Re)configures the runners for the objects `resolved` tracks. */
  update(config: KeepalivedConfig, instances: readonly EffectiveInstance[], resolved: ReadonlyMap<string, ResolvedInstance>): void {
    const wantedScripts = trackedNames(resolved, 'script');
    const scripts = vrrpParamsFromConfig(config, instances).scripts.filter((sc) => wantedScripts.has(sc.name));
    const signature = JSON.stringify(scripts);
    if (signature !== this.scriptsSignature || this.scripts === undefined) {
      this.scripts?.stop();
      this.scriptsSignature = signature;
      const su = config.globalDefs.scriptUser;
      this.scripts = new ScriptTrackers(scripts, this.clock, this.log, (name, obs) => {
        for (const d of this.drivers()) d.observe('script', name, obs);
      }, su !== null ? { user: su.user, group: su.group } : null);
      if (this.started) this.scripts.start();
    }
    const wantedFiles = trackedNames(resolved, 'file');
    this.files?.stop();
    this.files = new FileTrackers(config.trackFiles.filter((f) => wantedFiles.has(f.name)), this.log, (name, obs) => {
      for (const d of this.drivers()) d.observe('file', name, obs);
    });
    if (this.started) {
      this.files.start();
      for (const d of this.drivers()) for (const name of d.trackedNames('file')) d.observe('file', name, this.files.observation(name));
    }
    this.updateProcesses(config, resolved);
    this.updateBfd(config);
  }

  /** BFD sessions follow the configuration; drivers re-read every tracked session's state. */
  private updateBfd(config: KeepalivedConfig): void {
    if (this.bfd !== undefined) {
      this.bfd.update(config.bfdInstances).catch((err: unknown) => this.log.error({ err }, 'BFD reconfiguration failed'));
    }
    if (this.started) for (const d of this.drivers()) for (const name of d.trackedNames('bfd')) d.observe('bfd', name, this.bfdObservation(name));
  }

  private bfdObservation(name: string): { readonly kind: 'up' | 'down' } {
    return { kind: this.bfd?.isUp(name) === true ? 'up' : 'down' };
  }

  /** keepalived_bfd.data text for SIGUSR1; empty without BFD sessions. */
  bfdDump(): string {
    return this.bfd?.dumpText() ?? '';
  }

  /** BFD sessions for status output. */
  bfdStatus(): readonly BfdSessionStatus[] {
    return this.bfd?.status() ?? [];
  }

  /** Restarts the process poller only when the tracked vrrp_track_process objects changed. */
  private updateProcesses(config: KeepalivedConfig, resolved: ReadonlyMap<string, ResolvedInstance>): void {
    const wanted = trackedNames(resolved, 'process');
    const procs = config.trackProcesses.filter((p) => wanted.has(p.name));
    const signature = JSON.stringify(procs.map(({ pos: _pos, ...rest }) => rest));
    if (signature === this.processesSignature && this.processes !== undefined) return;
    this.processes?.stop();
    this.processesSignature = signature;
    this.processes = new ProcessTrackers(procs, this.clock, this.log, (name, obs) => {
      for (const d of this.drivers()) d.observe('process', name, obs);
    });
    if (this.started) {
      this.processes.start();
      for (const d of this.drivers()) for (const name of d.trackedNames('process')) d.observe('process', name, this.processes.observation(name));
    }
  }

  /** Feeds a (new) driver the current state of everything it tracks. */
  seed(d: InstanceDriver): void {
    for (const name of d.trackedNames('interface')) d.observe('interface', name, { kind: this.interfaceUp(name) === true ? 'up' : 'down' });
    for (const name of d.trackedNames('file')) {
      const obs = this.files?.observation(name);
      if (obs !== undefined && obs.kind !== 'unknown') d.observe('file', name, obs);
    }
    for (const name of d.trackedNames('script')) {
      const obs = this.scripts?.observation(name);
      if (obs !== undefined && obs.kind !== 'unknown') d.observe('script', name, obs);
    }
    for (const name of d.trackedNames('process')) {
      const obs = this.processes?.observation(name);
      if (obs !== undefined && obs.kind !== 'unknown') d.observe('process', name, obs);
    }
    for (const name of d.trackedNames('bfd')) d.observe('bfd', name, this.bfdObservation(name));
  }

  /** A link changed state (track_interface). */
  linkChanged(name: string, up: boolean): void {
    for (const d of this.drivers()) d.observe('interface', name, { kind: up ? 'up' : 'down' });
  }

  start(): void {
    this.started = true;
    this.scripts?.start();
    this.files?.start();
    this.processes?.start();
    this.bfd?.start().catch((err: unknown) => this.log.error({ err }, 'BFD start failed'));
  }

  stop(): void {
    this.scripts?.stop();
    this.files?.stop();
    this.processes?.stop();
    this.bfd?.stop();
  }
}
