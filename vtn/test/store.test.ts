import { durationFromMs, type OadrEvent, type OadrMessage } from '../../schemas/index.js';
import { postgresBackend, STORE_BACKENDS } from '../../test/support/stores.js';
import type { EventRecord, EventVersionRecord, ReadingRecord, UpstreamEventRecord, VenRecord } from '../store/records.js';
import type { EventSearch, VtnStore } from '../store/store.js';
import type { AdvisoryLockLeadership } from '../store/leadership.js';

// What every VtnStore must do, whatever the database: the services rely on exactly this.
const T0 = Date.UTC(2026, 0, 5, 8);
const HOUR = 3_600_000;

function ven(venId: string, over: Partial<VenRecord> = {}): VenRecord {
  return {
    venId, registrationId: `reg-${venId}`, profileName: '2.0b', transportName: 'simpleHttp', httpPullModel: true, reportOnly: false,
    xmlSignature: false, registeredAt: T0, state: 'registered', groupIds: [], resourceIds: [], ...over,
  };
}

function event(eventId: string, modificationNumber: number, startMs: number, lengthMs: number): { record: EventRecord; version: EventVersionRecord } {
  const oadrEvent = {
    descriptor: { eventId, modificationNumber, marketContext: 'http://market', createdDateTime: { epochMs: T0, microsOfMs: 0 }, eventStatus: 'far', testEvent: 'false', priority: 0 },
    activePeriod: { dtstart: { epochMs: startMs, microsOfMs: 0 }, duration: durationFromMs(lengthMs) },
    signals: [], target: {}, responseRequired: 'always',
  } as unknown as OadrEvent;
  return {
    record: { eventId, programId: 'p', modificationNumber, cancelled: false, event: oadrEvent, createdAt: T0, updatedAt: T0 },
    version: { eventId, modificationNumber, event: oadrEvent, contentSha256: `sha-${eventId}-${modificationNumber}`, createdAt: T0 },
  };
}

function reading(venId: string, dtstart: number, value: number): ReadingRecord {
  return {
    venId, reportRequestId: 'rr-1', reportSpecifierId: 'spec', rId: 'power', dtstart, durationMs: 900_000,
    payload: { rId: 'power', value } as unknown as ReadingRecord['payload'], receivedAt: T0,
  };
}

/**
 * Why a transaction was refused. (Read from the message: better-sqlite3's native module keeps the
 * error class of the first jest context that loaded it, so `instanceof Error` can fail in a later one.)
 */
async function refusal(transaction: Promise<unknown>): Promise<string> {
  return transaction.then(() => 'committed', (error: unknown) => String((error as { message?: unknown }).message));
}

const ping: OadrMessage = { type: 'oadrResponse', response: { responseCode: 200, requestId: 'x' } } as OadrMessage;

describe.each(STORE_BACKENDS.map((b) => [b.name, b] as const))('VtnStore on %s', (_name, backend) => {
  let store: VtnStore;
  beforeEach(async () => { store = await backend.open(); });
  afterEach(async () => { await store.close(); });

  it('keeps VENs by venID and registrationID, and replaces them whole', async () => {
    await store.transaction(async (tx) => { await tx.putVen(ven('b')); await tx.putVen(ven('a', { venName: 'first' })); });
    await store.transaction((tx) => tx.putVen(ven('a', { venName: 'second', registrationId: 'reg-a2' })));
    expect((await store.read.getVen('a'))?.venName).toBe('second');
    expect((await store.read.findVenByRegistrationId('reg-a2'))?.venId).toBe('a');
    expect(await store.read.findVenByRegistrationId('reg-a')).toBeUndefined();
    expect((await store.read.listVens()).map((v) => v.venId)).toEqual(['a', 'b']);
    expect(await store.read.getVen('nobody')).toBeUndefined();
  });

  it('refuses a second VEN with the same registrationID and keeps nothing of that transaction', async () => {
    await store.transaction((tx) => tx.putVen(ven('a')));
    expect(await refusal(store.transaction(async (tx) => {
      await tx.putProgram({ programId: 'p', name: 'P', marketContext: 'http://m', createdAt: T0 });
      await tx.putVen(ven('b', { registrationId: 'reg-a' }));
    }))).toMatch(/UNIQUE|duplicate key/);
    expect(await store.read.getProgram('p')).toBeUndefined();
    expect(await store.read.getVen('b')).toBeUndefined();
  });

  it('rolls back everything a transaction did when its work throws', async () => {
    await expect(store.transaction(async (tx) => {
      await tx.putVen(ven('a'));
      await tx.enqueue('a', { kind: 'distributeEvent' }, T0);
      await tx.appendFeed('ven', { action: 'registered', venId: 'a' }, T0);
      throw new Error('refused half-way');
    })).rejects.toThrow('refused half-way');
    expect(await store.read.listVens()).toEqual([]);
    expect(await store.read.pendingOutbox('a')).toEqual([]);
    expect(await store.read.feedAfter(0, 10)).toEqual([]);
  });

  it('undoes only the failing ones among concurrent transactions (SQLite commits them as a group), answering each after its commit', async () => {
    const committed: string[] = [];
    store.onCommitted(() => committed.push('commit'));
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => store.transaction(async (tx) => {
      await tx.putVen(ven(`v${i}`));
      await tx.enqueue(`v${i}`, { kind: 'distributeEvent' }, T0);
      if (i % 7 === 3) throw new Error(`refused ${i}`);
      // The answer comes after the commit: what it says is already durable and visible.
      return i;
    }).then(async (i) => ({ i, visible: (await store.read.getVen(`v${i}`)) !== undefined }))));
    const refused = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [i] : []));
    expect(refused).toEqual([3, 10, 17, 24]);
    for (const o of outcomes) if (o.status === 'fulfilled') expect(o.value.visible).toBe(true);
    expect((await store.read.listVens()).map((v) => v.venId).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`).filter((_, i) => !refused.includes(i)).sort());
    for (const i of refused) expect(await store.read.pendingOutbox(`v${i}`)).toEqual([]);
    expect(committed.length).toBeGreaterThan(0);
    // A transaction after a failed one starts clean.
    await store.transaction((tx) => tx.putVen(ven('after')));
    expect(await store.read.getVen('after')).toBeDefined();
  });

  it('keeps each event version, and lists a VEN\'s events until they end', async () => {
    const e1 = event('e1', 0, T0 + HOUR, HOUR);
    const e2 = event('e2', 0, T0 + 5 * HOUR, HOUR);
    await store.transaction(async (tx) => {
      await tx.putVen(ven('a'));
      await tx.putEvent(e1.record, e1.version);
      await tx.putEvent(e2.record, e2.version);
      await tx.setEventTargets('e1', ['a', 'b']);
      await tx.setEventTargets('e2', ['a']);
    });
    const e1m = event('e1', 1, T0 + HOUR, 2 * HOUR);
    await store.transaction(async (tx) => { await tx.putEvent(e1m.record, e1m.version); await tx.setEventTargets('e1', ['a']); });
    expect((await store.read.getEvent('e1'))?.modificationNumber).toBe(1);
    expect((await store.read.listEventVersions('e1')).map((v) => v.modificationNumber)).toEqual([0, 1]);
    expect(await store.read.eventTargets('e1')).toEqual(['a']);
    expect((await store.read.eventsForVen('a', T0)).map((e) => e.eventId)).toEqual(['e1', 'e2']);
    // e1 now ends at T0 + 3 h.
    expect((await store.read.eventsForVen('a', T0 + 3 * HOUR)).map((e) => e.eventId)).toEqual(['e2']);
    expect(await store.read.eventsForVen('b', T0)).toEqual([]);
    // One VEN joins or leaves without rewriting the list; adding twice is once.
    await store.transaction(async (tx) => { await tx.setEventTarget('e1', 'b', true); await tx.setEventTarget('e1', 'b', true); await tx.setEventTarget('e1', 'a', false); });
    expect(await store.read.eventTargets('e1')).toEqual(['b']);
    await store.transaction(async (tx) => { await tx.setEventTarget('e1', 'a', true); await tx.setEventTarget('e1', 'b', false); });
    expect(await store.read.eventTargets('e1')).toEqual(['a']);
    // A version is written once: the same modificationNumber again is refused.
    expect(await refusal(store.transaction((tx) => tx.putEvent(e1m.record, e1m.version)))).toMatch(/UNIQUE|duplicate key/);
  });

  it('searches events in the store: not cancelled, by program, target group, targeted VEN and end, oldest created first, paged', async () => {
    const made = (id: string, programId: string, groups: string[], createdAt: number, endsIn: number, cancelled = false) => {
      const { record, version } = event(id, 0, T0, endsIn);
      return { record: { ...record, programId, createdAt, cancelled, event: { ...record.event, target: groups.length ? { groupIds: groups } : {} } }, version };
    };
    const events = [
      made('s-late', 'p1', ['north'], T0 + 3, HOUR), made('s-early', 'p1', ['south'], T0 + 1, HOUR), made('s-b', 'p2', ['north', 'east'], T0 + 2, 10 * HOUR),
      made('s-a', 'p2', [], T0 + 2, HOUR), made('s-gone', 'p1', ['north'], T0, HOUR, true),
    ];
    await store.transaction(async (tx) => {
      for (const e of events) await tx.putEvent(e.record, e.version);
      await tx.setEventTargets('s-late', ['v1']);
      await tx.setEventTargets('s-b', ['v1', 'v2']);
      await tx.setEventTargets('s-gone', ['v1']);
    });
    const ids = async (q: Partial<EventSearch>) => (await store.read.searchEvents({ skip: 0, limit: 50, ...q })).map((e) => e.eventId);
    // Creation order, then ID; the cancelled one never.
    expect(await ids({})).toEqual(['s-early', 's-a', 's-b', 's-late']);
    expect(await ids({ skip: 1, limit: 2 })).toEqual(['s-a', 's-b']);
    expect(await ids({ programId: 'p1' })).toEqual(['s-early', 's-late']);
    expect(await ids({ groupIds: ['north'] })).toEqual(['s-b', 's-late']);
    expect(await ids({ groupIds: ['east', 'south'] })).toEqual(['s-early', 's-b']);
    expect(await ids({ venIds: ['v1'] })).toEqual(['s-b', 's-late']);
    expect(await ids({ venIds: ['v2'], groupIds: ['east'] })).toEqual(['s-b']);
    expect(await ids({ venIds: [] })).toEqual([]);
    expect(await ids({ endsAfter: T0 + 2 * HOUR })).toEqual(['s-b']);
  });

  it('keeps the upstream VTN\'s events for the bridge by their ID, replaced whole, listed oldest received first', async () => {
    const { record } = event('u-late', 0, T0, HOUR);
    const upstream = (upstreamId: string, receivedAt: number, modificationNumber: number): UpstreamEventRecord => ({
      upstreamId, protocol: 'openadr3', upstreamUrl: 'https://utility.example', modificationNumber, event: record.event, status: 'active',
      derivedEventIds: [`up-${upstreamId}`], opt: 'optIn', allocatedBy: 'relayed to the fleet', receivedAt, updatedAt: receivedAt,
    });
    await store.transaction(async (tx) => { await tx.putUpstreamEvent(upstream('u-late', T0 + 5, 0)); await tx.putUpstreamEvent(upstream('u-early', T0 + 1, 0)); });
    await store.transaction(async (tx) => tx.putUpstreamEvent({ ...upstream('u-late', T0 + 5, 1), status: 'cancelled' }));
    expect(await store.read.getUpstreamEvent('u-late')).toMatchObject({ modificationNumber: 1, status: 'cancelled', derivedEventIds: ['up-u-late'] });
    expect(await store.read.getUpstreamEvent('u-none')).toBeUndefined();
    expect((await store.read.listUpstreamEvents()).map((u) => u.upstreamId)).toEqual(['u-early', 'u-late']);
  });

  it('keeps one response per VEN and event version, opts, report registrations and requests', async () => {
    await store.transaction(async (tx) => {
      await tx.putEventResponse({ eventId: 'e1', modificationNumber: 0, venId: 'a', optType: 'optIn', responseCode: 200, receivedAt: T0 });
      await tx.putEventResponse({ eventId: 'e1', modificationNumber: 0, venId: 'a', optType: 'optOut', responseCode: 200, receivedAt: T0 + 1 });
      await tx.putEventResponse({ eventId: 'e1', modificationNumber: 1, venId: 'a', optType: 'optIn', responseCode: 200, receivedAt: T0 + 2 });
      await tx.putOpt({ optId: 'o2', venId: 'b', opt: {} as never, cancelled: false, createdAt: T0 });
      await tx.putOpt({ optId: 'o1', venId: 'a', opt: {} as never, cancelled: false, createdAt: T0 });
      await tx.putReportRegistration({ venId: 'a', reportSpecifierId: 's1', report: {} as never, registeredAt: T0 });
      await tx.putReportRequest({ reportRequestId: 'rr-1', venId: 'a', request: {} as never, state: 'requested', createdAt: T0 });
      await tx.setReportRequestState('rr-1', 'created');
      await tx.setReportRequestState('rr-unknown', 'cancelled');
    });
    expect((await store.read.listEventResponses('e1')).map((r) => [r.modificationNumber, r.optType])).toEqual([[0, 'optOut'], [1, 'optIn']]);
    expect(await store.read.listEventResponses()).toHaveLength(2);
    expect((await store.read.listOpts()).map((o) => o.optId)).toEqual(['o1', 'o2']);
    expect((await store.read.listOpts('b')).map((o) => o.optId)).toEqual(['o2']);
    expect(await store.read.getOpt('o1')).toMatchObject({ venId: 'a' });
    expect(await store.read.listReportRegistrations('a')).toHaveLength(1);
    expect(await store.read.getReportRequest('rr-1')).toMatchObject({ state: 'created', venId: 'a' });
    expect(await store.read.listReportRequests('a')).toHaveLength(1);
    expect(await store.read.getReportRequest('rr-unknown')).toBeUndefined();
  });

  it('keeps OpenADR 3 objects by kind and ID, lists them oldest first and by owning client, replaces and deletes them', async () => {
    const object = (kind: 'ven' | 'subscription', id: string, clientId: string | undefined, createdAt: number) => ({ kind, id, ...(clientId ? { clientId } : {}), body: { id, n: createdAt }, createdAt, updatedAt: createdAt });
    await store.transaction(async (tx) => {
      await tx.putObject3(object('ven', 'v2', 'client-b', T0 + 2));
      await tx.putObject3(object('ven', 'v1', 'client-a', T0 + 1));
      await tx.putObject3(object('subscription', 'v1', undefined, T0));
    });
    expect((await store.read.listObjects3('ven')).map((o) => o.id)).toEqual(['v1', 'v2']);
    expect((await store.read.listObjects3('ven', 'client-b')).map((o) => o.id)).toEqual(['v2']);
    expect(await store.read.getObject3('subscription', 'v1')).toMatchObject({ kind: 'subscription', body: { id: 'v1' } });
    await store.transaction(async (tx) => {
      await tx.putObject3({ ...object('ven', 'v1', 'client-b', T0 + 1), updatedAt: T0 + 9 });
      await tx.deleteObject3('ven', 'v2');
    });
    expect(await store.read.listObjects3('ven', 'client-b')).toEqual([{ ...object('ven', 'v1', 'client-b', T0 + 1), updatedAt: T0 + 9 }]);
    expect(await store.read.getObject3('ven', 'v2')).toBeUndefined();
  });

  it('keeps webhook deliveries until delivered, one at a time per callback URL, leased to one sender, rescheduled on failure', async () => {
    await store.transaction(async (tx) => {
      await tx.enqueueWebhook({ subscriptionId: 's1', url: 'https://a.example/cb', bearerToken: 't', body: '{"n":1}' }, T0);
      await tx.enqueueWebhook({ subscriptionId: 's1', url: 'https://a.example/cb', body: '{"n":2}' }, T0);
      await tx.enqueueWebhook({ subscriptionId: 's2', url: 'https://b.example/cb', body: '{"n":3}' }, T0 + 1);
    });
    expect(await store.read.countPendingWebhooks()).toBe(3);
    const first = await store.transaction((tx) => tx.claimWebhooks(T0 + 5, 10, T0 + 60_000, 'node-a'));
    expect(first.map((w) => [w.url, w.body, w.bearerToken])).toEqual([['https://a.example/cb', '{"n":1}', 't'], ['https://b.example/cb', '{"n":3}', undefined]]);
    // Leased: another sender gets nothing until the lease ends or the delivery is settled.
    expect(await store.transaction((tx) => tx.claimWebhooks(T0 + 5, 10, T0 + 60_000, 'node-b'))).toEqual([]);
    await store.transaction(async (tx) => {
      await tx.markWebhookDelivered(first[0]!.id, T0 + 6);
      await tx.rescheduleWebhook(first[1]!.id, T0 + 1_000, 'HTTP 503');
    });
    const second = await store.transaction((tx) => tx.claimWebhooks(T0 + 10, 10, T0 + 60_000, 'node-b'));
    expect(second.map((w) => w.body)).toEqual(['{"n":2}']);
    const retried = await store.transaction((tx) => tx.claimWebhooks(T0 + 1_000, 10, T0 + 60_000, 'node-b'));
    expect(retried.map((w) => [w.body, w.attempts, w.lastError])).toEqual([['{"n":3}', 1, 'HTTP 503']]);
    expect(await store.read.countPendingWebhooks()).toBe(2);
  });

  it('stores a reading once: a resent copy replaces it, an identical one counts as nothing new', async () => {
    const first = [reading('a', T0, 1), reading('a', T0 + 900_000, 2), reading('b', T0, 3)];
    expect(await store.transaction((tx) => tx.putReadings(first))).toBe(3);
    expect(await store.transaction((tx) => tx.putReadings(first))).toBe(0);
    expect(await store.transaction((tx) => tx.putReadings([reading('a', T0, 10), reading('a', T0, 11)]))).toBeGreaterThanOrEqual(1);
    expect(await store.read.countReadings()).toBe(3);
    const a = await store.read.listReadings({ venId: 'a' });
    expect(a.map((r) => (r.payload as unknown as { value: number }).value)).toEqual([11, 2]);
    expect(await store.read.listReadings({ from: T0 + 1, to: T0 + HOUR })).toHaveLength(1);
    expect(await store.read.listReadings({ limit: 1 })).toHaveLength(1);
    expect((await store.read.latestReading('a', 'power', T0))?.dtstart).toBe(T0 + 900_000);
    expect(await store.read.latestReading('a', 'power', T0 + HOUR)).toBeUndefined();
  });

  it('hands out a VEN\'s messages oldest first; pushes follow the VEN\'s delivery mode, one per VEN at a time', async () => {
    await store.transaction(async (tx) => {
      await tx.putVen(ven('pull'));
      await tx.putVen(ven('push', { httpPullModel: false, transportAddress: 'https://push.example/' }));
      await tx.enqueue('pull', { kind: 'message', message: ping }, T0);
      await tx.enqueue('push', { kind: 'distributeEvent' }, T0);
      await tx.enqueue('push', { kind: 'message', message: ping }, T0);
      await tx.enqueue('push', { kind: 'distributeEvent' }, T0);
    });
    expect((await store.read.pendingOutbox('pull')).map((e) => e.body.kind)).toEqual(['message']);
    const due = await store.read.duePushEntries(T0, 10);
    expect(due.map((e) => [e.venId, e.body.kind])).toEqual([['push', 'distributeEvent']]);
    expect(await store.read.duePushEntries(T0 - 1, 10)).toEqual([]);
    // Delivered, the next message of that VEN is due; a failed one waits out its backoff.
    await store.transaction((tx) => tx.markDelivered(due[0]!.id, T0));
    const next = (await store.read.duePushEntries(T0, 10))[0]!;
    expect(next.body.kind).toBe('message');
    await store.transaction((tx) => tx.reschedule(next.id, T0 + 60_000, 'connection refused'));
    expect(await store.read.duePushEntries(T0, 10)).toEqual([]);
    expect((await store.read.pendingOutbox('push'))[0]).toMatchObject({ attempts: 1, lastError: 'connection refused', nextAttemptAt: T0 + 60_000 });
    expect(await store.transaction((tx) => tx.expeditePushes('simpleHttp', T0))).toBe(1);
    expect(await store.transaction((tx) => tx.expeditePushes('xmpp', T0))).toBe(0);
    expect((await store.read.duePushEntries(T0, 10))[0]?.id).toBe(next.id);
    // The VEN turns to pull: its pending messages are no longer pushed.
    await store.transaction((tx) => tx.putVen(ven('push', { httpPullModel: true })));
    expect(await store.read.duePushEntries(T0 + HOUR, 10)).toEqual([]);
    expect(await store.read.pendingOutbox('push')).toHaveLength(2);
  });

  it('leases due pushes: a leased entry is not claimed again until delivered, rescheduled or its lease runs out; a VEN\'s next waits its turn', async () => {
    await store.transaction(async (tx) => {
      await tx.putVen(ven('p1', { httpPullModel: false, transportAddress: 'https://p1.example/' }));
      await tx.putVen(ven('p2', { httpPullModel: false, transportAddress: 'https://p2.example/' }));
      await tx.enqueue('p1', { kind: 'distributeEvent' }, T0);
      await tx.enqueue('p1', { kind: 'message', message: ping }, T0);
      await tx.enqueue('p2', { kind: 'distributeEvent' }, T0);
    });
    const claim = (now: number, holder: string) => store.transaction((tx) => tx.claimPushEntries(now, 10, now + 30_000, holder));
    const first = await claim(T0, 'node-a');
    expect(first.map((e) => e.venId)).toEqual(['p1', 'p2']);
    expect(await claim(T0 + 1_000, 'node-b')).toEqual([]);
    // p1's first message delivered: its second is claimable; p2's lease still holds.
    await store.transaction((tx) => tx.markDelivered(first[0]!.id, T0 + 2_000));
    expect((await claim(T0 + 2_000, 'node-b')).map((e) => [e.venId, e.body.kind])).toEqual([['p1', 'message']]);
    // node-a died holding p2: after its lease runs out, another node takes it.
    expect((await claim(T0 + 30_001, 'node-b')).map((e) => e.venId)).toEqual(['p2']);
  });

  it('enqueues one message for many VENs in their order, each pushed or polled by its own mode', async () => {
    await store.transaction(async (tx) => {
      await tx.putVen(ven('pull'));
      await tx.putVen(ven('push', { httpPullModel: false, transportAddress: 'https://push.example/' }));
      await tx.enqueueMany(['push', 'pull', 'unknown'], { kind: 'distributeEvent' }, T0);
      await tx.enqueueMany([], { kind: 'distributeEvent' }, T0);
    });
    expect(await store.read.pendingOutbox('pull')).toHaveLength(1);
    expect(await store.read.pendingOutbox('unknown')).toHaveLength(1);
    expect((await store.read.duePushEntries(T0, 10)).map((e) => e.venId)).toEqual(['push']);
    const ids = [...await store.read.pendingOutbox('push'), ...await store.read.pendingOutbox('pull'), ...await store.read.pendingOutbox('unknown')].map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('drops distribute markers up to a given entry only', async () => {
    await store.transaction(async (tx) => {
      await tx.putVen(ven('a'));
      for (const kind of ['distributeEvent', 'message', 'distributeEvent'] as const) {
        await tx.enqueue('a', kind === 'message' ? { kind, message: ping } : { kind }, T0);
      }
    });
    const [first] = await store.read.pendingOutbox('a');
    await store.transaction((tx) => tx.markDistributesDelivered('a', T0, first!.id));
    expect((await store.read.pendingOutbox('a')).map((e) => e.body.kind)).toEqual(['message', 'distributeEvent']);
    await store.transaction((tx) => tx.markDistributesDelivered('a', T0));
    expect((await store.read.pendingOutbox('a')).map((e) => e.body.kind)).toEqual(['message']);
  });

  it('numbers the feed in commit order, pages it, and tells listeners after commit only', async () => {
    const told: { enqueued: boolean; fed: boolean }[] = [];
    store.onCommitted((c) => told.push({ ...c }));
    // On PostgreSQL a listener is told once when its notification channel opens (what it may have missed).
    await new Promise((r) => setTimeout(r, 300));
    told.length = 0;
    await store.transaction(async (tx) => {
      await tx.appendFeed('ven', { action: 'registered', venId: 'a' }, T0);
      await tx.appendFeed('ven', { action: 'registered', venId: 'b' }, T0 + 1);
    });
    await store.transaction((tx) => tx.appendFeed('ven', { action: 'cancelled', by: 'vtn', venId: 'a' }, T0 + 2));
    await store.transaction((tx) => tx.getVen('a'));
    await store.transaction(async (tx) => { await tx.putVen(ven('c')); await tx.enqueue('c', { kind: 'distributeEvent' }, T0); });
    await expect(store.transaction(async (tx) => { await tx.appendFeed('ven', { action: 'registered', venId: 'x' }, T0); throw new Error('no'); })).rejects.toThrow();
    const feed = await store.read.feedAfter(0, 10);
    expect(feed.map((f) => f.data)).toEqual([
      { action: 'registered', venId: 'a' }, { action: 'registered', venId: 'b' }, { action: 'cancelled', by: 'vtn', venId: 'a' },
    ]);
    expect(feed.map((f) => f.offset)).toEqual([...feed.map((f) => f.offset)].sort((x, y) => x - y));
    expect(await store.read.feedAfter(feed[0]!.offset, 1)).toEqual([feed[1]]);
    await new Promise((r) => setTimeout(r, 50));
    // Told locally exactly for the three commits that fed or enqueued (another node's notifications come on top, none here).
    expect(told.filter((c) => c.fed && !c.enqueued)).toHaveLength(2);
    expect(told.filter((c) => c.enqueued)).toHaveLength(1);
  });

  it('remembers a signature nonce: the same nonce and timestamp again is a replay, expired ones are forgotten', async () => {
    const retention = 60_000;
    expect(await store.transaction((tx) => tx.rememberNonce('n1', T0, T0, retention))).toBe(true);
    expect(await store.transaction((tx) => tx.rememberNonce('n1', T0, T0 + 1, retention))).toBe(false);
    expect(await store.transaction((tx) => tx.rememberNonce('n1', T0 + 5, T0 + 1, retention))).toBe(true);
    // Well past retention the old rows go (expiry may run beside the request: look again shortly).
    await store.transaction((tx) => tx.rememberNonce('n2', T0, T0 + 10 * retention, retention));
    await new Promise((r) => setTimeout(r, 100));
    expect(await store.transaction((tx) => tx.rememberNonce('n1', T0, T0 + 10 * retention + 2_000, retention))).toBe(true);
  });

  it('runs concurrent read-modify-write transactions as if one at a time: no update is lost', async () => {
    await store.transaction((tx) => tx.putProgram({ programId: 'counter', name: '0', marketContext: 'http://m', createdAt: T0 }));
    const bump = (): Promise<void> => store.transaction(async (tx) => {
      const p = (await tx.getProgram('counter'))!;
      await new Promise((r) => setTimeout(r, 1));
      await tx.putProgram({ ...p, name: String(Number(p.name) + 1) });
    });
    await Promise.all(Array.from({ length: 20 }, bump));
    expect((await store.read.getProgram('counter'))?.name).toBe('20');
  });
});

/** Two stores on one PostgreSQL database, as two VTN nodes, closed whatever the test does. */
async function withTwoNodes(test: (a: VtnStore, b: VtnStore) => Promise<void>): Promise<void> {
  const a = await postgresBackend.open({ nodeId: 'node-a' });
  const b = await postgresBackend.openSibling!({ nodeId: 'node-b' });
  try {
    await test(a, b);
  } finally {
    await a.close();
    await b.close();
  }
}

describe('VtnStore on PostgreSQL: several nodes on one database', () => {
  it('never lets a feed reader skip an entry, even when transactions commit out of the order they started in', async () => {
    await withTwoNodes(async (a, b) => {
    // A starts first and is slow to commit; B starts later and commits first; a reader between
    // them resumes after what it saw. With offsets given in start order it would skip A's entry.
    let releaseA!: () => void;
    const aWaiting = new Promise<void>((r) => { releaseA = r; });
    const slow = a.transaction(async (tx) => {
      await tx.appendFeed('ven', { action: 'registered', venId: 'slow' }, T0);
      await aWaiting;
    });
    await new Promise((r) => setTimeout(r, 50));
    await b.transaction((tx) => tx.appendFeed('ven', { action: 'registered', venId: 'fast' }, T0));
    const seen = await b.read.feedAfter(0, 100);
    const resumeAt = Math.max(0, ...seen.map((e) => e.offset));
    releaseA();
    await slow;
    const later = await b.read.feedAfter(resumeAt, 100);
    const all = [...seen, ...later].map((e) => (e.data as { venId: string }).venId);
    expect(all.sort()).toEqual(['fast', 'slow']);
    });
  });

  it('keeps a resuming feed reader complete under concurrent commits from two nodes', async () => {
    await withTwoNodes(async (a, b) => {
    let writing = true;
    const seen: string[] = [];
    let resume = 0;
    const readOnce = async (): Promise<void> => {
      for (const entry of await b.read.feedAfter(resume, 1_000)) {
        seen.push((entry.data as { venId: string }).venId);
        resume = entry.offset;
      }
    };
    const reader = (async () => { while (writing) await readOnce(); })();
    const writer = (store: VtnStore, name: string) => Promise.all(Array.from({ length: 6 }, async (_, lane) => {
      for (let i = 0; i < 25; i++) {
        await store.transaction(async (tx) => {
          await tx.getVen('anything');
          await tx.appendFeed('ven', { action: 'registered', venId: `${name}-${lane}-${i}` }, T0);
        });
      }
    }));
    await Promise.all([writer(a, 'a'), writer(b, 'b')]);
    writing = false;
    await reader;
    await readOnce();
    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);
    });
  });

  it('retries serialization failures between unrelated VENs until they pass: no request fails under contention', async () => {
    await withTwoNodes(async (a, b) => {
    await a.transaction(async (tx) => { for (let i = 0; i < 16; i++) await tx.putVen(ven(`c${i}`)); });
    // Each lane queues a message for its own VEN and hands it out, as polls do, on alternate nodes.
    const outcomes = await Promise.allSettled(Array.from({ length: 16 }, async (_, lane) => {
      const store = lane % 2 ? a : b;
      for (let n = 0; n < 20; n++) {
        await store.transaction((tx) => tx.enqueue(`c${lane}`, { kind: 'distributeEvent' }, T0));
        await store.transaction(async (tx) => {
          for (const entry of await tx.pendingOutbox(`c${lane}`)) await tx.markDelivered(entry.id, T0);
        });
      }
    }));
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    for (let i = 0; i < 16; i++) expect(await a.read.pendingOutbox(`c${i}`)).toEqual([]);
    // Such retries happen (predicate locks cover index pages) and are counted for metrics.
    expect(typeof a.retries).toBe('number');
    });
  });

  it('tells one node of what another committed (a push enqueued elsewhere wakes this node)', async () => {
    await withTwoNodes(async (a, b) => {
    const told: { enqueued: boolean; fed: boolean }[] = [];
    b.onCommitted((c) => told.push({ ...c }));
    await new Promise((r) => setTimeout(r, 300));
    told.length = 0;
    await a.transaction(async (tx) => { await tx.putVen(ven('z')); await tx.enqueue('z', { kind: 'distributeEvent' }, T0); });
    const deadline = Date.now() + 5_000;
    while (!told.some((c) => c.enqueued) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(told.some((c) => c.enqueued)).toBe(true);
    });
  });

  it('lets two nodes claiming at once take disjoint pushes that together cover every due VEN', async () => {
    await withTwoNodes(async (a, b) => {
    await a.transaction(async (tx) => {
      for (let i = 0; i < 60; i++) {
        await tx.putVen(ven(`v${i}`, { httpPullModel: false, transportAddress: `https://v${i}.example/` }));
        await tx.enqueue(`v${i}`, { kind: 'distributeEvent' }, T0);
        await tx.enqueue(`v${i}`, { kind: 'message', message: ping }, T0);
      }
    });
    const claims: { holder: string; ids: number[] }[] = [];
    await Promise.all(['node-a', 'node-b'].map(async (holder) => {
      const store = holder === 'node-a' ? a : b;
      for (let round = 0; round < 8; round++) {
        const got = await store.transaction((tx) => tx.claimPushEntries(T0, 10, T0 + 30_000, holder));
        claims.push({ holder, ids: got.map((e) => e.id) });
      }
    }));
    const ids = claims.flatMap((c) => c.ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(60);
    const heads = (await a.read.listVens()).length;
    expect(heads).toBe(60);
    });
  });

  it('shares replay nonces: a nonce seen by one node is a replay on the other', async () => {
    await withTwoNodes(async (a, b) => {
    const results = await Promise.all([
      a.transaction((tx) => tx.rememberNonce('shared', T0, T0, 60_000)),
      b.transaction((tx) => tx.rememberNonce('shared', T0, T0, 60_000)),
    ]);
    expect(results.sort()).toEqual([false, true]);
    });
  });

  it('elects one node for a singleton task; when its session dies another node takes over', async () => {
    const a = await postgresBackend.open({ nodeId: 'node-a' });
    const b = await postgresBackend.openSibling!({ nodeId: 'node-b' });
    const la = a.lead('uvam');
    const lb = b.lead('uvam');
    const other = b.lead('another-task');
    try {
      const waitUntil = async (ok: () => boolean, what: string): Promise<void> => {
        const deadline = Date.now() + 8_000;
        while (!ok()) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      await waitUntil(() => la.leading || lb.leading, 'a leader');
      await new Promise((r) => setTimeout(r, 1_500));
      expect([la.leading, lb.leading].filter(Boolean)).toHaveLength(1);
      await waitUntil(() => other.leading, 'the other task\'s leader');
      const [leader, follower] = la.leading ? [la, lb] : [lb, la];
      const told: boolean[] = [];
      follower.onChange((leading) => told.push(leading));
      // The leader's database session is killed (as when its node dies): the lock goes with it.
      const { default: pg } = await import('pg');
      const admin = new pg.Client({ connectionString: (await postgresBackend.config()).url });
      await admin.connect();
      const killed = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = $1", [(leader as AdvisoryLockLeadership).key]);
      expect(killed.rowCount).toBe(1);
      await admin.end();
      await waitUntil(() => follower.leading, 'the follower to take over');
      expect(told).toContain(true);
      await waitUntil(() => !leader.leading || follower.leading, 'the old leader to step down');
    } finally {
      await Promise.all([la.resign(), lb.resign(), other.resign()]);
      await a.close();
      await b.close();
    }
  });

  it('migrates a database made by an earlier version: each missing migration once, data kept', async () => {
    const { default: pg } = await import('pg');
    const { MIGRATIONS } = await import('../store/postgres-schema.js');
    const { PostgresVtnStore } = await import('../store/postgres-store.js');
    const cluster = await (await import('../../test/support/postgres.js')).sharedPostgres();
    const url = await cluster.createDatabase('old');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // The database as version 1 left it, with a push VEN in it.
    await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    await client.query(MIGRATIONS[0]!.sql);
    await client.query("INSERT INTO schema_migrations (version, name) VALUES (1, 'v1')");
    const old = ven('old-push', { httpPullModel: false, transportAddress: 'https://old.example/' });
    await client.query('INSERT INTO vens (ven_id, registration_id, state, transport_name, body) VALUES ($1, $2, $3, $4, $5)', [old.venId, old.registrationId, old.state, old.transportName, JSON.stringify(old)]);
    const store = new PostgresVtnStore({ url });
    try {
      await store.ready();
      const versions = (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r: { version: number }) => r.version);
      expect(versions).toEqual(MIGRATIONS.map((m) => m.version));
      await store.transaction((tx) => tx.enqueue('old-push', { kind: 'distributeEvent' }, T0));
      expect((await store.read.duePushEntries(T0, 10)).map((e) => e.venId)).toEqual(['old-push']);
    } finally {
      await store.close();
      await client.end();
    }
    // A second start finds nothing to do.
    const again = new PostgresVtnStore({ url });
    await again.ready();
    await again.close();
  });

  it('refuses a database whose schema is newer than this VTN knows', async () => {
    const a = await postgresBackend.open();
    await a.close();
    const { default: pg } = await import('pg');
    const url = (await postgresBackend.config()).url!;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("INSERT INTO schema_migrations (version, name) VALUES (9999, 'from the future')");
    await client.end();
    const { PostgresVtnStore } = await import('../store/postgres-store.js');
    const newer = new PostgresVtnStore({ url });
    await expect(newer.ready()).rejects.toThrow(/schema version 9999, newer than this VTN knows/);
    await newer.close();
    const fix = new pg.Client({ connectionString: url });
    await fix.connect();
    await fix.query('DELETE FROM schema_migrations WHERE version = 9999');
    await fix.end();
  });
});
