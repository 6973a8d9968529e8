/**
 * One BFD session's state machine (RFC 5880 §6.2, §6.8; asynchronous mode, no echo, no demand,
 * no authentication — keepalived 2.2.7 has none of these either). Pure: no sockets, no clock reads.
 *
 * Flow: the owner calls `start` / `receive` / `timerFired` / `stop` with the monotonic time in µs and
 * executes the returned effects in order: `send` a control packet, `setTimer` / `clearTimer` one of the
 * three timer slots (tx, detect, reset), `state` (a state change; `notify` says whether clients such
 * as VRRP track_bfd should see it). Randomness (jitter, discriminators) comes from injected functions.
 *
 * Timing, as keepalived runs it (which is RFC 5880 conformant):
 *  - while not Up the desired TX interval sent is `idle_tx` (RFC "slow TX", ≥ 1 s): the TX interval is
 *    max(idle_tx, remote Required Min RX); in Init/Up with the remote Up it is max(min_tx, remote
 *    Required Min RX) (§6.8.2, §6.8.7);
 *  - while Up, timing changes only on a packet carrying Poll or Final (§6.8.3); entering Up starts a
 *    Poll sequence when min_tx differs from idle_tx, a received Poll is answered at once with Final;
 *  - detection time = remote Detect Mult × max(min_rx, remote Desired Min TX) (§6.8.4);
 *  - each TX is jittered to 75–100 % of the interval, 75–90 % when Detect Mult is 1 (§6.8.7);
 *  - a passive session (`passive`) sends nothing until it hears from the peer, and stops when Down;
 *  - leaving Up picks a new local discriminator and, one detection time later, forgets the remote
 *    side (reset timer), as keepalived does;
 *  - a remote AdminDown takes the session Down (diag 3) without notifying clients (§6.8.16: clients
 *    should not fail over on an administrative shutdown). On stop we send nothing, like keepalived, so
 *    the peer detects the loss.
 */
import { BfdDiag, BfdState, type BfdControlPacket, type BfdPacketFields } from './packet.js';

export interface BfdSessionParams {
  /** min_tx: Desired Min TX Interval while Up (µs). */
  readonly desiredMinTxUs: number;
  /** min_rx: Required Min RX Interval (µs). */
  readonly requiredMinRxUs: number;
  /** idle_tx: Desired Min TX Interval while not Up (µs). */
  readonly idleTxUs: number;
  /** multiplier: Detect Mult. */
  readonly detectMult: number;
  readonly passive: boolean;
}

export type BfdTimer = 'tx' | 'detect' | 'reset';

export type BfdEffect =
  | { readonly kind: 'send'; readonly packet: BfdPacketFields }
  | { readonly kind: 'setTimer'; readonly timer: BfdTimer; readonly atUs: number }
  | { readonly kind: 'clearTimer'; readonly timer: BfdTimer }
  | { readonly kind: 'state'; readonly from: BfdState; readonly to: BfdState; readonly diag: number; readonly remoteDiag: number; readonly notify: boolean };

export interface BfdRandom {
  /** Uniform in [0, 1). */
  readonly fraction: () => number;
  /** A fresh non-zero local discriminator (unique among this system's sessions). */
  readonly discriminator: () => number;
}

/** Read-only view of the session variables (RFC 5880 §6.8.1 names). */
export interface BfdSessionView {
  readonly sessionState: BfdState;
  readonly remoteSessionState: BfdState;
  readonly localDiscr: number;
  readonly remoteDiscr: number;
  readonly localDiag: number;
  readonly remoteDiag: number;
  readonly remoteMinRxUs: number;
  readonly remoteMinTxUs: number;
  readonly remoteDetectMult: number;
  /** Negotiated transmit interval (before jitter). */
  readonly txIntervalUs: number;
  /** Detection time; 0 until a packet was received. */
  readonly detectTimeUs: number;
  /** The peer's transmit interval as we require it: max(min_rx, remote Desired Min TX). */
  readonly remoteTxIntervalUs: number;
  readonly poll: boolean;
  readonly final: boolean;
}

export class BfdSession {
  private state: BfdState = BfdState.Down;
  private remoteState: BfdState = BfdState.Down;
  private localDiscr: number;
  private remoteDiscr = 0;
  private localDiag: number = BfdDiag.NoDiag;
  private remoteDiag: number = BfdDiag.NoDiag;
  private remoteMinRxUs = 0;
  private remoteMinTxUs = 0;
  private remoteDetectMult = 0;
  private txIntervalUs: number;
  private remoteTxIntervalUs = 0;
  private detectTimeUs = 0;
  private poll = false;
  private final = false;
  /** Slots that currently hold a timer (mirrors what the owner has armed). */
  private readonly armed = new Set<BfdTimer>();
  private running = false;

  constructor(
    private params: BfdSessionParams,
    private readonly random: BfdRandom,
  ) {
    this.localDiscr = random.discriminator();
    this.txIntervalUs = params.idleTxUs;
  }

  view(): BfdSessionView {
    return {
      sessionState: this.state,
      remoteSessionState: this.remoteState,
      localDiscr: this.localDiscr,
      remoteDiscr: this.remoteDiscr,
      localDiag: this.localDiag,
      remoteDiag: this.remoteDiag,
      remoteMinRxUs: this.remoteMinRxUs,
      remoteMinTxUs: this.remoteMinTxUs,
      remoteDetectMult: this.remoteDetectMult,
      txIntervalUs: this.txIntervalUs,
      detectTimeUs: this.detectTimeUs,
      remoteTxIntervalUs: this.remoteTxIntervalUs,
      poll: this.poll,
      final: this.final,
    };
  }

  /** Begins transmitting (unless passive): the first packet goes out at once. */
  start(nowUs: number): BfdEffect[] {
    if (this.running) return [];
    this.running = true;
    if (this.params.passive) return [];
    return [this.sendNow(), this.scheduleTx(nowUs)];
  }

  /** Stops every timer; nothing is sent (see the module header). */
  stop(): BfdEffect[] {
    this.running = false;
    const out: BfdEffect[] = [];
    for (const t of [...this.armed]) out.push(this.clear(t));
    return out;
  }

  /**
   * New local timing (reload with changed min_tx / min_rx / idle_tx / multiplier / passive): while Up
   * the change is announced with a Poll sequence (§6.8.3).
   */
  reconfigure(params: BfdSessionParams): BfdEffect[] {
    const changed = JSON.stringify(params) !== JSON.stringify(this.params);
    this.params = params;
    if (!changed || !this.running) return [];
    if (this.state === BfdState.Up) {
      this.startPoll();
      return [this.sendNow()];
    }
    this.txIntervalUs = Math.max(params.idleTxUs, this.remoteMinRxUs);
    return [];
  }

  /** A packet that passed decodeBfdPacket and was demultiplexed to this session (§6.8.6). */
  receive(p: BfdControlPacket, nowUs: number): BfdEffect[] {
    if (!this.running) return [];
    const out: BfdEffect[] = [];
    const oldTx = this.txIntervalUs;
    this.remoteDiscr = p.myDiscr;
    this.remoteState = p.state;
    this.remoteDiag = p.diag;
    this.remoteMinRxUs = p.requiredMinRxUs;
    this.remoteMinTxUs = p.desiredMinTxUs;
    this.remoteDetectMult = p.detectMult;
    if (p.final) this.poll = false;

    if (this.state !== BfdState.Up || p.poll || p.final) {
      const remoteUp = p.state === BfdState.Up && (this.state === BfdState.Init || this.state === BfdState.Up);
      this.txIntervalUs = Math.max(remoteUp ? this.params.desiredMinTxUs : this.params.idleTxUs, this.remoteMinRxUs);
      this.remoteTxIntervalUs = Math.max(this.params.requiredMinRxUs, this.remoteMinTxUs);
    }
    this.detectTimeUs = this.remoteDetectMult * this.remoteTxIntervalUs;

    if (this.txIntervalUs < oldTx && this.armed.has('tx')) out.push(this.scheduleTx(nowUs));

    if (p.state === BfdState.AdminDown) {
      if (this.state !== BfdState.Down) out.push(...this.goDown(BfdDiag.NeighborSignaledSessionDown, nowUs));
    } else if (this.state === BfdState.Down) {
      if (p.state === BfdState.Down) out.push(...this.goInit(nowUs));
      else if (p.state === BfdState.Init) out.push(...this.goUp(nowUs));
    } else if (this.state === BfdState.Init) {
      if (p.state === BfdState.Init || p.state === BfdState.Up) out.push(...this.goUp(nowUs));
    } else if (this.state === BfdState.Up && p.state === BfdState.Down) {
      out.push(...this.goDown(BfdDiag.NeighborSignaledSessionDown, nowUs));
    }

    const mayTx = !this.params.passive || this.state !== BfdState.Down;
    if (mayTx && !this.armed.has('tx')) out.push(this.scheduleTx(nowUs));

    if (p.poll) {
      this.final = true;
      out.push(this.sendNow());
    }
    if (this.state === BfdState.Up || this.state === BfdState.Init) out.push(this.set('detect', nowUs + this.detectTimeUs));
    return out;
  }

  timerFired(timer: BfdTimer, nowUs: number): BfdEffect[] {
    if (!this.armed.has(timer) || !this.running) return [];
    this.armed.delete(timer);
    if (timer === 'tx') return [this.sendNow(), this.scheduleTx(nowUs)];
    if (timer === 'detect') {
      this.remoteDiscr = 0;
      return this.goDown(BfdDiag.ControlDetectionTimeExpired, nowUs);
    }
    // reset: forget the remote side one detection time after going Down
    this.remoteDiscr = 0;
    this.remoteState = BfdState.Down;
    this.remoteDiag = BfdDiag.NoDiag;
    this.poll = false;
    this.final = false;
    this.txIntervalUs = Math.max(this.params.idleTxUs, this.remoteMinRxUs);
    return [];
  }

  /** The packet this session would send now (clears Final, as a sent Final answers one Poll). */
  private sendNow(): BfdEffect {
    if (this.poll && this.final) this.poll = false;
    const packet: BfdPacketFields = {
      diag: this.localDiag,
      state: this.state,
      poll: this.poll,
      final: this.final,
      detectMult: this.params.detectMult,
      myDiscr: this.localDiscr,
      yourDiscr: this.remoteDiscr,
      desiredMinTxUs: this.state === BfdState.Up ? this.params.desiredMinTxUs : this.params.idleTxUs,
      requiredMinRxUs: this.params.requiredMinRxUs,
    };
    this.final = false;
    return { kind: 'send', packet };
  }

  /** Next periodic TX: interval less 0–25 % jitter (0-25 % → 75–100 %; 10–25 % with Detect Mult 1). */
  private scheduleTx(nowUs: number): BfdEffect {
    const i = this.txIntervalUs;
    const minJitter = this.params.detectMult === 1 ? i / 10 : 0;
    const jitter = minJitter + this.random.fraction() * (i / 4 - minJitter);
    return this.set('tx', nowUs + Math.round(i - jitter));
  }

  private set(timer: BfdTimer, atUs: number): BfdEffect {
    this.armed.add(timer);
    return { kind: 'setTimer', timer, atUs };
  }

  private clear(timer: BfdTimer): BfdEffect {
    this.armed.delete(timer);
    return { kind: 'clearTimer', timer };
  }

  private startPoll(): void {
    if (!this.final) this.poll = true;
  }

  private transition(to: BfdState, notify: boolean): BfdEffect {
    const from = this.state;
    this.state = to;
    return { kind: 'state', from, to, diag: this.localDiag, remoteDiag: this.remoteDiag, notify };
  }

  private goInit(nowUs: number): BfdEffect[] {
    this.localDiag = BfdDiag.NoDiag;
    const out: BfdEffect[] = [this.transition(BfdState.Init, false)];
    if (this.armed.has('reset')) out.push(this.clear('reset'));
    out.push(this.set('detect', nowUs + this.detectTimeUs));
    return out;
  }

  private goUp(nowUs: number): BfdEffect[] {
    this.localDiag = BfdDiag.NoDiag;
    const out: BfdEffect[] = [this.transition(BfdState.Up, true)];
    if (this.armed.has('reset')) out.push(this.clear('reset'));
    out.push(this.set('detect', nowUs + this.detectTimeUs));
    if (this.params.idleTxUs !== this.params.desiredMinTxUs) this.startPoll();
    return out;
  }

  private goDown(diag: number, nowUs: number): BfdEffect[] {
    const wasUp = this.state === BfdState.Up;
    if (wasUp) this.localDiscr = this.random.discriminator();
    this.localDiag = diag;
    const notify = wasUp && this.remoteState !== BfdState.AdminDown;
    const out: BfdEffect[] = [this.transition(BfdState.Down, notify)];
    out.push(this.set('reset', nowUs + this.detectTimeUs));
    if (this.params.passive && this.armed.has('tx')) out.push(this.clear('tx'));
    this.txIntervalUs = Math.max(this.params.idleTxUs, this.remoteMinRxUs);
    if (this.armed.has('detect')) out.push(this.clear('detect'));
    return out;
  }
}
