import { decodeApdu, encodeApdu, type Apdu } from '../codec/apci.js';
import { Iec104CodecError } from '../errors.js';

const MODULO = 0x8000;

/** Timers are injected, so the link runs on real or simulated time. */
export interface LinkScheduler {
  set(ms: number, fire: () => void): { cancel(): void };
}

export const realScheduler: LinkScheduler = {
  set(ms, fire) {
    const t = setTimeout(fire, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

export interface LinkOptions {
  /** Largest number of unacknowledged I-frames we send (default 12). */
  readonly k?: number;
  /** Acknowledge at the latest after this many received I-frames (default 8). */
  readonly w?: number;
  /** t1: time-out of a send or test APDU (default 15 s). */
  readonly t1Ms?: number;
  /** t2: acknowledge received I-frames at the latest after this (default 10 s, < t1). */
  readonly t2Ms?: number;
  /** t3: send a test frame after this much silence (default 20 s). */
  readonly t3Ms?: number;
  /**
   * ASDUs queued behind the k window at most (default 10,000). A peer that keeps asking and never
   * acknowledges would otherwise grow the queue without bound; past this the link is closed.
   */
  readonly maxQueue?: number;
  /** The controlling side sends STARTDT; the controlled side waits for it. */
  readonly role: 'controlling' | 'controlled';
}

export interface LinkEvents {
  write(frame: Buffer): void;
  /** An ASDU received in sequence (already acknowledged as the rules require). */
  deliver(asdu: Buffer): void;
  /** Data transfer started (STARTDT confirmed) or stopped. */
  started?(active: boolean): void;
  /** The link must be closed; the reason is for the log (2.0 of IEC 60870-5-104 §5). */
  close(reason: string): void;
}

/**
 * The IEC 60870-5-104 link layer of one connection: STARTDT/STOPDT/TESTFR, 15-bit send and receive
 * sequence numbers, k/w flow control, t1/t2/t3 timers. A sequence error, an impossible
 * acknowledgement, a broken frame or a t1 expiry closes the link with a reason; nothing throws out.
 */
export class Iec104Link {
  private active = false;
  private closed = false;
  private sendSequence = 0;
  private receiveSequence = 0;
  /** I-frames sent and not yet acknowledged, with their ASDUs (handed over on a redundancy switch). */
  private unacked: { sequence: number; asdu: Buffer }[] = [];
  private receivedUnacked = 0;
  private queue: Buffer[] = [];
  private t1: { cancel(): void } | undefined;
  private t1Test: { cancel(): void } | undefined;
  private t2: { cancel(): void } | undefined;
  private t3: { cancel(): void } | undefined;
  private readonly k: number;
  private readonly w: number;
  private readonly maxQueue: number;

  constructor(private readonly options: LinkOptions, private readonly events: LinkEvents, private readonly scheduler: LinkScheduler = realScheduler) {
    this.k = options.k ?? 12;
    this.w = options.w ?? 8;
    this.maxQueue = options.maxQueue ?? 10_000;
    this.restartT3();
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Controlling side: ask the other end to start data transfer. */
  start(): void {
    this.sendU('STARTDT_ACT', true);
  }

  /** Sends an ASDU now, or as soon as the k window has room. */
  send(asdu: Buffer): void {
    if (this.closed) return;
    this.queue.push(asdu);
    this.flush();
    if (this.queue.length > this.maxQueue) this.fail(`send queue full (${this.queue.length} ASDUs waiting behind the k window): the peer does not acknowledge`);
  }

  /** Feeds one received APDU (use splitFrames on the stream first). */
  receive(frame: Buffer): void {
    if (this.closed) return;
    let apdu: Apdu;
    try {
      apdu = decodeApdu(frame);
    } catch (error) {
      this.fail(error instanceof Iec104CodecError ? `broken frame (${error.reason}): ${error.message}` : String(error));
      return;
    }
    this.restartT3();
    switch (apdu.format) {
      case 'I':
        if (!this.active) return this.fail('I-frame before STARTDT');
        if (apdu.sendSequence !== this.receiveSequence) return this.fail(`sequence error: expected N(S)=${this.receiveSequence}, got ${apdu.sendSequence}`);
        if (!this.acknowledge(apdu.receiveSequence)) return;
        this.receiveSequence = (this.receiveSequence + 1) % MODULO;
        this.receivedUnacked++;
        this.events.deliver(apdu.asdu);
        if (this.receivedUnacked >= this.w) this.sendS();
        else if (!this.t2) this.t2 = this.scheduler.set(this.options.t2Ms ?? 10_000, () => { this.t2 = undefined; if (this.receivedUnacked > 0) this.sendS(); });
        return;
      case 'S':
        this.acknowledge(apdu.receiveSequence);
        return;
      case 'U':
        switch (apdu.function) {
          case 'STARTDT_ACT': this.sendU('STARTDT_CON', false); this.setActive(true); return;
          case 'STARTDT_CON': this.cancelTestTimer(); this.setActive(true); return;
          case 'STOPDT_ACT': if (this.receivedUnacked > 0) this.sendS(); this.sendU('STOPDT_CON', false); this.setActive(false); return;
          case 'STOPDT_CON': this.cancelTestTimer(); this.setActive(false); return;
          case 'TESTFR_ACT': this.sendU('TESTFR_CON', false); return;
          case 'TESTFR_CON': this.cancelTestTimer(); return;
          default: {
            const never: never = apdu.function;
            return this.fail(`unexpected U-frame ${String(never)}`);
          }
        }
      default: {
        const never: never = apdu;
        return this.fail(`unexpected APDU ${JSON.stringify(never)}`);
      }
    }
  }

  /**
   * Redundancy: another connection of the group took over data transfer. The controlled side
   * stops sending data here; nothing goes on the wire (the standard has no STOPDT from this side).
   */
  deactivate(): void {
    if (this.active) this.setActive(false);
  }

  /** ASDUs sent but unacknowledged, then those still queued, in order; the link forgets them. */
  drain(): Buffer[] {
    const out = this.unacked.map((u) => u.asdu).concat(this.queue);
    this.unacked = [];
    this.queue = [];
    return out;
  }

  /** Stops every timer (after the socket closed). */
  dispose(): void {
    this.closed = true;
    for (const t of [this.t1, this.t1Test, this.t2, this.t3]) t?.cancel();
  }

  private setActive(active: boolean): void {
    this.active = active;
    this.events.started?.(active);
    if (active) this.flush();
  }

  /** N(R) acknowledges every I-frame sent before it; one outside what we sent is a protocol error. */
  private acknowledge(receiveSequence: number): boolean {
    const outstanding = (this.sendSequence - receiveSequence + MODULO) % MODULO;
    if (outstanding > this.unacked.length) {
      this.fail(`acknowledgement N(R)=${receiveSequence} is outside the ${this.unacked.length} unacknowledged frames`);
      return false;
    }
    // An N(R) that acknowledges nothing new leaves t1 running: stale S-frames must not keep a
    // link alive whose I-frames are never acknowledged.
    if (outstanding === this.unacked.length) return true;
    this.unacked = this.unacked.slice(this.unacked.length - outstanding);
    this.t1?.cancel();
    this.t1 = undefined;
    if (this.unacked.length > 0) this.startT1();
    this.flush();
    return true;
  }

  private flush(): void {
    while (this.active && !this.closed && this.queue.length > 0 && this.unacked.length < this.k) {
      const asdu = this.queue.shift()!;
      this.events.write(encodeApdu({ format: 'I', sendSequence: this.sendSequence, receiveSequence: this.receiveSequence, asdu }));
      this.unacked.push({ sequence: this.sendSequence, asdu });
      this.sendSequence = (this.sendSequence + 1) % MODULO;
      // An I-frame carries our N(R): it acknowledges what we received.
      this.receivedUnacked = 0;
      this.t2?.cancel();
      this.t2 = undefined;
      if (!this.t1) this.startT1();
    }
  }

  private startT1(): void {
    this.t1 = this.scheduler.set(this.options.t1Ms ?? 15_000, () => this.fail('t1 expired: I-frames not acknowledged'));
  }

  private sendS(): void {
    this.events.write(encodeApdu({ format: 'S', receiveSequence: this.receiveSequence }));
    this.receivedUnacked = 0;
    this.t2?.cancel();
    this.t2 = undefined;
  }

  private sendU(fn: Apdu extends infer A ? A extends { format: 'U'; function: infer F } ? F : never : never, expectConfirmation: boolean): void {
    this.events.write(encodeApdu({ format: 'U', function: fn }));
    if (expectConfirmation) {
      this.cancelTestTimer();
      this.t1Test = this.scheduler.set(this.options.t1Ms ?? 15_000, () => this.fail(`t1 expired: no confirmation of ${fn}`));
    }
  }

  private cancelTestTimer(): void {
    this.t1Test?.cancel();
    this.t1Test = undefined;
  }

  private restartT3(): void {
    this.t3?.cancel();
    // A test frame still awaiting its confirmation keeps its own t1 running: no second one.
    this.t3 = this.scheduler.set(this.options.t3Ms ?? 20_000, () => {
      if (this.closed) return;
      if (!this.t1Test) this.sendU('TESTFR_ACT', true);
      this.restartT3();
    });
  }

  private fail(reason: string): void {
    if (this.closed) return;
    this.dispose();
    this.events.close(reason);
  }
}
