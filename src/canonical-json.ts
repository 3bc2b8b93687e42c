/**
 * JSON with object keys sorted, so that every peer writes byte-identical state and a hash does not
 * depend on key order. Undefined members are left out, undefined array items become null, and a
 * non-finite number is refused rather than silently written as null.
 */
export function canonicalJson(value: unknown): string {
  // Fast path for the meter-day arrays: plain finite numbers serialise the same either way.
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v))) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record).sort().filter((k) => record[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
  return JSON.stringify(value);
}
