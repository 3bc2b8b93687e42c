import { z } from 'zod';

// The OpenADR 3.1.0 objects as the REST API exchanges them (JSON), in zod: what a client may send
// (…Request) and what the VTN answers. Unknown properties in requests are ignored, as the
// specification allows; nulls stand for absent optional fields.

export const objectId = z.string().min(1).max(128).regex(/^[a-zA-Z0-9_-]*$/, 'an objectID is letters, digits, _ and - only');
const name128 = z.string().min(1).max(128);
const nullable = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/** RFC 3339 date-time; "0001-01-01" (with or without a time) stands for "now" (User Guide). */
export const dateTime3 = z.string().refine((s) => !Number.isNaN(Date.parse(s)) || /^0001-01-01/.test(s), 'an RFC 3339 date-time');
/** ISO 8601 duration (weeks allowed); P9999Y stands for "infinite". */
export const duration3 = z.string().regex(/^(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/, 'an ISO 8601 duration');

export const intervalPeriod = z.looseObject({ start: nullable(dateTime3), duration: nullable(duration3), randomizeStart: nullable(duration3) });
export type IntervalPeriod = z.output<typeof intervalPeriod>;

const point = z.object({ x: z.number(), y: z.number() });
export const valuesMap = z.looseObject({ type: name128, values: z.array(z.union([z.number(), z.string(), z.boolean(), point])) });
export type ValuesMap = z.output<typeof valuesMap>;

export const interval3 = z.looseObject({ id: z.number().int(), intervalPeriod: nullable(intervalPeriod), payloads: z.array(valuesMap) });
export type Interval3 = z.output<typeof interval3>;

const targets = nullable(z.array(name128));

export const eventPayloadDescriptor = z.looseObject({ objectType: z.literal('EVENT_PAYLOAD_DESCRIPTOR').optional(), payloadType: name128, units: nullable(z.string().max(128)), currency: nullable(z.string().max(128)) });
export const reportPayloadDescriptor = z.looseObject({ objectType: z.literal('REPORT_PAYLOAD_DESCRIPTOR').optional(), payloadType: name128, readingType: nullable(z.string().max(128)), units: nullable(z.string().max(128)), accuracy: nullable(z.number()), confidence: nullable(z.number().int().min(0).max(100)) });
export const reportDescriptor = z.looseObject({
  payloadType: name128, readingType: nullable(z.string().max(128)), units: nullable(z.string().max(128)), targets,
  aggregate: nullable(z.boolean()), startInterval: nullable(z.number().int()), numIntervals: nullable(z.number().int()), historical: nullable(z.boolean()),
  frequency: nullable(z.number().int()), repeat: nullable(z.number().int()), reportIntervals: nullable(z.enum(['INTERVALS', 'SUB_INTERVALS', 'OPEN_INTERVALS'])),
});

export const programRequest = z.looseObject({
  programName: name128,
  intervalPeriod: nullable(intervalPeriod),
  programDescriptions: nullable(z.array(z.looseObject({ URL: z.string().min(2).max(8000) }))),
  payloadDescriptors: nullable(z.array(z.union([eventPayloadDescriptor, reportPayloadDescriptor]))),
  attributes: nullable(z.array(valuesMap)),
  targets,
});
export type ProgramRequest = z.output<typeof programRequest>;

export const eventRequest = z.looseObject({
  programID: objectId,
  eventName: nullable(z.string().max(1000)),
  duration: nullable(duration3),
  priority: nullable(z.number().int().min(0)),
  targets,
  reportDescriptors: nullable(z.array(reportDescriptor)),
  payloadDescriptors: nullable(z.array(eventPayloadDescriptor)),
  intervalPeriod: nullable(intervalPeriod),
  intervals: z.array(interval3).max(3_000),
});
export type EventRequest = z.output<typeof eventRequest>;

export const reportRequest = z.looseObject({
  eventID: objectId,
  clientName: name128,
  reportName: nullable(z.string().max(1000)),
  payloadDescriptors: nullable(z.array(reportPayloadDescriptor)),
  resources: z.array(z.looseObject({ resourceName: name128, intervalPeriod: nullable(intervalPeriod), intervals: z.array(interval3).max(10_000) })).max(1_000),
});
export type ReportRequest3 = z.output<typeof reportRequest>;

export const OBJECT_TYPES = ['PROGRAM', 'EVENT', 'REPORT', 'SUBSCRIPTION', 'VEN', 'RESOURCE'] as const;
export type ObjectType3 = (typeof OBJECT_TYPES)[number];
export const OPERATIONS = ['READ', 'CREATE', 'UPDATE', 'DELETE'] as const;
export type Operation3 = (typeof OPERATIONS)[number];
/**
 * 3.0.1 named the operations after HTTP methods; some 3.1 clients still send those (ElaadNL's
 * openadr3-client 2.4). Accepted, kept as sent, and matched as their 3.1 names.
 */
export const LEGACY_OPERATIONS: Readonly<Record<string, Operation3>> = { GET: 'READ', POST: 'CREATE', PUT: 'UPDATE' };
export const operationOf = (name: string): Operation3 | undefined => (OPERATIONS as readonly string[]).includes(name) ? name as Operation3 : LEGACY_OPERATIONS[name];

export const subscriptionRequest = z.looseObject({
  clientName: name128,
  programID: nullable(objectId),
  objectOperations: z.array(z.looseObject({
    objects: z.array(z.enum(OBJECT_TYPES)).min(1),
    operations: z.array(z.enum([...OPERATIONS, 'GET', 'POST', 'PUT'])).min(1),
    callbackUrl: z.string().min(2).max(8000).url(),
    bearerToken: nullable(z.string().max(4096)),
  })).min(1).max(50),
  targets,
});
export type SubscriptionRequest = z.output<typeof subscriptionRequest>;

export const venRequest = z.looseObject({
  objectType: z.enum(['BL_VEN_REQUEST', 'VEN_VEN_REQUEST']).optional(),
  clientID: nullable(name128),
  venName: name128,
  attributes: nullable(z.array(valuesMap)),
  targets,
});
export type VenRequest3 = z.output<typeof venRequest>;

export const resourceRequest = z.looseObject({
  objectType: z.enum(['BL_RESOURCE_REQUEST', 'VEN_RESOURCE_REQUEST']).optional(),
  clientID: nullable(name128),
  resourceName: name128,
  venID: objectId,
  attributes: nullable(z.array(valuesMap)),
  targets,
});
export type ResourceRequest3 = z.output<typeof resourceRequest>;

/** Metadata the VTN writes on every object. */
export interface ObjectMetadata {
  readonly id: string;
  readonly createdDateTime: string;
  readonly modificationDateTime: string;
  readonly objectType: ObjectType3;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
