import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

/** The two 2.0b suites (TLS 1.2): ECDHE-ECDSA-AES128-SHA256 and RSA-AES128-SHA256. Node's default list has neither. */
export const OPENADR_CIPHERS = 'ECDHE-ECDSA-AES128-SHA256:AES128-SHA256';

export interface TlsMaterial {
  /** One pair per key type: an RSA pair serves the RSA suite, an EC pair the ECDSA suite. */
  readonly pairs: readonly { readonly key: string; readonly cert: string }[];
  readonly ca: string;
  /** Also allow TLS 1.3 (outside the 2.0b profile, for modern peers). Default false. */
  readonly allowTls13?: boolean;
}

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
  };
}

/** SHA-256 (lowercase hex) of the peer's certificate DER, or undefined when there is none. */
export function peerCertificateSha256(socket: TLSSocket | { getPeerCertificate?: unknown }): string | undefined {
  if (typeof (socket as TLSSocket).getPeerCertificate !== 'function') return undefined;
  const cert = (socket as TLSSocket).getPeerCertificate();
  if (!cert || !cert.raw) return undefined;
  return createHash('sha256').update(cert.raw).digest('hex');
}
