/**
 * Runs one BfdSession on a Clock: executes its effects (timers on the clock, packets to a send
 * callback, state changes to a listener) and feeds timer fires back. No sockets: the manager gives
 * it a `send` function and calls `receive` with demultiplexed packets; tests wire two drivers
 * together on a FakeClock.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import type { BfdControlPacket, BfdPacketFields, BfdState } from './packet.js';
import { BfdSession, type BfdEffect, type BfdRandom, type BfdSessionParams, type BfdTimer } from './session.js';

export interface BfdStateChange {
  readonly from: BfdState;
  readonly to: BfdState;
  readonly diag: number;
  readonly remoteDiag: number;
  /** Whether clients (track_bfd) should see the change. */
  readonly notify: boolean;
}

export class BfdSessionDriver {
  readonly session: BfdSession;
  private readonly timers = new Map<BfdTimer, TimerHandle>();

  constructor(
    params: BfdSessionParams,
    random: BfdRandom,
    private readonly clock: Clock,
    private readonly send: (p: BfdPacketFields) => void,
    private readonly onState: (c: BfdStateChange) => void,
  ) {
    this.session = new BfdSession(params, random);
  }

  start(): void {
    this.run(this.session.start(this.clock.nowUs()));
  }

  stop(): void {
    this.run(this.session.stop());
  }

  receive(p: BfdControlPacket): void {
    this.run(this.session.receive(p, this.clock.nowUs()));
  }

  reconfigure(params: BfdSessionParams): void {
    this.run(this.session.reconfigure(params));
  }

  private run(effects: readonly BfdEffect[]): void {
    for (const e of effects) {
      switch (e.kind) {
        case 'send':
          this.send(e.packet);
          break;
        case 'setTimer': {
          this.clock.clearTimer(this.timers.get(e.timer));
          const timer = e.timer;
          this.timers.set(
            timer,
            this.clock.setTimer(e.atUs - this.clock.nowUs(), () => {
              this.timers.delete(timer);
              this.run(this.session.timerFired(timer, this.clock.nowUs()));
            }),
          );
          break;
        }
        case 'clearTimer':
          this.clock.clearTimer(this.timers.get(e.timer));
          this.timers.delete(e.timer);
          break;
        case 'state':
          this.onState({ from: e.from, to: e.to, diag: e.diag, remoteDiag: e.remoteDiag, notify: e.notify });
          break;
      }
    }
  }
}
