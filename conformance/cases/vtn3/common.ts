import type { ConformanceCase } from '../../harness/case.js';
import type { Vtn3CaseContext, Vtn3Target } from '../../harness/vtn3-target.js';

export type Vtn3Case = ConformanceCase<Vtn3Target, Vtn3CaseContext>;

/** VEN-role cases need a VEN client besides business logic. */
export const needsVen = (target: Vtn3Target): string | undefined => (target.ven ? undefined : 'needs a VEN client (--ven-client-id, --ven-client-secret)');

/** An object's field, read loosely (the VTN under test may add fields or write nulls). */
export const field = (object: unknown, name: string): unknown => (typeof object === 'object' && object !== null ? (object as Record<string, unknown>)[name] : undefined);

/** The IDs of a list answer. */
export const idsOf = (list: unknown): string[] => (Array.isArray(list) ? list.map((o) => String(field(o, 'id'))) : []);

/** The first payload value of each interval of an event or report object. */
export const valuesOf = (object: unknown): unknown[] => ((field(object, 'intervals') as unknown[] | undefined) ?? []).map((i) => (field(i, 'payloads') as unknown[] | undefined)?.map((p) => (field(p, 'values') as unknown[])[0])[0]);

/** A future start on the minute, so events made by cases are valid everywhere. */
export const inAnHour = (): string => new Date(Math.floor(Date.now() / 60_000) * 60_000 + 3_600_000).toISOString();
