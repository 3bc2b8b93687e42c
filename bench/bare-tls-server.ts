// The limit for bench:vtn: a bare Node https server with the VTN's own mutual TLS answering a
// fixed oadrResponse; in "signed" mode it also does what a signed exchange costs at the least —
// one ECDSA verify of the request and one sign of the answer — and nothing else.
// Usage: tsx bench/bare-tls-server.ts KEY CERT CA plain|signed; prints "listening PORT".
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { serializePayload, serverTlsOptions } from '../schemas/index.js';

const [keyPath, certPath, caPath, mode] = process.argv.slice(2);
const key = readFileSync(keyPath!, 'utf8');
const cert = readFileSync(certPath!, 'utf8');
const answer = serializePayload({ type: 'oadrResponse', response: { responseCode: 200, responseDescription: 'OK', requestId: '' }, venId: 'bench' });
const privateKey = createPrivateKey(key);
const publicKey = createPublicKey(privateKey);
// A signature the verify checks each time: the same work as checking a peer's, with a key parsed once.
const probe = createHash('sha256').update('probe').digest();
const probeSignature = sign('sha256', probe, privateKey);

const server = createServer({ ...serverTlsOptions({ pairs: [{ key, cert }], ca: readFileSync(caPath!, 'utf8') }), keepAlive: true }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    if (mode === 'signed') {
      const digest = createHash('sha256').update(Buffer.concat(chunks)).digest();
      const valid = verify('sha256', probe, publicKey, probeSignature);
      sign('sha256', digest, privateKey);
      if (!valid) { res.writeHead(500).end(); return; }
    }
    res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as AddressInfo).port}`));
