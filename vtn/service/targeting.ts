import type { EiTarget } from '../../schemas/index.js';
import type { VenRecord } from '../store/records.js';

export function targetMatches(ven: VenRecord, target: EiTarget): boolean {
  const lists = [target.venIds, target.groupIds, target.resourceIds, target.partyIds];
  // 2.0b: an empty target means every VEN in the program.
  if (lists.every((l) => !l?.length)) return true;
  return Boolean(
    target.venIds?.includes(ven.venId) ||
    target.groupIds?.some((g) => ven.groupIds.includes(g)) ||
    target.resourceIds?.some((r) => ven.resourceIds.includes(r)) ||
    (ven.partyId !== undefined && target.partyIds?.includes(ven.partyId)),
  );
}
