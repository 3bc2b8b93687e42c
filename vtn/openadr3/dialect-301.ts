import { OperatorApiError } from '../errors.js';

// OpenADR 3.0.1 read and written on the 3.1.0 model. The two differ, for a server, in targets
// (3.0.1: valuesMaps {type, values}; 3.1: plain strings), in VEN objects (no clientID, no
// BL_/VEN_ request types) and resources (under vens/{venID}/resources), and in the operation names
// of subscriptions (HTTP methods), which the 3.1 model already accepts. Everything else — programs,
// events, intervals, reports, problems, tokens — is the same JSON. So 3.0.1 is a translation at
// its own path prefix over the same service: one store, one set of rules, two dialects.

/** The 3.0.1 target types (its targets are `{ type, values }`). */
export const TARGET_TYPES_301 = ['POWER_SERVICE_LOCATION', 'SERVICE_AREA', 'GROUP', 'RESOURCE_NAME', 'VEN_NAME', 'EVENT_NAME', 'PROGRAM_NAME'] as const;

/** Marks a subscription made through 3.0.1, so its notifications are written in 3.0.1. */
export const DIALECT_FIELD = 'x-flexbridge-dialect';

export interface ValuesMap301 { readonly type: string; readonly values: readonly (string | number | boolean)[] }

/**
 * A 3.0.1 target as a 3.1 target string: a GROUP value is the string itself (groups are what both
 * generations and 2.0b share); any other type keeps its type as `TYPE:value`, so it reads back.
 */
export function targetOf301(type: string, value: string | number | boolean): string {
  return type === 'GROUP' ? String(value) : `${type}:${String(value)}`;
}

export function targetsFrom301(raw: unknown, where: string): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) throw new OperatorApiError(400, `${where}: 3.0.1 targets are a list of {type, values}`);
  return raw.flatMap((entry: unknown, i) => {
    const map = entry as Partial<ValuesMap301> | null;
    if (!map || typeof map.type !== 'string' || !Array.isArray(map.values)) throw new OperatorApiError(400, `${where}[${i}]: a 3.0.1 target is {type, values}`);
    return map.values.map((v) => targetOf301(map.type!, v));
  });
}

/** 3.1 target strings as 3.0.1 valuesMaps, one per type in order of appearance. */
export function targetsTo301(targets: unknown): ValuesMap301[] | undefined {
  if (!Array.isArray(targets)) return undefined;
  const byType = new Map<string, string[]>();
  for (const t of targets.map(String)) {
    const colon = t.indexOf(':');
    const typed = colon > 0 && (TARGET_TYPES_301 as readonly string[]).includes(t.slice(0, colon));
    const type = typed ? t.slice(0, colon) : 'GROUP';
    byType.set(type, [...(byType.get(type) ?? []), typed ? t.slice(colon + 1) : t]);
  }
  return [...byType].map(([type, values]) => ({ type, values }));
}

/** The query of a 3.0.1 search (targetType, targetValues) in 3.1 words (targets). */
export function queryFrom301(q: Readonly<Record<string, string | string[] | undefined>>): Record<string, string | string[] | undefined> {
  const { targetType, targetValues, ...rest } = q;
  if (targetValues === undefined) return rest;
  const type = (Array.isArray(targetType) ? targetType[0] : targetType) ?? 'GROUP';
  const values = (Array.isArray(targetValues) ? targetValues : [targetValues]).flatMap((v) => v.split(','));
  return { ...rest, targets: values.map((v) => targetOf301(type, v)) };
}

export type Kind301 = 'programs' | 'events' | 'reports' | 'subscriptions' | 'vens' | 'resources';

/**
 * A 3.0.1 request body as the 3.1 request the service takes. A VEN object gets the request type of
 * the client's role; one made by business logic belongs to the client named by its venName (3.0.1
 * has no clientID), unless the body names a clientID.
 */
export function requestFrom301(kind: Kind301, raw: unknown, role: 'bl' | 'ven'): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const body: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  // 3.0.1 clients send whole objects: the VTN's own fields are not theirs to set.
  for (const field of ['id', 'createdDateTime', 'modificationDateTime', 'objectType', DIALECT_FIELD]) delete body[field];
  if ('targets' in body) {
    const targets = targetsFrom301(body.targets, 'targets');
    if (targets) body.targets = targets; else delete body.targets;
  }
  if (kind === 'subscriptions') body[DIALECT_FIELD] = '3.0.1';
  if (kind === 'vens') {
    delete body.resources;
    body.objectType = role === 'ven' ? 'VEN_VEN_REQUEST' : 'BL_VEN_REQUEST';
    if (role === 'bl') body.clientID ??= body.venName;
  }
  if (kind === 'resources') body.objectType = role === 'ven' ? 'VEN_RESOURCE_REQUEST' : 'BL_RESOURCE_REQUEST';
  return body;
}

/** A 3.1 object as 3.0.1 writes it. */
export function objectTo301(object: unknown): unknown {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return object;
  const { [DIALECT_FIELD]: _dialect, ...rest } = object as Record<string, unknown>;
  const targets = targetsTo301(rest.targets);
  return targets ? { ...rest, targets } : rest;
}
