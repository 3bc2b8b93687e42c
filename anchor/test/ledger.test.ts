import Database from 'better-sqlite3';
import { sqliteDriverOptions } from '../../src/sqlite.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/clock.js';
import { readPem } from '../../src/pki.js';
import { testPki } from '../../test/support/vtn-harness.js';
import { checkProof, ContractError, EmbeddedLedger, type AllocationRecord, type ContractEvent, type LedgerProof } from '../index.js';
import fc from 'fast-check';
import { initialAvailability, updateAvailability } from '../domain/index.js';
import { customer, dates, householdDay, operator, otherRetailer, retailer } from './scenario.js';

const node = (() => {
  const cert = testPki().issue('ledger-node', 'ecdsa');
  return { privateKeyPem: readPem(cert.keyPath), certificatePem: readPem(cert.certPath) };
})();

function openLedger(path = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.sqlite')) {
  return { path, ledger: new EmbeddedLedger({ path, node, clock: new ManualClock(Date.UTC(2026, 10, 23, 18)) }) };
}

async function refusal(run: Promise<unknown>): Promise<ContractError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof ContractError) return error;
    throw error;
  }
  throw new Error('expected a ContractError');
}

// Seed 002's experiment: 35 days of history, a DR event 07:00–19:00, one customer complying and one not.
async function drDay() {
  const { ledger, path } = openLedger();
  const events: ContractEvent[] = [];
  ledger.onEvent((e) => events.push(e));
  await ledger.submit('registerMeter', { meterId: 'meter-a', customerId: 'alice', retailerId: 'retailer-1' }, operator);
  await ledger.submit('registerMeter', { meterId: 'meter-b', customerId: 'bob', retailerId: 'retailer-1' }, operator);
  for (const [i, date] of dates('2026-10-19', 35).entries()) {
    await ledger.submit('recordEnergy', { meterId: 'meter-a', date, intervalMinutes: 15, values: householdDay(2400, i) }, retailer);
    await ledger.submit('recordEnergy', { meterId: 'meter-b', date, intervalMinutes: 15, values: householdDay(1800, i + 100) }, retailer);
  }
  const start = 28; // 07:00
  const end = 76; // 19:00
  const notified = await ledger.submit('notifyDREvent', { eventId: 'dr-1', date: '2026-11-24', notifiedOn: '2026-11-23', start, end, request: new Array(end - start).fill(1000), meterIds: ['meter-a', 'meter-b'] }, operator);
  const a = await ledger.evaluate('queryLoadReduction', { eventId: 'dr-1', meterId: 'meter-a' }, customer('alice'));
  const b = await ledger.evaluate('queryLoadReduction', { eventId: 'dr-1', meterId: 'meter-b' }, operator);
  // Alice follows her target during the event; Bob ignores the event and uses his baseline.
  const alice = a.baseline.map((v, k) => Math.round(k >= start && k < end ? a.target[k]! : v));
  const bob = b.baseline.map((v) => Math.round(v));
  await ledger.submit('recordEnergy', { meterId: 'meter-a', date: '2026-11-24', intervalMinutes: 15, values: alice, eventDay: true }, retailer);
  await ledger.submit('recordEnergy', { meterId: 'meter-b', date: '2026-11-24', intervalMinutes: 15, values: bob, eventDay: true }, retailer);
  const settled = await ledger.submit('settle', { eventId: 'dr-1', scale: 100 }, operator);
  return { ledger, path, notified, a, b, settled, events };
}

describe('DR contract on the embedded ledger', () => {
  it('runs a DR day: allocation covers the request, the complying customer earns tokens, the other almost none', async () => {
    const { ledger, notified, a, b, settled, events } = await drDay();
    expect(notified.result.shortfall.every((s) => s === 0)).toBe(true);
    for (let k = 28; k < 76; k++) expect(a.reduction[k]! + b.reduction[k]!).toBeCloseTo(1000, 2);
    expect(a.baselineMethod).toBe('High21of35');
    const [alice, bob] = settled.result;
    expect(alice).toMatchObject({ customerId: 'alice', compliantIntervals: 48, eventIntervals: 48 });
    expect(alice!.performance).toBeGreaterThan(0.99);
    expect(alice!.reward).toBeGreaterThan(10 * bob!.reward);
    expect((await ledger.evaluate('balanceOf', { customerId: 'alice' }, customer('alice'))).balance).toBeCloseTo(alice!.reward, 9);
    expect(events.map((e) => e.name)).toEqual(expect.arrayContaining(['DREventNotified', 'DREventSettled']));
    expect(ledger.verifyChain()).toEqual({ ok: true, blocks: ledger.height(), problems: [] });
    ledger.close();
  });

  it('learns availability: the complying customer is asked more at the next event', async () => {
    const { ledger } = await drDay();
    const history = ledger.history('availability', ['meter-a']);
    const after = (history.at(-1)!.value as { values: number[] }).values;
    const bob = (ledger.history('availability', ['meter-b']).at(-1)!.value as { values: number[] }).values;
    expect(await ledger.evaluate('evaluateAvailability', { meterId: 'meter-a' }, customer('alice'))).toEqual({ meterId: 'meter-a', availability: after });
    await expect(ledger.evaluate('evaluateAvailability', { meterId: 'meter-a' }, customer('bob'))).rejects.toMatchObject({ code: 'forbidden' });
    expect(after[40]).toBeGreaterThan(0.5);
    expect(bob[40]).toBeLessThan(0.5);
    ledger.close();
  });

  describe('access control by X.509 attributes (seed 002 §5.2)', () => {
    let ledger: EmbeddedLedger;
    beforeAll(async () => {
      ({ ledger } = await drDay());
    });
    afterAll(() => ledger.close());

    it('refuses energy from a retailer the meter is not enabled for', async () => {
      expect(await refusal(ledger.submit('recordEnergy', { meterId: 'meter-a', date: '2026-11-25', intervalMinutes: 15, values: householdDay(1, 1) }, otherRetailer))).toMatchObject({ code: 'forbidden' });
    });
    it('refuses energy recorded by a customer or the operator', async () => {
      expect(await refusal(ledger.submit('recordEnergy', { meterId: 'meter-a', date: '2026-11-25', intervalMinutes: 15, values: householdDay(1, 1) }, customer('alice')))).toMatchObject({ code: 'forbidden' });
      expect(await refusal(ledger.submit('recordEnergy', { meterId: 'meter-a', date: '2026-11-25', intervalMinutes: 15, values: householdDay(1, 1) }, operator))).toMatchObject({ code: 'forbidden' });
    });
    it('refuses DR events, baselines and settlements from anyone but the system operator', async () => {
      expect(await refusal(ledger.submit('notifyDREvent', { eventId: 'x', date: '2026-11-26', notifiedOn: '2026-11-25', start: 0, end: 4, request: [1, 1, 1, 1], meterIds: ['meter-a'] }, retailer))).toMatchObject({ code: 'forbidden' });
      expect(await refusal(ledger.evaluate('evaluateBaseline', { meterId: 'meter-a', eventDate: '2026-11-26', notifiedOn: '2026-11-25' }, customer('alice')))).toMatchObject({ code: 'forbidden' });
      expect(await refusal(ledger.submit('settle', { eventId: 'dr-1', scale: 1 }, customer('alice')))).toMatchObject({ code: 'forbidden' });
      expect(await refusal(ledger.submit('registerMeter', { meterId: 'm', customerId: 'c', retailerId: 'retailer-1' }, retailer))).toMatchObject({ code: 'forbidden' });
    });
    it('lets a customer read only its own meter, allocation, settlement and tokens', async () => {
      expect(await ledger.evaluate('queryEnergy', { meterId: 'meter-a', date: '2026-11-24' }, customer('alice'))).toMatchObject({ meterId: 'meter-a' });
      expect(await refusal(ledger.evaluate('queryEnergy', { meterId: 'meter-a', date: '2026-11-24' }, customer('bob')))).toMatchObject({ code: 'forbidden' });
      expect(await refusal(ledger.evaluate('queryLoadReduction', { eventId: 'dr-1', meterId: 'meter-a' }, customer('bob')))).toMatchObject({ code: 'forbidden' });
      expect(await refusal(ledger.evaluate('querySettlement', { eventId: 'dr-1', meterId: 'meter-b' }, customer('alice')))).toMatchObject({ code: 'forbidden' });
      expect(await refusal(ledger.evaluate('balanceOf', { customerId: 'bob' }, customer('alice')))).toMatchObject({ code: 'forbidden' });
      expect(await refusal(ledger.evaluate('queryLoadReduction', { eventId: 'dr-1', meterId: 'meter-a' }, retailer))).toMatchObject({ code: 'forbidden' });
    });
    it('refuses to settle an event twice and to overwrite a recorded meter-day', async () => {
      expect(await refusal(ledger.submit('settle', { eventId: 'dr-1', scale: 100 }, operator))).toMatchObject({ code: 'conflict' });
      const day = (await ledger.evaluate('queryEnergy', { meterId: 'meter-a', date: '2026-10-19' }, operator)).values;
      expect(await refusal(ledger.submit('recordEnergy', { meterId: 'meter-a', date: '2026-10-19', intervalMinutes: 15, values: day.map((v) => v + 1) }, retailer))).toMatchObject({ code: 'conflict' });
      // The same values again are an idempotent retry.
      await expect(ledger.submit('recordEnergy', { meterId: 'meter-a', date: '2026-10-19', intervalMinutes: 15, values: day }, retailer)).resolves.toBeDefined();
    });
  });

  it('records a batch of meter-days all or none: a retry is idempotent, a conflict, a duplicate or a stranger\'s meter writes nothing', async () => {
    const { ledger } = openLedger();
    const events: ContractEvent[] = [];
    ledger.onEvent((e) => events.push(e));
    for (const m of ['m1', 'm2']) await ledger.submit('registerMeter', { meterId: m, customerId: `c-${m}`, retailerId: 'retailer-1' }, operator);
    await ledger.submit('registerMeter', { meterId: 'm3', customerId: 'c-m3', retailerId: 'retailer-2' }, operator);
    const day = (meterId: string, date: string, seed: number) => ({ meterId, date, intervalMinutes: 15, values: householdDay(1000, seed) });
    const batch = [day('m1', '2026-11-01', 1), day('m2', '2026-11-01', 2), day('m1', '2026-11-02', 3)];
    expect((await ledger.submit('recordEnergyBatch', { days: batch }, retailer)).result).toEqual({ recorded: 3, existing: 0 });
    expect(await ledger.evaluate('queryEnergy', { meterId: 'm1', date: '2026-11-02' }, operator)).toMatchObject({ values: batch[2]!.values });
    expect(events.filter((e) => e.name === 'EnergyRecorded').at(-1)?.payload).toEqual({ days: batch.map(({ meterId, date }) => ({ meterId, date })) });
    // A retry of the same batch plus one new day records only the new day.
    expect((await ledger.submit('recordEnergyBatch', { days: [...batch, day('m2', '2026-11-02', 4)] }, retailer)).result).toEqual({ recorded: 1, existing: 3 });
    const untouched = day('m1', '2026-11-03', 5);
    expect(await refusal(ledger.submit('recordEnergyBatch', { days: [untouched, { ...batch[0]!, values: batch[0]!.values.map((v) => v + 1) }] }, retailer))).toMatchObject({ code: 'conflict' });
    expect(await refusal(ledger.submit('recordEnergyBatch', { days: [untouched, untouched] }, retailer))).toMatchObject({ code: 'invalid' });
    expect(await refusal(ledger.submit('recordEnergyBatch', { days: [untouched, day('m3', '2026-11-03', 6)] }, retailer))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(ledger.submit('recordEnergyBatch', { days: [] }, retailer))).toMatchObject({ code: 'invalid' });
    expect(await refusal(ledger.submit('recordEnergyBatch', { days: Array.from({ length: 101 }, (_, i) => day('m1', `2027-01-${String((i % 28) + 1).padStart(2, '0')}`, i)) }, retailer))).toMatchObject({ code: 'invalid' });
    expect(await refusal(ledger.submit('recordEnergyBatch', { days: [untouched] }, operator))).toMatchObject({ code: 'forbidden' });
    // None of the refused batches wrote its first, valid day.
    expect(await refusal(ledger.evaluate('queryEnergy', { meterId: 'm1', date: '2026-11-03' }, operator))).toMatchObject({ code: 'not-found' });
  });

  it('reports a customer with too little history as not baselined and allocates the request among the others', async () => {
    const { ledger } = openLedger();
    for (const m of ['full-1', 'full-2', 'new-3']) await ledger.submit('registerMeter', { meterId: m, customerId: `c-${m}`, retailerId: 'retailer-1' }, operator);
    const days = dates('2026-10-19', 35);
    const history = days.flatMap((date, i) => [
      { meterId: 'full-1', date, intervalMinutes: 15, values: householdDay(2000, i) },
      { meterId: 'full-2', date, intervalMinutes: 15, values: householdDay(1500, i + 40) },
      // The new customer joined ten days ago.
      ...(i >= 25 ? [{ meterId: 'new-3', date, intervalMinutes: 15, values: householdDay(1800, i + 80) }] : []),
    ]);
    for (let i = 0; i < history.length; i += 100) await ledger.submit('recordEnergyBatch', { days: history.slice(i, i + 100) }, retailer);
    const { result } = await ledger.submit('notifyDREvent', { eventId: 'short', date: '2026-11-24', notifiedOn: '2026-11-23', start: 28, end: 76, request: new Array(48).fill(800), meterIds: ['full-1', 'full-2', 'new-3'] }, operator);
    expect(result.meterIds).toEqual(['full-1', 'full-2']);
    expect(result.notBaselined).toEqual([{ meterId: 'new-3', eligibleDays: 10, requiredDays: 21 }]);
    const a = await ledger.evaluate('queryLoadReduction', { eventId: 'short', meterId: 'full-1' }, operator);
    const b = await ledger.evaluate('queryLoadReduction', { eventId: 'short', meterId: 'full-2' }, operator);
    for (let k = 28; k < 76; k++) expect(a.reduction[k]! + b.reduction[k]!).toBeCloseTo(800, 2);
    expect(a.baselineMethod).toBe('High21of35');
    expect(await refusal(ledger.evaluate('queryLoadReduction', { eventId: 'short', meterId: 'new-3' }, operator))).toMatchObject({ code: 'not-found' });
    expect(await refusal(ledger.evaluate('evaluateBaseline', { meterId: 'new-3', eventDate: '2026-11-24', notifiedOn: '2026-11-23' }, operator))).toMatchObject({ code: 'invalid' });
    // A program that asks for less history baselines the newcomer on its ten days.
    const lenient = await ledger.submit('notifyDREvent', { eventId: 'lenient', date: '2026-11-24', notifiedOn: '2026-11-23', start: 28, end: 76, request: new Array(48).fill(800), meterIds: ['full-1', 'full-2', 'new-3'], baseline: { minDays: 7 } }, operator);
    expect(lenient.result.meterIds).toEqual(['full-1', 'full-2', 'new-3']);
    expect((await ledger.evaluate('queryLoadReduction', { eventId: 'lenient', meterId: 'new-3' }, operator)).baselineMethod).toBe('High10of10');
    // Nobody baselined: refused, nothing written.
    expect(await refusal(ledger.submit('notifyDREvent', { eventId: 'none', date: '2026-11-24', notifiedOn: '2026-11-23', start: 28, end: 76, request: new Array(48).fill(800), meterIds: ['new-3'] }, operator))).toMatchObject({ code: 'invalid' });
  });

  it('keeps each customer\'s baseline accuracy with its allocation and settlement, and withholds the reward where the program\'s maximum error is exceeded', async () => {
    const { ledger } = openLedger();
    for (const m of ['steady', 'erratic']) await ledger.submit('registerMeter', { meterId: m, customerId: `c-${m}`, retailerId: 'retailer-1' }, operator);
    const shape = householdDay(1500, 1);
    const history = dates('2026-10-19', 35).flatMap((date, i) => [
      { meterId: 'steady', date, intervalMinutes: 15, values: shape },
      { meterId: 'erratic', date, intervalMinutes: 15, values: shape.map((v) => Math.round(v * (i % 2 ? 1.8 : 0.3))) },
    ]);
    for (let i = 0; i < history.length; i += 100) await ledger.submit('recordEnergyBatch', { days: history.slice(i, i + 100) }, retailer);
    await ledger.submit('notifyDREvent', { eventId: 'acc', date: '2026-11-24', notifiedOn: '2026-11-23', start: 28, end: 76, request: new Array(48).fill(300), meterIds: ['steady', 'erratic'], baseline: { maxRelativeRmse: 0.2 } }, operator);
    const steady = await ledger.evaluate('queryLoadReduction', { eventId: 'acc', meterId: 'steady' }, operator);
    const erratic = await ledger.evaluate('queryLoadReduction', { eventId: 'acc', meterId: 'erratic' }, operator);
    expect(steady.baselineAccuracy).toMatchObject({ relativeRmse: 0, relativeBias: 0 });
    expect(steady.baselineAccuracy!.days).toHaveLength(10);
    expect(erratic.baselineAccuracy!.relativeRmse).toBeGreaterThan(0.2);
    // Both cut their load to half of the baseline during the event.
    for (const a of [steady, erratic]) await ledger.submit('recordEnergy', { meterId: a.meterId, date: '2026-11-24', intervalMinutes: 15, values: a.baseline.map((v, k) => Math.round(k >= 28 && k < 76 ? v / 2 : v)), eventDay: true }, retailer);
    const { result } = await ledger.submit('settle', { eventId: 'acc', scale: 100 }, operator);
    const paid = result.find((r) => r.meterId === 'steady')!;
    const held = result.find((r) => r.meterId === 'erratic')!;
    expect(paid.reward).toBeGreaterThan(0);
    expect(paid.withheld).toBeUndefined();
    expect(held.reward).toBe(0);
    expect(held.deliveredWh).toBeGreaterThan(0);
    expect(held.withheld).toMatch(/relative RMSE of 0\.\d+, above the program's 0\.2/);
    expect((await ledger.evaluate('balanceOf', { customerId: 'c-erratic' }, operator)).balance).toBe(0);
    expect(await refusal(ledger.submit('notifyDREvent', { eventId: 'bad', date: '2026-11-24', notifiedOn: '2026-11-23', start: 28, end: 76, request: new Array(48).fill(300), meterIds: ['steady'], baseline: { maxRelativeRmse: -1 } }, operator))).toMatchObject({ code: 'invalid' });
  });

  it('evolves availability as eq. 4.6 orders events, whatever the order of notifications and settlements (overlapping events)', async () => {
    const events = [
      { eventId: 'ev-a', date: '2026-11-24', notifiedOn: '2026-11-23', start: 28, end: 76, level: 900 },
      { eventId: 'ev-b', date: '2026-11-25', notifiedOn: '2026-11-23', start: 32, end: 64, level: 1400 },
      { eventId: 'ev-c', date: '2026-11-25', notifiedOn: '2026-11-24', start: 68, end: 80, level: 600 },
    ];
    const meters = ['ov-1', 'ov-2'];
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(fc.nat(), { minLength: 6, maxLength: 6 }), fc.array(fc.double({ min: 0, max: 1.2, noNaN: true }), { minLength: 2, maxLength: 2 }), async (choices, compliance) => {
      const { ledger } = openLedger();
      try {
        for (const meterId of meters) await ledger.submit('registerMeter', { meterId, customerId: `cust-${meterId}`, retailerId: 'retailer-1' }, operator);
        const history = dates('2026-10-19', 35).flatMap((date, i) => meters.map((meterId, m) => ({ meterId, date, intervalMinutes: 15, values: householdDay(2000 + 500 * m, i + 50 * m + run) })));
        for (let i = 0; i < history.length; i += 100) await ledger.submit('recordEnergyBatch', { days: history.slice(i, i + 100) }, retailer);
        run++;
        // Each meter-day of the event days: the baseline scaled by how far the customer complies.
        const measuredDay = (m: number, date: string) => householdDay(2000 + 500 * m, date === '2026-11-24' ? 7 : 9).map((v) => Math.round(v * (1 - 0.3 * compliance[m]!)));
        for (const date of ['2026-11-24', '2026-11-25']) for (const [m, meterId] of meters.entries()) await ledger.submit('recordEnergy', { meterId, date, intervalMinutes: 15, values: measuredDay(m, date), eventDay: true }, retailer);
        // A random interleaving: each event notified before it is settled.
        const pending = events.map((e) => ({ e, next: 'notify' as 'notify' | 'settle' | 'done' }));
        for (const choice of choices) {
          const open = pending.filter((p) => p.next !== 'done');
          const pick = open[choice % open.length]!;
          if (pick.next === 'notify') {
            const { level, ...e } = pick.e;
            await ledger.submit('notifyDREvent', { ...e, request: new Array(e.end - e.start).fill(level), meterIds: meters }, operator);
            pick.next = 'settle';
          } else {
            await ledger.submit('settle', { eventId: pick.e.eventId, scale: 100 }, operator);
            pick.next = 'done';
          }
        }
        // Eq. 4.6 by hand, events in their order (day, then first interval), from each event's own allocation.
        for (const meterId of meters) {
          let expected = initialAvailability(96);
          for (const e of events) {
            const allocation = await ledger.evaluate('queryLoadReduction', { eventId: e.eventId, meterId }, operator);
            const measured = (await ledger.evaluate('queryEnergy', { meterId, date: e.date }, operator)).values;
            expected = updateAvailability(expected, allocation.baseline, allocation.target.map((t, h) => (h >= e.start && h < e.end ? t : undefined)), measured);
          }
          const actual = (await ledger.evaluate('evaluateAvailability', { meterId }, operator)).availability!;
          actual.forEach((a, h) => expect(a).toBeCloseTo(expected[h]!, 12));
        }
      } finally {
        ledger.close();
      }
    }), { numRuns: 12 });
  });

  it('cuts transactions submitted together into one block, each seeing the ones before it; a refused one writes nothing', async () => {
    const { ledger } = openLedger();
    const results = await Promise.allSettled([
      ledger.submit('registerMeter', { meterId: 'm1', customerId: 'c1', retailerId: 'retailer-1' }, operator),
      ledger.submit('recordEnergy', { meterId: 'm1', date: '2026-11-01', intervalMinutes: 15, values: householdDay(1000, 1) }, retailer),
      ledger.submit('recordEnergy', { meterId: 'm1', date: '2026-11-02', intervalMinutes: 15, values: householdDay(1000, 2) }, otherRetailer),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(ledger.height()).toBe(1);
    expect(ledger.block(0)!.txIds).toHaveLength(2);
    await expect(ledger.evaluate('queryEnergy', { meterId: 'm1', date: '2026-11-02' }, operator)).rejects.toMatchObject({ code: 'not-found' });
    expect(ledger.verifyChain().ok).toBe(true);
    ledger.close();
  });

  it('exports a settlement proof that a third party checks offline, and that fails once altered', async () => {
    const { ledger } = await drDay();
    const proof = JSON.parse(JSON.stringify(ledger.exportProof('settlement', ['dr-1', 'meter-a']))) as LedgerProof;
    const check = checkProof(proof, node.certificatePem);
    expect(check).toMatchObject({ ok: true, problems: [], record: { customerId: 'alice', eventId: 'dr-1' } });
    expect(check.tipNumber).toBe(ledger.height() - 1);
    const forged = JSON.parse(Buffer.from(proof.value, 'base64').toString()) as { reward: number };
    const altered = { ...proof, value: Buffer.from(JSON.stringify({ ...forged, reward: forged.reward * 10 })).toString('base64') };
    expect(checkProof(altered).problems).toContain('the transaction did not write this value under this key');
    const otherNode = testPki().issue('another-node', 'ecdsa');
    expect(checkProof(proof, readPem(otherNode.certPath)).problems).toContain('the proof was signed by another node than the one expected');
    const rewritten = { ...proof, laterBlocks: proof.laterBlocks.map((b, i) => (i === 0 ? { ...b, timestampMs: b.timestampMs + 1 } : b)) };
    if (proof.laterBlocks.length) expect(checkProof(rewritten).ok).toBe(false);
    ledger.close();
  });

  it('answers a retried transaction ID with the first result and no new block', async () => {
    const { ledger } = openLedger();
    const first = await ledger.submit('registerMeter', { meterId: 'm', customerId: 'c', retailerId: 'r' }, operator, { txId: 'tx-1' });
    const again = await ledger.submit('registerMeter', { meterId: 'm', customerId: 'c', retailerId: 'r' }, operator, { txId: 'tx-1' });
    expect(again).toEqual(first);
    expect(ledger.height()).toBe(1);
    ledger.close();
  });

  it('detects a block, a history entry or a world-state value changed behind its back', async () => {
    const { ledger, path } = await drDay();
    ledger.close();
    const db = new Database(path, sqliteDriverOptions());
    const allocation = db.prepare('SELECT key, value FROM state WHERE key = ?').get('\u0000allocation\u0000dr-1\u0000meter-a\u0000') as { key: string; value: Buffer };
    const forged = JSON.parse(allocation.value.toString()) as AllocationRecord;
    db.prepare('UPDATE state SET value = ? WHERE key = ?').run(Buffer.from(JSON.stringify({ ...forged, reduction: forged.reduction.map(() => 0) })), allocation.key);
    expect(db.prepare("UPDATE transactions SET body = replace(body, 'alice', 'mallory') WHERE block = 0").run().changes).toBe(1);
    db.close();
    const reopened = new EmbeddedLedger({ path, node, clock: new ManualClock(0) });
    const check = reopened.verifyChain();
    expect(check.ok).toBe(false);
    expect(check.problems).toEqual(expect.arrayContaining([expect.stringMatching(/block 0: transaction data does not match the block/), expect.stringMatching(/world state of .*allocation.* differs/)]));
    reopened.close();
  });
});
