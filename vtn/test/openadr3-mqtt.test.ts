import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { apiCall, startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';
import { startMosquitto, type RunningBroker } from '../../test/support/mosquitto.js';
import { eventually } from '../../test/support/eventually.js';
import { Ven3, VenStore, Vtn3Client, type VenEvent } from '../../ven/index.js';
import { hashSecret } from '../openadr3/auth.js';

describe('OpenADR 3.1 MQTT notifications through Mosquitto', () => {
  let broker: RunningBroker | undefined;
  let running: RunningVtn | undefined;
  const closing: (() => Promise<unknown> | void)[] = [];
  afterAll(async () => {
    for (const close of closing.reverse()) await close();
    await running?.vtn.stop();
    await broker?.stop();
  });

  it('publishes every change on its topics and on each reached VEN\'s own topic, keeps what the broker has not taken, and names the topics', async () => {
    broker = await startMosquitto();
    running = await startTlsVtn(mkdtempSync(join(tmpdir(), 'vtn-mqtt-')), {
      openadr3: {
        port: 0, mqtt: { url: broker.url, topicPrefix: 'fb/' }, webhooks: { minBackoffMs: 200, maxBackoffMs: 1_000 },
        clients: [
          { clientId: 'bl', secretHash: await hashSecret('bl-secret-0123'), role: 'bl' },
          { clientId: 'house', secretHash: await hashSecret('house-secret-0123'), role: 'ven' },
        ],
      },
    });
    const bl = new Vtn3Client({ baseUrl: running.openadr3Url!, clientId: 'bl', clientSecret: 'bl-secret-0123' });
    const house = new Vtn3Client({ baseUrl: running.openadr3Url!, clientId: 'house', clientSecret: 'house-secret-0123' });
    closing.push(() => bl.close(), () => house.close());
    const notifiers = await house.get<{ WEBHOOK: boolean; MQTT: { URIS: string[]; serialization: string } }>('notifiers');
    expect(notifiers).toMatchObject({ WEBHOOK: true, MQTT: { URIS: [broker.url], serialization: 'JSON' } });

    const messages: { topic: string; body: any }[] = [];
    const listener = await mqtt.connectAsync(notifiers.MQTT.URIS[0]!, { clientId: 'test-listener' });
    closing.push(() => listener.endAsync());
    listener.on('message', (topic, payload) => messages.push({ topic, body: JSON.parse(payload.toString()) }));
    await listener.subscribeAsync('fb/#', { qos: 1 });

    const ven = await bl.post<{ id: string }>('vens', { objectType: 'BL_VEN_REQUEST', clientID: 'house', venName: 'house', targets: ['north'] });
    expect(await house.get('notifiers/mqtt/topics/vens/' + ven.id + '/events')).toEqual({ topics: { CREATE: `fb/vens/${ven.id}/events/create`, UPDATE: `fb/vens/${ven.id}/events/update`, DELETE: `fb/vens/${ven.id}/events/delete`, ALL: `fb/vens/${ven.id}/events/+` } });
    const program = await bl.post<{ id: string }>('programs', { programName: 'mqtt-dr' });
    const start = new Date(Date.now() + 3_600_000).toISOString();
    const event = await bl.post<{ id: string }>('events', { programID: program.id, targets: ['north'], intervalPeriod: { start, duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }] });
    // A change made over the 2.0b operator API is published too.
    await apiCall(running.apiUrl, 'PUT', `/api/events/${event.id}`, { programId: program.id, dtstart: start, targets: { groupIds: ['north'] }, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 900_000, value: 2 }] }] });
    await eventually('the event\'s messages', () => (messages.filter((m) => m.body.objectType === 'EVENT').length >= 6 ? true : undefined), 10_000);
    const topicsOf = (objectType: string) => messages.filter((m) => m.body.objectType === objectType).map((m) => m.topic).sort();
    expect(topicsOf('EVENT')).toEqual([
      'fb/events/create', 'fb/events/update', `fb/programs/${program.id}/events/create`, `fb/programs/${program.id}/events/update`,
      `fb/vens/${ven.id}/events/create`, `fb/vens/${ven.id}/events/update`,
    ].sort());
    expect(messages.find((m) => m.topic === 'fb/events/update')!.body.object.intervals[0].payloads[0].values).toEqual([2]);
    expect(topicsOf('PROGRAM')).toEqual(expect.arrayContaining(['fb/programs/create', `fb/vens/${ven.id}/programs/create`]));
    expect(topicsOf('VEN')).toEqual(['fb/vens/create']);

    // The broker goes away: the next messages wait in the VTN's store and arrive once it is back.
    await broker.stop(true);
    await bl.delete(`events/${event.id}`);
    expect(await running.vtn.store.read.countPendingWebhooks()).toBeGreaterThan(0);
    await broker.start();
    // Completed only when the broker acknowledged each (QoS 1). Our listener lost its session with
    // the broker, so whether it hears them depends on who reconnects first: the queue is the proof.
    await eventually('the queued messages taken by the broker', async () => ((await running!.vtn.store.read.countPendingWebhooks()) === 0 ? true : undefined), 20_000);
  }, 60_000);

  it('our 3.1 VEN subscribes to the topics the VTN names for it and reads at once on a message (its polling is 10 minutes)', async () => {
    const vtn = running!;
    const bl = new Vtn3Client({ baseUrl: vtn.openadr3Url!, clientId: 'bl', clientSecret: 'bl-secret-0123' });
    closing.push(() => bl.close());
    const store = new VenStore(join(mkdtempSync(join(tmpdir(), 'ven3-mqtt-')), 'ven.sqlite'));
    const seen: VenEvent[] = [];
    const ven = new Ven3({ vtnUrl: vtn.openadr3Url!, clientId: 'house', clientSecret: 'house-secret-0123', venName: 'house', store, pollFrequencyMs: 600_000, jitter: 0, handlers: { onEvent: (e) => { seen.push(e); return 'optIn'; } } });
    closing.push(() => store.close(), () => ven.stop());
    await ven.start();
    await eventually('our VEN subscribed at the broker', () => ven.notified, 10_000);
    const program = await bl.post<{ id: string }>('programs', { programName: 'mqtt-ven-dr' });
    const start = new Date(Date.now() + 3_600_000).toISOString();
    const event = await bl.post<{ id: string }>('events', { programID: program.id, targets: ['north'], intervalPeriod: { start, duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [4] }] }] });
    await eventually('the new event at our VEN, told by MQTT', () => seen.find((e) => e.eventId === event.id && e.intervals[0]!.value === 4), 10_000);
    await bl.delete(`events/${event.id}`);
    await eventually('the event gone from our VEN', () => !ven.events().some((e) => e.eventId === event.id), 10_000);
  }, 60_000);
});
