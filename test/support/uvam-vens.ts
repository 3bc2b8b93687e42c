import { join } from 'node:path';
import { readPem } from '../../src/pki.js';
import { Ven, VenStore } from '../../ven/index.js';
import { testPki, type RunningVtn } from './vtn-harness.js';

/** Registered VENs, each with one recent power reading, behind a UVAM; `stop` closes them. */
export async function uvamVens(running: RunningVtn, work: string, label: string, powers: readonly number[]): Promise<{ vens: Ven[]; stop(): Promise<void> }> {
  const pki = testPki();
  const vens: Ven[] = [];
  const stores: VenStore[] = [];
  for (const [i, power] of powers.entries()) {
    const cert = pki.issue(`${label}-ven-${i}`, 'ecdsa');
    const store = new VenStore(join(work, `ven-${i}.sqlite`));
    const ven = new Ven({ vtnUrl: running.oadrUrl, venName: `${label}-${i}`, store, tls: { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) }, usage: [{ rId: 'power', resourceId: `unit-${i}`, read: () => power }] });
    await ven.register();
    await ven.submitReadings([{ rId: 'power', dtstart: Date.now() - 60_000, durationMs: 60_000, value: power }]);
    vens.push(ven);
    stores.push(store);
  }
  return { vens, stop: async () => { for (const v of vens) await v.stop(); for (const s of stores) s.close(); } };
}
