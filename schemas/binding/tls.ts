import { constants as cryptoConstants, createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

// The 2.0b TLS profile, once for every server and client in the tree (VTN, VEN, push listeners,
// the conformance harness and the tests): TLS 1.2 with the two suites the profile names.

/** The two 2.0b suites by OpenSSL name: RSA-AES128-SHA256 and ECDHE-ECDSA-AES128-SHA256. */
export const OPENADR_SUITES = ['AES128-SHA256', 'ECDHE-ECDSA-AES128-SHA256'] as const;

/** The same as an OpenSSL cipher list. Node's default list has neither suite. */
export const OPENADR_CIPHERS = 'ECDHE-ECDSA-AES128-SHA256:AES128-SHA256';

export interface TlsMaterial {
  /** One pair per key type: an RSA pair serves the RSA suite, an EC pair the ECDSA suite. */
  readonly pairs: readonly { readonly key: string; readonly cert: string }[];
  readonly ca: string;
  /** Also allow TLS 1.3 (outside the 2.0b profile, for modern peers). Default false. */
  readonly allowTls13?: boolean;
}

/** A 2.0b server: every key pair, client certificates required and checked against the CA. */
export function serverTlsOptions(tls: TlsMaterial) {
  return {
    key: tls.pairs.map((p) => p.key),
    cert: tls.pairs.map((p) => p.cert),
    ca: tls.ca,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2' as const,
    maxVersion: tls.allowTls13 ? ('TLSv1.3' as const) : ('TLSv1.2' as const),
    ciphers: OPENADR_CIPHERS,
    honorCipherOrder: true,
    // No TLS 1.2 renegotiation: a connection keeps the client certificate it was opened with, so
    // the VEN identity derived from it is computed once per connection.
    secureOptions: cryptoConstants.SSL_OP_NO_RENEGOTIATION,
  };
}

export interface ClientTlsMaterial {
  readonly ca: string;
  /** The client's own certificate; absent for a client that presents none. */
  readonly key?: string;
  readonly cert?: string;
  /** Also allow TLS 1.3 (outside the 2.0b profile). Default false. */
  readonly allowTls13?: boolean;
}

/** A 2.0b client: the CA it trusts, its certificate, the two suites, TLS 1.2. */
export function clientTlsOptions(tls: ClientTlsMaterial) {
  return {
    ca: tls.ca,
    ...(tls.key !== undefined && tls.cert !== undefined ? { key: tls.key, cert: tls.cert } : {}),
    ciphers: OPENADR_CIPHERS,
    minVersion: 'TLSv1.2' as const,
    maxVersion: tls.allowTls13 ? ('TLSv1.3' as const) : ('TLSv1.2' as const),
  };
}

// The peer's certificate cannot change within a TLS connection: hashed once per socket.
const fingerprints = new WeakMap<object, string | undefined>();

/** SHA-256 (lowercase hex) of the peer's certificate DER, or undefined when there is none. */
export function peerCertificateSha256(socket: TLSSocket | { getPeerCertificate?: unknown }): string | undefined {
  if (typeof (socket as TLSSocket).getPeerCertificate !== 'function') return undefined;
  if (fingerprints.has(socket)) return fingerprints.get(socket);
  const cert = (socket as TLSSocket).getPeerCertificate();
  const fingerprint = cert && cert.raw ? createHash('sha256').update(cert.raw).digest('hex') : undefined;
  // Only a settled answer is kept: before the handshake completes there is nothing to hash yet.
  if (fingerprint !== undefined) fingerprints.set(socket, fingerprint);
  return fingerprint;
}
