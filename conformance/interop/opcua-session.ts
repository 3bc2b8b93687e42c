// Runs the OPC UA interop session in a plain Node process (node-opcua loads an ESM dependency
// that Jest's module loader cannot), printing one JSON line with what each side saw.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPem } from '../../src/pki.js';
import { freePort, peerPython, startPeer, waitFor } from '../../test/support/python-peers.js';
import { apiCall, startTlsVtn, testPki } from '../../test/support/vtn-harness.js';
import { opcUaUsageProvider } from '../../ven/opcua/opcua-usage-provider.js';
import { startVenOpcUaServer } from '../../ven/opcua/ven-opcua-server.js';
import { Ven, VenStore } from '../../ven/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const work = mkdtempSync(join(tmpdir(), 'opcua-'));
const running = await startTlsVtn(join(work, 'vtn'), { policy: { pollFrequencyMs: 1000, telemetryGranularityMs: 1000, telemetryReportBackMs: 1000 } });
const pki = testPki();
const cert = pki.issue('opcua-ven', 'ecdsa');
const meterPort = await freePort();
const meter = startPeer('conformance/interop/asyncua_meter_server.py', [String(meterPort), '4321']);
const store = new VenStore(join(work, 'ven.sqlite'));
const usage = opcUaUsageProvider({ endpointUrl: `opc.tcp://127.0.0.1:${meterPort}/meter`, nodeId: 'ns=2;s=MeterPowerW', rId: 'meter-power', resourceId: 'meter-1' });
let last: number | undefined;
const ven = new Ven({
  vtnUrl: running.oadrUrl, venName: 'opcua-ven', store, tls: { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) },
  usage: [{ ...usage, read: async () => (last = await usage.read()) }],
});
const opcPort = await freePort();
let opc: Awaited<ReturnType<typeof startVenOpcUaServer>> | undefined;
let result: Record<string, unknown>;
try {
  await waitFor('the asyncua meter', async () => (meter.output().includes('meter listening') ? true : undefined), 30_000, () => meter.output());
  await ven.start();
  opc = await startVenOpcUaServer(ven, () => last, { port: opcPort });
  const venId = ven.venId!;
  await apiCall(running.apiUrl, 'POST', '/api/programs', { programId: 'p', name: 'P', marketContext: 'http://flexbridge.example/p' });
  await apiCall(running.apiUrl, 'POST', '/api/events', { programId: 'p', eventId: 'opc-1', dtstart: Date.now() + 3_600_000, targets: { venIds: [venId] }, signals: [{ signalName: 'LOAD_DISPATCH', signalType: 'setpoint', intervals: [{ durationMs: 900_000, value: 1200 }, { durationMs: 900_000, value: 1000 }] }] });
  await waitFor('the event at the VEN', async () => (ven.events().length ? true : undefined), 15_000);
  const readings = await waitFor('meter telemetry at the VTN', async () => { const r = await running.vtn.store.read.listReadings({ venId }); return r.length ? r : undefined; }, 15_000);
  const asyncuaSaw = await new Promise<Record<string, unknown>>((resolve, reject) => {
    execFile(peerPython(), [join(root, 'conformance/interop/asyncua_read_ven.py'), opc!.endpointUrl], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`asyncua client failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>);
    });
  });
  result = { venId, vtnReading: readings[0]!.payload.value, asyncuaSaw };
} catch (error) {
  result = { error: (error as Error).message };
} finally {
  await opc?.close();
  await ven.stop();
  store.close();
  await usage.close();
  meter.child.kill('SIGKILL');
  await running.vtn.stop();
}
process.stdout.write(`RESULT ${JSON.stringify(result!)}\n`);
process.exit(0);
