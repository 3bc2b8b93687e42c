import { createHash, X509Certificate } from 'node:crypto';
import type { ConnectionOptions, TLSSocket, TlsOptions } from 'node:tls';

/**
 * TLS for IEC 104 after IEC 62351-3: TLS 1.2 or 1.3 only, both ends present certificates from a
 * trusted CA, and (optionally) only certificates known by fingerprint are let in.
 */
export interface Iec104Tls {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  /** The CA(s) the peer's certificate must chain to. */
  readonly ca: string | Buffer | readonly (string | Buffer)[];
  /** SHA-256 fingerprints (hex, any case, colons allowed) of the only peer certificates accepted. */
  readonly allowedPeers?: readonly string[];
}

// IEC 62351-3 Ed.2 asks for TLS 1.2+ with forward secrecy; AEAD ECDHE suites for 1.2, 1.3's own set.
const CIPHERS = ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'].join(':');

const ca = (o: Iec104Tls): (string | Buffer)[] => (Array.isArray(o.ca) ? [...(o.ca as readonly (string | Buffer)[])] : [o.ca as string | Buffer]);

export function tlsServerOptions(o: Iec104Tls): TlsOptions {
  return { key: o.key, cert: o.cert, ca: ca(o), requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2', ciphers: CIPHERS };
}

export function tlsClientOptions(o: Iec104Tls): ConnectionOptions {
  // Stations are addressed by IP; the CA and the optional fingerprint list decide who is trusted.
  return { key: o.key, cert: o.cert, ca: ca(o), minVersion: 'TLSv1.2', ciphers: CIPHERS, checkServerIdentity: () => undefined };
}

const normalise = (fingerprint: string): string => fingerprint.replaceAll(':', '').toLowerCase();

/** The SHA-256 fingerprint of a PEM certificate, as `allowedPeers` expects it. */
export function certificateFingerprint(pem: string | Buffer): string {
  return createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
}

/** Why the authenticated peer is not let in, or undefined when it is. */
export function refusePeer(socket: TLSSocket, o: Iec104Tls): string | undefined {
  if (!socket.authorized) return `peer certificate refused: ${String(socket.authorizationError ?? 'none presented')}`;
  if (!o.allowedPeers) return undefined;
  const raw = socket.getPeerCertificate().raw;
  const fingerprint = createHash('sha256').update(raw).digest('hex');
  return o.allowedPeers.map(normalise).includes(fingerprint) ? undefined : `peer certificate ${fingerprint} is not in the allowed list`;
}
