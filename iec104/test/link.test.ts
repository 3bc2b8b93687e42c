import { decodeApdu, encodeApdu } from '../codec/apci.js';
import { Iec104Link, type LinkScheduler } from '../link/link.js';

/** Simulated time for the link's timers (a unit test of the link module alone). */
class FakeScheduler implements LinkScheduler {
  now = 0;
  private timers: { at: number; fire: () => void; cancelled: boolean }[] = [];
  set(ms: number, fire: () => void) {
    const timer = { at: this.now + ms, fire, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => { timer.cancelled = true; } };
  }
  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const next = this.timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.now = next.at;
      next.cancelled = true;
      next.fire();
    }
    this.now = until;
  }
}

function pair() {
  const drop = { toA: false, toB: false };
  const scheduler = new FakeScheduler();
  const wire: { to: 'a' | 'b'; frame: Buffer }[] = [];
  const log = { a: [] as string[], b: [] as string[], closed: { a: '', b: '' }, deliveredA: [] as string[], deliveredB: [] as string[] };
  const kind = (f: Buffer): string => { const a = decodeApdu(f); return a.format === 'U' ? a.function : a.format; };
  const a = new Iec104Link({ role: 'controlling' }, {
    write: (f) => { log.a.push(kind(f)); if (!drop.toB) wire.push({ to: 'b', frame: f }); }, deliver: (x) => log.deliveredA.push(x.toString('hex')), close: (r) => { log.closed.a = r; },
  }, scheduler);
  const b = new Iec104Link({ role: 'controlled' }, {
    write: (f) => { log.b.push(kind(f)); if (!drop.toA) wire.push({ to: 'a', frame: f }); }, deliver: (x) => log.deliveredB.push(x.toString('hex')), close: (r) => { log.closed.b = r; },
  }, scheduler);
  const pump = (): void => { while (wire.length) { const { to, frame } = wire.shift()!; (to === 'a' ? a : b).receive(frame); } };
  return { a, b, scheduler, log, pump, drop };
}

const asdu = (i: number): Buffer => Buffer.from([0x0d, 0x01, 0x03, 0x00, 0x01, 0x00, i, 0, 0, 0, 0, 0, 0, 0]);

describe('IEC 104 link layer', () => {
  it('starts data transfer with STARTDT act/con', () => {
    const { a, b, log, pump } = pair();
    a.start();
    pump();
    expect(log.a).toEqual(['STARTDT_ACT']);
    expect(log.b).toEqual(['STARTDT_CON']);
    expect(a.isActive && b.isActive).toBe(true);
  });

  it('sends at most k=12 unacknowledged I-frames, acknowledges every w=8, and delivers all in order', () => {
    const { a, b, log, pump } = pair();
    a.start();
    pump();
    for (let i = 0; i < 20; i++) b.send(asdu(i));
    expect(log.b.filter((k) => k === 'I')).toHaveLength(12);
    pump();
    expect(log.deliveredA).toEqual(Array.from({ length: 20 }, (_, i) => asdu(i).toString('hex')));
    expect(log.a.filter((k) => k === 'S').length).toBeGreaterThanOrEqual(2);
  });

  it('acknowledges a few I-frames when t2 expires', () => {
    const { a, b, log, pump, scheduler } = pair();
    a.start();
    pump();
    for (let i = 0; i < 3; i++) b.send(asdu(i));
    pump();
    expect(log.a).not.toContain('S');
    scheduler.advance(10_000);
    expect(log.a).toContain('S');
  });

  it('closes when STARTDT is never confirmed (t1)', () => {
    const { a, log, pump, scheduler, drop } = pair();
    drop.toA = true;
    a.start();
    pump();
    scheduler.advance(15_000);
    expect(log.closed.a).toMatch(/t1 expired: no confirmation of STARTDT_ACT/);
  });

  it('closes when sent I-frames are never acknowledged (t1)', () => {
    const { a, b, log, pump, scheduler, drop } = pair();
    a.start();
    pump();
    drop.toB = true;
    b.send(asdu(1));
    pump();
    expect(log.deliveredA).toHaveLength(1);
    scheduler.advance(15_000);
    expect(log.closed.b).toMatch(/t1 expired: I-frames not acknowledged/);
  });

  it('closes on a sequence error, an I-frame before STARTDT, and an impossible acknowledgement', () => {
    const first = pair();
    first.b.receive(encodeApdu({ format: 'I', sendSequence: 0, receiveSequence: 0, asdu: asdu(1) }));
    expect(first.log.closed.b).toBe('I-frame before STARTDT');

    const second = pair();
    second.a.start();
    second.pump();
    second.a.receive(encodeApdu({ format: 'I', sendSequence: 5, receiveSequence: 0, asdu: asdu(1) }));
    expect(second.log.closed.a).toMatch(/sequence error: expected N\(S\)=0, got 5/);

    const third = pair();
    third.a.start();
    third.pump();
    third.a.receive(encodeApdu({ format: 'S', receiveSequence: 3 }));
    expect(third.log.closed.a).toMatch(/acknowledgement N\(R\)=3 is outside/);

    const fourth = pair();
    fourth.a.receive(Buffer.from([0x68, 0x09, 0x00]));
    expect(fourth.log.closed.a).toMatch(/broken frame \((truncated|length)\)/);
  });

  it('tests a silent link after t3 and keeps it open when the peer answers', () => {
    const { a, log, pump, scheduler } = pair();
    a.start();
    pump();
    scheduler.advance(20_000);
    expect(log.a).toContain('TESTFR_ACT');
    pump();
    expect(log.b).toContain('TESTFR_CON');
    scheduler.advance(14_000);
    expect(log.closed.a).toBe('');
  });
});
