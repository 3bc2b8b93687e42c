import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { ManualClock } from '../../src/clock.js';
import { readPem } from '../../src/pki.js';
import { testPki } from '../../test/support/vtn-harness.js';
import { ContractError, EmbeddedLedger, fromClockGrid, initialAvailability, localDay, toClockGrid, type LocalDay } from '../index.js';
import { householdDay, operator, retailer } from './scenario.js';

// Dates are this year's change days, found by the rules that define them (EU: last Sundays of
// March and October; US: second Sunday of March, first of November), so the suite runs any year.
const year = new Date().getUTCFullYear();
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const lastSunday = (month: number): string => { const last = Date.UTC(year, month + 1, 0); return iso(last - new Date(last).getUTCDay() * 86_400_000); };
const nthSunday = (month: number, n: number): string => { const first = Date.UTC(year, month, 1); return iso(first + (((7 - new Date(first).getUTCDay()) % 7) + 7 * (n - 1)) * 86_400_000); };
const addDays = (date: string, days: number): string => iso(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);

const ROME_SPRING = lastSunday(2);
const ROME_AUTUMN = lastSunday(9);
const NEW_YORK_AUTUMN = nthSunday(10, 1);

describe('local days of a program time zone', () => {
  it('gives change days 92 or 100 quarter-hours and places them on the clock grid', () => {
    expect(localDay(ROME_SPRING, 'Europe/Rome', 15).intervals).toBe(92);
    expect(localDay(ROME_AUTUMN, 'Europe/Rome', 15).intervals).toBe(100);
    expect(localDay(addDays(ROME_AUTUMN, 1), 'Europe/Rome', 15).intervals).toBe(96);
    expect(localDay(nthSunday(2, 2), 'America/New_York', 15).intervals).toBe(92);
    expect(localDay(NEW_YORK_AUTUMN, 'America/New_York', 15).intervals).toBe(100);
    expect(localDay(ROME_AUTUMN, 'UTC', 15).intervals).toBe(96);
    // Rome springs from 02:00 to 03:00: slots 8–11 (02:00–02:45) have no interval.
    const spring = localDay(ROME_SPRING, 'Europe/Rome', 15);
    expect(spring.slots.slice(6, 10)).toEqual([6, 7, 12, 13]);
    // Rome falls back from 03:00 to 02:00: slots 8–11 come twice; New York repeats 01:00–01:45 (slots 4–7).
    expect(localDay(ROME_AUTUMN, 'Europe/Rome', 15).slots.slice(6, 16)).toEqual([6, 7, 8, 9, 10, 11, 8, 9, 10, 11]);
    expect(localDay(NEW_YORK_AUTUMN, 'America/New_York', 15).slots.slice(2, 12)).toEqual([2, 3, 4, 5, 6, 7, 4, 5, 6, 7]);
    expect(() => localDay(ROME_SPRING, 'Mars/Olympus', 15)).toThrow(/IANA/);
  });

  it('averages a repeated hour, interpolates a skipped one, and places the grid back on any day', () => {
    const autumn = localDay(ROME_AUTUMN, 'Europe/Rome', 15);
    const grid = toClockGrid(autumn.slots.map((_, k) => k), autumn);
    expect(grid).toHaveLength(96);
    expect(grid[8]).toBe((8 + 12) / 2); // first and second 02:00
    const spring = localDay(ROME_SPRING, 'Europe/Rome', 15);
    const springGrid = toClockGrid(spring.slots.map((slot) => slot * 10), spring);
    expect(springGrid.slice(7, 13)).toEqual([70, 80, 90, 100, 110, 120]);
    fc.assert(fc.property(fc.constantFrom<LocalDay>(autumn, spring, localDay(addDays(ROME_AUTUMN, 1), 'Europe/Rome', 15)), fc.array(fc.double({ min: 0, max: 1e4, noNaN: true }), { minLength: 96, maxLength: 96 }), (day, values) => {
      // A grid placed on a day and read back is the grid itself wherever the day has the slot.
      const back = toClockGrid(fromClockGrid(values, day), day);
      for (const slot of new Set(day.slots)) expect(back[slot]).toBeCloseTo(values[slot]!, 9);
    }));
  });
});

const node = (() => {
  const cert = testPki().issue('ledger-node', 'ecdsa');
  return { privateKeyPem: readPem(cert.keyPath), certificatePem: readPem(cert.certPath) };
})();

/** A program in `timeZone` with two customers, 40 local days of history before `eventDate`, and an event 01:00–05:00 local time on it. */
async function eventOnLocalDay(timeZone: string, eventDate: string, heavyDay?: string) {
  const ledger = new EmbeddedLedger({ path: join(mkdtempSync(join(tmpdir(), 'local-time-')), 'ledger.sqlite'), node, clock: new ManualClock(Date.parse(`${eventDate}T12:00:00Z`)) });
  const meters = { 'meter-a': 1500, 'meter-b': 2500 };
  for (const [meterId, level] of Object.entries(meters)) {
    await ledger.submit('registerMeter', { meterId, customerId: `c-${meterId}`, retailerId: 'retailer-1' }, operator);
    for (let i = 1; i <= 40; i++) {
      const date = addDays(eventDate, -i);
      const day = localDay(date, timeZone, 15);
      // The household's load by local clock time, whatever the day's length (a heavy day draws half as much again).
      const byClock = householdDay(date === heavyDay ? level * 1.5 : level, i);
      await ledger.submit('recordEnergy', { meterId, date, intervalMinutes: 15, timeZone, values: day.slots.map((slot) => byClock[slot]!) }, retailer);
    }
  }
  const day = localDay(eventDate, timeZone, 15);
  const start = day.slots.indexOf(4);
  const end = day.slots.indexOf(20);
  const { result: event } = await ledger.submit('notifyDREvent', { eventId: `ev-${timeZone}-${eventDate}`, date: eventDate, notifiedOn: addDays(eventDate, -1), timeZone, start, end, request: new Array<number>(end - start).fill(600), meterIds: Object.keys(meters) }, operator);
  return { ledger, day, event, start, end, meters: Object.keys(meters) };
}

describe('the DR contract on local days', () => {
  it.each([
    ['Europe/Rome', ROME_SPRING, 92],
    ['Europe/Rome', ROME_AUTUMN, 100],
    ['America/New_York', NEW_YORK_AUTUMN, 100],
  ])('anchors, baselines, allocates and settles an event in %s on %s (%i quarter-hours)', async (timeZone, eventDate, intervals) => {
    const { ledger, day, event, start, end, meters } = await eventOnLocalDay(timeZone, eventDate);
    expect(event).toMatchObject({ date: eventDate, timeZone, intervals, start, end });
    for (const meterId of meters) {
      const allocation = await ledger.evaluate('queryLoadReduction', { eventId: event.eventId, meterId }, operator);
      expect(allocation.baseline).toHaveLength(intervals);
      // Like intervals by local clock time: both intervals of a repeated slot have the same baseline.
      day.slots.forEach((slot, k) => expect(allocation.baseline[k]).toBe(allocation.baseline[day.slots.indexOf(slot)]));
      // The customer does as asked; the event day's meter-day has the day's own length.
      await ledger.submit('recordEnergy', { meterId, date: eventDate, intervalMinutes: 15, timeZone, values: allocation.target.map((t, k) => (k >= start && k < end ? t : allocation.baseline[k]!)), eventDay: true }, retailer);
    }
    const { result: settlements } = await ledger.submit('settle', { eventId: event.eventId, scale: 1 }, operator);
    expect(settlements).toHaveLength(2);
    for (const s of settlements) {
      expect(s.measured).toHaveLength(intervals);
      expect(s.reward).toBeGreaterThan(0);
      // Availability is kept by clock time: 96 slots, moved inside 01:00–05:00 only.
      const { availability } = await ledger.evaluate('evaluateAvailability', { meterId: s.meterId }, operator);
      expect(availability).toHaveLength(96);
      const initial = initialAvailability(96);
      availability!.forEach((a, slot) => {
        if (slot < 4 || slot >= 20) expect(a).toBe(initial[slot]);
      });
      expect(availability!.slice(4, 20).some((a, i) => a !== initial[4 + i])).toBe(true);
    }
    ledger.close();
  });

  it('baselines an ordinary day from history that holds a 25-hour day (its heaviest), comparing it by clock time', async () => {
    const next = addDays(ROME_AUTUMN, 8); // a Monday: HighXofY, which takes the heaviest days
    const { ledger, event } = await eventOnLocalDay('Europe/Rome', next, ROME_AUTUMN);
    const allocation = await ledger.evaluate('queryLoadReduction', { eventId: event.eventId, meterId: 'meter-a' }, operator);
    expect(allocation.baseline).toHaveLength(96);
    expect(allocation.baselineDays).toContain(ROME_AUTUMN);
    ledger.close();
  });

  it('refuses a meter-day whose length is not its local day\'s, and a settlement across time zones', async () => {
    const { ledger, event, meters } = await eventOnLocalDay('Europe/Rome', ROME_AUTUMN);
    const hundred = new Array<number>(100).fill(500);
    const wrongZone = await ledger.submit('recordEnergy', { meterId: meters[0]!, date: ROME_AUTUMN, intervalMinutes: 15, values: hundred }, retailer).catch((e: unknown) => e);
    expect(wrongZone).toBeInstanceOf(ContractError);
    expect((wrongZone as ContractError).message).toMatch(/96 15-minute intervals, got 100/);
    const short = await ledger.submit('recordEnergy', { meterId: meters[0]!, date: ROME_AUTUMN, intervalMinutes: 15, timeZone: 'Europe/Rome', values: new Array<number>(96).fill(500) }, retailer).catch((e: unknown) => e);
    expect((short as ContractError).code).toBe('invalid');
    // A UTC meter-day of the event's date cannot settle a Rome event, even where the lengths would agree.
    await ledger.submit('recordEnergy', { meterId: meters[0]!, date: ROME_AUTUMN, intervalMinutes: 15, timeZone: 'UTC', values: new Array<number>(96).fill(500) }, retailer);
    const mixed = await ledger.submit('settle', { eventId: event.eventId, scale: 1 }, operator).catch((e: unknown) => e);
    expect((mixed as ContractError).message).toMatch(/energy of .* is a day of UTC/);
    ledger.close();
  });
});
