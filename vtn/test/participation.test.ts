import { eventParticipation } from '../service/index.js';
import type { EventResponseRecord, OptRecord } from '../store/records.js';

const answer = (venId: string, optType: 'optIn' | 'optOut', receivedAt: number, responseCode = 200): EventResponseRecord => ({ eventId: 'e1', modificationNumber: 0, venId, optType, responseCode, receivedAt });
const opt = (venId: string, optType: 'optIn' | 'optOut', createdAt: number, cancelled = false, eventId = 'e1'): OptRecord => ({
  optId: `${venId}-${createdAt}`, venId, cancelled, createdAt,
  opt: { optId: `${venId}-${createdAt}`, optType, optReason: 'participating', venId, createdDateTime: { epochMs: createdAt, microsOfMs: 0 }, qualifiedEventId: { eventId, modificationNumber: 0 }, target: {} },
});

describe('event participation', () => {
  it('takes the latest accepted answer, lets an event opt outrank any answer, and ignores cancelled or foreign opts', () => {
    const responses = [answer('a', 'optIn', 1), answer('a', 'optOut', 2), answer('b', 'optOut', 1), answer('c', 'optIn', 1), answer('d', 'optOut', 5, 460)];
    const opts = [opt('b', 'optIn', 0), opt('c', 'optOut', 3, true), opt('c', 'optOut', 4, false, 'other-event')];
    expect(eventParticipation(['a', 'b', 'c', 'd', 'e'], responses, opts, 'e1')).toEqual({ a: 'optOut', b: 'optIn', c: 'optIn' });
  });
});
