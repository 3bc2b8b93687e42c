import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger.js';
import { createVtn, vtnConfigSchema, type Vtn } from '../../vtn/index.js';
import { Ven, VenStore } from '../../ven/index.js';
import { startProsody, type RunningProsody } from '../support/prosody.js';
import { waitFor } from '../support/python-peers.js';
import { xml } from '@xmpp/client';
import { openXmpp } from '../../src/xmpp.js';

// The OpenADR 2.0b XMPP binding between our VTN and three of our VENs, through Debian's Prosody.
describe('XMPP: VTN and VENs through a real Prosody', () => {
  let prosody: RunningProsody | undefined;
  let vtn: Vtn | undefined;
  const vens: { ven: Ven; store: VenStore }[] = [];
  afterAll(async () => {
    for (const v of vens) { await v.ven.stop(); v.store.close(); }
    await vtn?.stop();
    await prosody?.stop();
  });

  it('register → event → opt → telemetry, then a server restart and a VEN restart lose nothing', async () => {
    const work = mkdtempSync(join(tmpdir(), 'xmpp-'));
    prosody = await startProsody(work);
    const names = ['ven-a', 'ven-b', 'ven-c'];
    prosody.addAccount('vtn', 'vtn-secret');
    for (const name of names) prosody.addAccount(name, `${name}-secret`);
    await prosody.start();
    const ca = readFileSync(prosody.caPath, 'utf8');
    const account = (username: string, password: string, resource: string) => ({ service: prosody!.service, domain: prosody!.domain, username, password, resource, ca });

    vtn = createVtn(vtnConfigSchema.parse({
      dataDir: join(work, 'vtn'), oadr: { host: '127.0.0.1', port: 0, insecure: true }, api: { host: '127.0.0.1', port: 0 },
      push: { minBackoffMs: 200, maxBackoffMs: 1_000, intervalMs: 200 },
      xmpp: { service: prosody.service, domain: prosody.domain, username: 'vtn', password: 'vtn-secret', ca: prosody.caPath },
    }), { logger: silentLogger });
    const { apiUrl } = await vtn.start();
    const store = vtn.store;
    const readiness = async (): Promise<{ status: number; body: { checks: Record<string, { ok: boolean }> } }> => {
      const r = await fetch(`${apiUrl}/readyz`);
      return { status: r.status, body: (await r.json()) as { checks: Record<string, { ok: boolean }> } };
    };
    expect(await readiness()).toMatchObject({ status: 200, body: { checks: { xmpp: { ok: true } } } });

    // Service discovery (XEP-0030) as the binding describes it.
    const probe = openXmpp(account('ven-a', 'ven-a-secret', 'probe'));
    probe.on('error', () => undefined);
    await probe.start();
    const info = await probe.iqCaller.request(xml('iq', { type: 'get', to: 'vtn@localhost/vtn' }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
    expect(info.getChild('query')!.getChildElements().filter((e) => e.name === 'feature').map((e) => e.attrs.var)).toContain('http://openadr.org/openadr2');
    const items = await probe.iqCaller.request(xml('iq', { type: 'get', to: 'vtn@localhost/vtn' }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#items', node: 'http://openadr.org/openadr2#services' })));
    expect(items.getChild('query')!.getChildElements().map((e) => e.attrs.node)).toEqual(['EiEvent', 'EiOpt', 'EiReport', 'EiRegisterParty', 'OadrPoll'].map((s) => `http://openadr.org/OpenADR2/${s}`));
    probe.reconnect.stop();
    await probe.stop();

    const makeVen = (name: string, i: number): { ven: Ven; store: VenStore } => {
      const venStore = new VenStore(join(work, `${name}.sqlite`));
      const ven = new Ven({
        vtnUrl: 'unused', venName: name, store: venStore, logger: silentLogger,
        xmpp: { account: account(name, `${name}-secret`, 'ven'), vtnJid: 'vtn@localhost/vtn' },
        usage: [{ rId: 'power', resourceId: `meter-${i}`, read: () => 1000 + i }],
        handlers: { onEvent: () => (name === 'ven-b' ? 'optOut' : 'optIn') },
      });
      return { ven, store: venStore };
    };
    for (const [i, name] of names.entries()) {
      const v = makeVen(name, i);
      await v.ven.start();
      vens.push(v);
    }
    // Registered over XMPP: the venID is the account, the transport address the VEN's full JID.
    for (const name of names) expect(await store.read.getVen(name)).toMatchObject({ state: 'registered', transportName: 'xmpp', transportAddress: `${name}@localhost/ven`, httpPullModel: false });

    await vtn.operator.createProgram({ programId: 'p', name: 'P', marketContext: 'http://flexbridge.example/p' });
    const event = (eventId: string, value: number) => ({ programId: 'p', eventId, dtstart: Date.now() + 3_600_000, targets: { venIds: names }, signals: [{ signalName: 'SIMPLE' as const, signalType: 'level' as const, intervals: [{ durationMs: 3_600_000, value }] }] });
    await vtn.operator.createEvent(event('ev-1', 1));
    // Pushed the moment it changed; each VEN answers with its opt.
    const responses = await waitFor('three opt responses', async () => {
      const all = await store.read.listEventResponses('ev-1');
      return all.length === 3 ? all : undefined;
    }, 15_000);
    expect(Object.fromEntries(responses.map((r) => [r.venId, r.optType]))).toEqual({ 'ven-a': 'optIn', 'ven-b': 'optOut', 'ven-c': 'optIn' });

    // Telemetry over XMPP.
    const now = Date.now();
    for (const [i, v] of vens.entries()) await v.ven.submitReadings([{ rId: 'power', dtstart: now - 60_000, durationMs: 60_000, value: 500 + i }]);
    for (const name of names) await waitFor(`readings of ${name}`, async () => ((await store.read.listReadings({ venId: name })).length > 0 ? true : undefined), 15_000);

    // The server goes down; an event changes meanwhile; the server comes back.
    await prosody.stop();
    // Off the XMPP server, the VTN is not ready, and says which part is missing.
    await waitFor('the VTN to report XMPP not ready', async () => ((await readiness()).status === 503 ? true : undefined), 10_000);
    expect((await readiness()).body.checks.xmpp).toMatchObject({ ok: false });
    await vtn.operator.createEvent(event('ev-2', 2));
    await new Promise((r) => setTimeout(r, 1_000));
    await prosody.start();
    for (const [i, name] of names.entries()) {
      // Under CI load the four XMPP clients and Prosody can take a while to find each other again.
      await waitFor(`${name} to get ev-2 after the server restart`, async () => (vens[i]!.ven.events().some((e) => e.eventId === 'ev-2') ? true : undefined), 60_000);
    }

    // A VEN goes away; the event is modified while it is offline; it comes back on the same store.
    const c = vens.pop()!;
    await c.ven.stop();
    c.store.close();
    await vtn.operator.modifyEvent('ev-2', event('ev-2', 3));
    const back = makeVen('ven-c', 2);
    vens.push(back);
    await back.ven.start();
    await waitFor('ven-c to see ev-2 version 1', async () => (back.ven.events().find((e) => e.eventId === 'ev-2')?.modificationNumber === 1 ? true : undefined), 15_000);
    for (const v of vens.slice(0, 2)) await waitFor('the online VENs to see ev-2 version 1', async () => (v.ven.events().find((e) => e.eventId === 'ev-2')?.modificationNumber === 1 ? true : undefined), 15_000);
    expect(back.ven.events().map((e) => e.eventId).sort()).toEqual(['ev-1', 'ev-2']);
    for (const name of names) expect((await store.read.listReadings({ venId: name })).map((r) => r.payload.value)).toEqual([{ kind: 'float', value: 500 + names.indexOf(name) }]);
  }, 180_000);
});
