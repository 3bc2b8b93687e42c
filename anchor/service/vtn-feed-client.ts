import { VtnUnavailableError } from '../../src/errors.js';
import type { EventRecord, EventVersionRecord, FeedEntry, ReadingRecord } from '../../vtn/index.js';

/** What the anchor reads from the VTN's operator API. */
export interface VtnFeedSource {
  feedAfter(offset: number, waitMs: number): Promise<{ entries: FeedEntry[]; next: number }>;
  event(eventId: string): Promise<(EventRecord & { versions: EventVersionRecord[] }) | undefined>;
  readings(venId: string, from: number, to: number): Promise<ReadingRecord[]>;
}

/** The VTN operator API over HTTP (JSON). */
export function httpFeedSource(apiUrl: string, token?: string): VtnFeedSource {
  const get = async <T>(path: string): Promise<T | undefined> => {
    let response: Response;
    try {
      response = await fetch(`${apiUrl}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    } catch (cause) {
      throw new VtnUnavailableError(`VTN operator API unreachable at ${apiUrl}: ${(cause as Error).message}`, { cause });
    }
    if (response.status === 404) return undefined;
    if (!response.ok) throw new VtnUnavailableError(`VTN operator API answered ${response.status} for ${path}`);
    return (await response.json()) as T;
  };
  return {
    feedAfter: async (offset, waitMs) => (await get<{ entries: FeedEntry[]; next: number }>(`/api/feed?after=${offset}&limit=500&waitMs=${waitMs}`)) ?? { entries: [], next: offset },
    event: (eventId) => get(`/api/events/${encodeURIComponent(eventId)}`),
    readings: async (venId, from, to) => (await get<ReadingRecord[]>(`/api/readings?venId=${encodeURIComponent(venId)}&from=${from}&to=${to}&limit=100000`)) ?? [],
  };
}
