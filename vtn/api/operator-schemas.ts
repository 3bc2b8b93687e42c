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

// ——— Query parameters (unknown ones are ignored, as a cache-busting proxy may add them) ———

/** An integer in a query string; malformed text is the caller's mistake (400), never NaN passed on to the store. */
const integerQuery = z.string().regex(/^-?\d+$/, 'must be an integer').transform(Number)
  .pipe(z.number().refine(Number.isSafeInteger, 'must be an integer')).meta({ type: 'integer', pattern: undefined } as Record<string, unknown>);

export const feedQuery = z.object({
  after: integerQuery.optional().meta({ description: 'the last offset already seen (default 0)' }),
  limit: integerQuery.optional().meta({ description: 'at most this many entries (default 500, at most 5,000)' }),
  waitMs: integerQuery.optional().meta({ description: 'long poll: wait up to this long for a new entry (at most 60,000)' }),
});

export const readingsQuery = z.object({
  venId: z.string().optional(), rId: z.string().optional(),
  from: integerQuery.optional().meta({ description: 'interval start at or after (epoch ms)' }),
  to: integerQuery.optional().meta({ description: 'interval start before (epoch ms)' }),
  limit: integerQuery.optional().meta({ description: 'at most this many readings (default 10,000, at most 100,000)' }),
});

export const venListQuery = z.object({
  q: z.string().max(200).optional().meta({ description: 'keeps VENs whose ID, name, state, transport or groups contain this text (case-insensitive)' }),
  offset: integerQuery.optional().meta({ description: 'skip this many VENs (default 0)' }),
  limit: integerQuery.optional().meta({ description: 'at most this many VENs (default: all); the total is in X-Total-Count' }),
});

export const optsQuery = z.object({ venId: z.string().optional() });

// ——— Answers (loose objects: the record's own fields are checked, later additions do not break readers) ———

const ms = z.number().int();
const strings = z.array(z.string());

/** RFC 9457 problem details: every refusal of the operator API. */
export const problemOutput = z.object({
  type: z.string().meta({ description: 'a URI naming the kind of problem (docs/operations.md lists them)' }),
  title: z.string(), status: z.number().int().min(400).max(599), detail: z.string(), instance: z.string().optional(),
  requestId: z.string().optional(),
  responseCode: z.number().int().optional().meta({ description: 'the OpenADR 2.0b responseCode that fits, for refusals by the VTN\'s services' }),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional().meta({ description: 'each field that failed validation' }),
});

export const programOutput = z.looseObject({ programId: z.string(), name: z.string(), marketContext: z.string(), timeZone: z.string().optional(), createdAt: ms });

const oadrEventOutput = z.looseObject({
  descriptor: z.looseObject({ eventId: z.string(), modificationNumber: z.number().int() }),
  activePeriod: z.looseObject({ dtstart: z.looseObject({ epochMs: ms }) }),
  signals: z.array(z.looseObject({ signalName: z.string(), signalType: z.string(), intervals: z.array(z.looseObject({})) })),
});

export const eventOutput = z.looseObject({ eventId: z.string(), programId: z.string(), modificationNumber: z.number().int(), cancelled: z.boolean(), event: oadrEventOutput, createdAt: ms, updatedAt: ms });

export const eventDetailOutput = eventOutput.extend({
  versions: z.array(z.looseObject({ eventId: z.string(), modificationNumber: z.number().int(), contentSha256: z.string(), createdAt: ms })),
  venIds: strings,
  responses: z.array(z.looseObject({ venId: z.string(), modificationNumber: z.number().int(), optType: z.enum(['optIn', 'optOut']), responseCode: z.number().int(), receivedAt: ms })),
  participation: z.record(z.string(), z.enum(['optIn', 'optOut'])).meta({ description: 'each VEN that answered: an event opt outranks oadrCreatedEvent' }),
});

/** The bridge's record of an upstream VTN's event and what it became here (docs/bridge.md). */
export const upstreamEventOutput = z.looseObject({
  upstreamId: z.string(), protocol: z.enum(['openadr3', 'openadr2b']), upstreamUrl: z.string(), modificationNumber: z.number().int(), event: oadrEventOutput,
  status: z.enum(['active', 'cancelled']), derivedEventIds: z.array(z.string()), opt: z.enum(['optIn', 'optOut']), allocatedBy: z.string(), receivedAt: ms, updatedAt: ms,
});

export const venOutput = z.looseObject({
  venId: z.string(), registrationId: z.string(), venName: z.string().optional(), profileName: z.string(), transportName: z.string(), transportAddress: z.string().optional(),
  httpPullModel: z.boolean(), reportOnly: z.boolean(), xmlSignature: z.boolean(), registeredAt: ms, state: z.string(), groupIds: strings, resourceIds: strings, partyId: z.string().optional(),
});

export const optOutput = z.looseObject({ optId: z.string(), venId: z.string(), opt: z.looseObject({}), cancelled: z.boolean(), createdAt: ms });

export const venDetailOutput = venOutput.extend({
  reportRegistrations: z.array(z.looseObject({ reportSpecifierId: z.string(), report: z.looseObject({}), registeredAt: ms })),
  reportRequests: z.array(z.looseObject({ reportRequestId: z.string(), state: z.enum(['requested', 'created', 'cancelled']), createdAt: ms })),
  pending: z.array(z.looseObject({ id: z.number().int(), createdAt: ms, attempts: z.number().int() })),
  opts: z.array(optOutput),
});

export const readingOutput = z.looseObject({ venId: z.string(), reportRequestId: z.string(), reportSpecifierId: z.string(), rId: z.string(), dtstart: ms, durationMs: ms, payload: z.looseObject({}), receivedAt: ms });

export const feedOutput = z.object({
  entries: z.array(z.looseObject({ offset: z.number().int(), at: ms, kind: z.enum(['ven', 'event', 'eventResponse', 'opt', 'reportRegistration', 'reportRequest', 'reading', 'program', 'gridOrder']), data: z.unknown(), requestId: z.string().optional() })),
  next: z.number().int().meta({ description: 'the offset to pass as `after` next time' }),
});

export const queuedOutput = z.looseObject({ queued: z.enum(['oadrRequestReregistration', 'oadrCreateReport', 'oadrCancelReport', 'oadrCancelPartyRegistration']) });

export const reportsQueuedOutput = z.object({ queued: z.literal('oadrCreateReport'), reportRequests: z.array(z.looseObject({ reportRequestId: z.string(), reportSpecifier: z.looseObject({ reportSpecifierId: z.string() }) })) });

export const healthOutput = z.object({ status: z.literal('ok') });

export const readinessOutput = z.object({
  status: z.enum(['ready', 'not ready']),
  checks: z.record(z.string(), z.object({ ok: z.boolean(), detail: z.string().optional() })),
});

export const cancelInput = z.object({ reason: z.string().max(1000).optional() }).strict();
