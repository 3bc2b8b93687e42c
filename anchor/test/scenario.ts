import { ATTRIBUTE, type LedgerIdentity } from '../index.js';

export const operator: LedgerIdentity = { id: 'x509::CN=operator', mspId: 'SystemOperatorMSP', attributes: { [ATTRIBUTE.role]: 'operator' } };
export const retailer: LedgerIdentity = { id: 'x509::CN=retailer-1', mspId: 'RetailerMSP', attributes: { [ATTRIBUTE.role]: 'retailer', [ATTRIBUTE.retailerId]: 'retailer-1' } };
export const otherRetailer: LedgerIdentity = { id: 'x509::CN=retailer-2', mspId: 'RetailerMSP', attributes: { [ATTRIBUTE.role]: 'retailer', [ATTRIBUTE.retailerId]: 'retailer-2' } };
export const customer = (customerId: string): LedgerIdentity => ({ id: `x509::CN=${customerId}`, mspId: 'RetailerMSP', attributes: { [ATTRIBUTE.role]: 'customer', [ATTRIBUTE.customerId]: customerId } });

/** A household's 96 quarter-hours: night base, morning and evening peaks, a seeded wiggle per day. */
export function householdDay(level: number, day: number): number[] {
  return Array.from({ length: 96 }, (_, k) => {
    const hour = k / 4;
    const shape = hour < 6 ? 0.35 : hour < 9 ? 0.9 : hour < 17 ? 0.6 : hour < 22 ? 1 : 0.5;
    const wiggle = ((day * 7919 + k * 104_729) % 97) / 97 - 0.5;
    return Math.round(level * shape * (1 + 0.1 * wiggle));
  });
}

export function dates(from: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
}
