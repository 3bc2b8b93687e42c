import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVtnConfig, upstreamConfigSchema } from '../../vtn/index.js';

const problems = (input: unknown): string[] => {
  const result = upstreamConfigSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};

describe('the upstream section of the VTN configuration', () => {
  const tls = { key: 'k.pem', cert: 'c.pem', ca: 'ca.pem' };
  const xmpp = { service: 'xmpps://xmpp.utility.example:5223', domain: 'utility.example', username: 'aggregator', password: 'pw', vtnJid: 'vtn@utility.example/vtn' };

  it('takes each 2.0b transport: pull, push, XMPP', () => {
    expect(problems({ protocol: 'openadr2b', url: 'https://u.example/OpenADR2/Simple/2.0b', venName: 'a', tls })).toEqual([]);
    expect(problems({ protocol: 'openadr2b', url: 'https://u.example/OpenADR2/Simple/2.0b', venName: 'a', tls, push: { port: 8443, transportAddress: 'https://aggregator.example:8443' } })).toEqual([]);
    // Over XMPP no URL and no client certificate: the account is the identity, the CA the server's.
    const parsed = upstreamConfigSchema.parse({ protocol: 'openadr2b', venName: 'a', tls: { ca: 'ca.pem' }, xmpp });
    expect(parsed.xmpp).toMatchObject({ resource: 'flexbridge', vtnJid: 'vtn@utility.example/vtn' });
  });

  it('refuses what cannot work, each with its reason', () => {
    expect(problems({ protocol: 'openadr2b', venName: 'a', tls })).toEqual(['the upstream VTN\'s url is missing']);
    expect(problems({ protocol: 'openadr2b', url: 'https://u.example', venName: 'a', tls: { ca: 'ca.pem' } })).toEqual(['a 2.0b upstream needs tls.key, tls.cert and tls.ca (mutual TLS)']);
    expect(problems({ protocol: 'openadr2b', venName: 'a', tls: {}, xmpp: { ...xmpp, password: undefined } })).toEqual([
      'an XMPP upstream needs xmpp.password (or FLEXBRIDGE_UPSTREAM_XMPP_PASSWORD)', 'an XMPP upstream needs tls.ca, the CA of the XMPP server\'s certificate',
    ]);
    expect(problems({ protocol: 'openadr2b', venName: 'a', tls, xmpp, push: { port: 8443, transportAddress: 'https://a.example:8443' } })).toEqual(['a 2.0b upstream is reached by XMPP or by HTTP (pull or push), not both']);
    expect(problems({ protocol: 'openadr3', url: 'https://u.example', venName: 'a', clientId: 'c', clientSecret: 's', xmpp })).toEqual(['push and xmpp are 2.0b transports; an OpenADR 3 upstream notifies by MQTT or is polled']);
    expect(problems({ protocol: 'openadr2b', venName: 'a', tls, xmpp: { ...xmpp, service: 'xmpp://plain:5222' } })).toEqual(['direct TLS: xmpps://host:port']);
  });

  it('takes the XMPP password from the environment, and reads the CA relative to the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'upstream-config-'));
    const path = join(dir, 'vtn.json');
    writeFileSync(path, JSON.stringify({ oadr: { insecure: true }, upstream: { protocol: 'openadr2b', venName: 'a', tls: { ca: 'ca.pem' }, xmpp: { ...xmpp, password: undefined } } }));
    expect(() => loadVtnConfig(path, {})).toThrow(/upstream: an XMPP upstream needs xmpp.password/);
    const config = loadVtnConfig(path, { FLEXBRIDGE_UPSTREAM_XMPP_PASSWORD: 'from-env' });
    expect(config.upstream?.xmpp?.password).toBe('from-env');
    expect(config.upstream?.tls.ca).toBe(join(dir, 'ca.pem'));
  });
});
