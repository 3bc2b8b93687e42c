import { z } from 'zod';
import { SIGNAL_NAMES, SIGNAL_TYPES } from '../../schemas/index.js';
import type { EventInput } from '../service/index.js';
import { isTimeZone } from '../../src/local-day.js';

/** Latest instant a 2.0b xs:dateTime carries as we write it (four-digit years). */
export const LAST_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59);
/** Most intervals one event may carry across its signals and baseline: its distribute must fit a VEN's body limit. */
export const MAX_EVENT_INTERVALS = 3_000;

/** A date-time as ISO 8601 text or epoch milliseconds, within what a 2.0b payload can carry (1970–9999). */
export const instant = z.union([z.number().int(), z.string().datetime({ offset: true }).transform((s) => Date.parse(s))])
  .pipe(z.number().int().min(0, 'before 1970').max(LAST_INSTANT_MS, 'after 9999: not representable in a 2.0b payload'));

const ids = z.array(z.string().min(1)).max(10_000);

export const targetInput = z.object({ venIds: ids.optional(), groupIds: ids.optional(), resourceIds: ids.optional(), partyIds: ids.optional() }).strict();

export const signalInput = z.object({
  signalName: z.union([z.enum(SIGNAL_NAMES), z.string().regex(/^x-\S/) as z.ZodType<`x-${string}`>]),
  signalType: z.enum(SIGNAL_TYPES),
  signalId: z.string().min(1).optional(),
  intervals: z.array(z.object({ durationMs: z.number().int().positive().multipleOf(1000), value: z.number().finite() }).strict()).min(1).max(10_000),
  units: z.enum(['W', 'kW']).optional(),
}).strict();

export const eventInput = z.object({
  programId: z.string().min(1),
  eventId: z.string().min(1).max(200).optional(),
  dtstart: instant,
  signals: z.array(signalInput).min(1).max(50),
  targets: targetInput.optional(),
  responseRequired: z.enum(['always', 'never']).optional(),
  // xs:unsignedInt
  priority: z.number().int().min(0).max(0xffffffff).optional(),
  startAfterMs: z.number().int().nonnegative().multipleOf(1000).optional(),
  notificationMs: z.number().int().nonnegative().multipleOf(1000).optional(),
  rampUpMs: z.number().int().nonnegative().multipleOf(1000).optional(),
  recoveryMs: z.number().int().nonnegative().multipleOf(1000).optional(),
  testEvent: z.boolean().optional(),
  vtnComment: z.string().max(1000).optional(),
  modificationReason: z.string().max(1000).optional(),
  baseline: z.object({
    dtstart: instant,
    intervals: z.array(z.object({ durationMs: z.number().int().positive().multipleOf(1000), value: z.number().finite() }).strict()).min(1).max(10_000),
    baselineName: z.string().min(1).max(200).optional(),
    resourceIds: z.array(z.string().min(1)).max(10_000).optional(),
  }).strict().optional(),
}).strict().superRefine((event, ctx) => {
  const intervals = event.signals.reduce((n, s) => n + s.intervals.length, 0) + (event.baseline?.intervals.length ?? 0);
  if (intervals > MAX_EVENT_INTERVALS) ctx.addIssue({ code: 'custom', path: ['signals'], message: `${intervals} intervals: an event carries at most ${MAX_EVENT_INTERVALS} (its distribute must fit a VEN's payload limit)` });
  const longest = Math.max(...event.signals.map((s) => s.intervals.reduce((t, i) => t + i.durationMs, 0)));
  if (event.dtstart + longest > LAST_INSTANT_MS) ctx.addIssue({ code: 'custom', path: ['signals'], message: 'the event ends after 9999: not representable in a 2.0b payload' });
});

export const reportRequestInput = z.object({
  requests: z.array(z.object({
    reportSpecifierId: z.string().min(1).max(200),
    rIds: z.array(z.string().min(1)).min(1).max(1000).optional(),
    granularityMs: z.number().int().nonnegative().multipleOf(1000),
    reportBackMs: z.number().int().nonnegative().multipleOf(1000),
    dtstart: instant.optional(),
    durationMs: z.number().int().nonnegative().multipleOf(1000).optional(),
  }).strict()).min(1).max(50),
}).strict();

export const reportCancelInput = z.object({ reportRequestIds: z.array(z.string().min(1)).min(1).max(50), reportToFollow: z.boolean().default(false) }).strict();

export const programInput = z.object({ programId: z.string().min(1).max(200), name: z.string().min(1), marketContext: z.string().url(), timeZone: z.string().refine(isTimeZone, 'not an IANA time zone').optional() }).strict();

export const venAttributes = z.object({ groupIds: z.array(z.string().min(1)).optional(), resourceIds: z.array(z.string().min(1)).optional(), partyId: z.string().min(1).optional() }).strict();

/** An event as the operator API's JSON describes it, in the service's terms (units become an item base). */
export function toEventInput(value: z.infer<typeof eventInput>): EventInput {
  return {
    ...value,
    signals: value.signals.map(({ units, ...s }) => ({
      ...s,
      ...(units ? { itemBase: { kind: 'powerReal' as const, itemDescription: 'RealPower', itemUnits: 'W', siScaleCode: units === 'kW' ? ('k' as const) : ('none' as const), powerAttributes: { hertz: 50, voltage: 230, ac: true } } } : {}),
    })),
  } as EventInput;
}

/** The operator API's event JSON, checked as the API checks it, for callers in the same process. */
export function eventInputFromJson(json: unknown): EventInput {
  return toEventInput(eventInput.parse(json));
}
