import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postOadr, startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One sample's value from Prometheus text, by its exact name and labels. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('operator API: Prometheus metrics', () => {
  let running: RunningVtn | undefined;
  afterAll(() => running?.vtn.stop());

  it('counts requests by service, payload and response code, with latencies, VENs by state, the outbox, the feed and the process', async () => {
    const token = 'metrics-test-token-0123456789';
    running = await startTlsVtn(mkdtempSync(join(tmpdir(), 'vtn-metrics-')), { api: { host: '127.0.0.1', port: 0, token } });
    const { pki, oadrUrl, apiUrl } = running;
    const cert = pki.issue('metrics-ven', 'ecdsa');
    const venId = createHash('sha256').update(new X509Certificate(readFileSync(cert.certPath)).raw).digest('hex').slice(-20);
    await postOadr(oadrUrl, 'EiRegisterParty', { type: 'oadrCreatePartyRegistration', requestId: 'r', profileName: '2.0b', transportName: 'simpleHttp', reportOnly: false, xmlSignature: false, httpPullModel: true }, cert, pki);
    // A poll hands out the queued oadrRegisterReport; a poll for another VEN's ID is refused.
    await postOadr(oadrUrl, 'OadrPoll', { type: 'oadrPoll', venId }, cert, pki);
    await postOadr(oadrUrl, 'OadrPoll', { type: 'oadrPoll', venId: 'not-this-ven' }, cert, pki);

    expect((await fetch(`${apiUrl}/metrics`)).status).toBe(401);
    const res = await fetch(`${apiUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'flexbridge_oadr_requests_total{service="EiRegisterParty",payload="oadrCreatePartyRegistration",response_code="200",transport="http"}')).toBe(1);
    expect(sample(text, 'flexbridge_oadr_requests_total{service="OadrPoll",payload="oadrPoll",response_code="200",transport="http"}')).toBe(1);
    const refused = text.split('\n').filter((l) => l.startsWith('flexbridge_oadr_requests_total{service="OadrPoll"') && !l.includes('response_code="200"'));
    expect(refused).toHaveLength(1);
    expect(sample(text, 'flexbridge_oadr_request_duration_seconds_count{service="OadrPoll",payload="oadrPoll",transport="http"}')).toBe(2);
    expect(sample(text, 'flexbridge_vens{state="registered"}')).toBe(1);
    // Registration queued an oadrRegisterReport and the poll took it: nothing is waiting.
    expect(sample(text, 'flexbridge_outbox_pending')).toBe(0);
    expect(sample(text, 'flexbridge_outbox_oldest_age_seconds')).toBe(0);
    expect(sample(text, 'flexbridge_feed_head_offset')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'flexbridge_iec104_connections')).toBe(0);

    // The Grafana dashboard and docs/operations.md name only metrics the VTN exports.
    const declared = new Set([...text.matchAll(/^# HELP (\S+)/gm)].map((m) => m[1]!));
    const named = (file: string): string[] => [...new Set([...readFileSync(join(root, 'docs', file), 'utf8').matchAll(/\b(flexbridge_[a-z0-9_]+?)(?:_bucket|_count|_sum)?\b/g)].map((m) => m[1]!))];
    for (const file of ['grafana-dashboard.json', 'operations.md']) {
      const names = named(file).filter((n) => !n.endsWith('_'));
      expect(names.length).toBeGreaterThan(8);
      expect(names.filter((n) => !declared.has(n))).toEqual([]);
    }
  });
});
