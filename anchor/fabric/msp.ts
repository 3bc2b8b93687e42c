import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl } from '../../src/pki.js';

/**
 * Fabric MSP material made with our own openssl-based PKI (no cryptogen, no fabric-ca): per
 * organisation a signing CA and a TLS CA (EC P-256), node certificates with the NodeOU that
 * Fabric's MSP classifies them by, and client identities carrying the X.509 attributes the DR
 * contract's access control reads (extension 1.2.3.4.5.6.7.8.1 with the JSON `{"attrs":{…}}`, as
 * fabric-ca writes it). Idempotent: what exists is reused.
 */

/** Fabric reads identity attributes from this extension (fabric-ca's attrmgr). */
const ATTRIBUTE_OID = '1.2.3.4.5.6.7.8.1';

export type NodeOu = 'peer' | 'orderer' | 'admin' | 'client';

export interface Identity {
  /** The MSP folder (cacerts, signcerts, keystore, tlscacerts, config.yaml). */
  readonly mspDir: string;
  readonly certPath: string;
  readonly keyPath: string;
}

export interface TlsPair {
  readonly certPath: string;
  readonly keyPath: string;
  readonly caPath: string;
}

function ecKey(path: string, cwd: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path], cwd);
}

/** One organisation's two CAs and everything they issue, under `dir`. */
export class OrganisationPki {
  readonly caPath: string;
  readonly tlsCaPath: string;
  private readonly caKey: string;
  private readonly tlsCaKey: string;

  constructor(readonly dir: string, readonly mspId: string, readonly domain: string) {
    mkdirSync(dir, { recursive: true });
    this.caPath = join(dir, 'ca.crt');
    this.caKey = join(dir, 'ca.key');
    this.tlsCaPath = join(dir, 'tlsca.crt');
    this.tlsCaKey = join(dir, 'tlsca.key');
    for (const [cert, key, cn] of [[this.caPath, this.caKey, `ca.${domain}`], [this.tlsCaPath, this.tlsCaKey, `tlsca.${domain}`]] as const) {
      if (existsSync(cert)) continue;
      ecKey(key, dir);
      openssl(['req', '-x509', '-new', '-key', key, '-sha256', '-days', '3650', '-subj', `/O=${domain}/CN=${cn}`, '-out', cert,
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature', '-addext', 'subjectKeyIdentifier=hash'], dir);
    }
    this.writeMsp(join(dir, 'msp'));
  }

  /** The organisation's MSP as the channel configuration holds it (CA, TLS CA, NodeOUs). */
  get mspDir(): string {
    return join(this.dir, 'msp');
  }

  /** A signing identity (enrollment certificate) with its NodeOU and, for clients, attributes. */
  identity(name: string, ou: NodeOu, attributes: Readonly<Record<string, string>> = {}): Identity {
    const attrsHash = Object.keys(attributes).length ? `-${createHash('sha256').update(JSON.stringify(attributes)).digest('hex').slice(0, 8)}` : '';
    const home = join(this.dir, 'identities', `${name}${attrsHash}`);
    const mspDir = join(home, 'msp');
    const certPath = join(mspDir, 'signcerts', 'cert.pem');
    const keyPath = join(mspDir, 'keystore', 'key.pem');
    if (!existsSync(certPath)) {
      this.writeMsp(mspDir);
      mkdirSync(join(mspDir, 'signcerts'), { recursive: true });
      mkdirSync(join(mspDir, 'keystore'), { recursive: true });
      const ext = [
        'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'authorityKeyIdentifier=keyid',
        ...(Object.keys(attributes).length ? [`${ATTRIBUTE_OID}=DER:${Buffer.from(JSON.stringify({ attrs: attributes })).toString('hex')}`] : []),
      ];
      this.sign(this.caPath, this.caKey, keyPath, certPath, `/C=IT/O=${this.domain}/OU=${ou}/CN=${name}`, ext, home);
    }
    return { mspDir, certPath, keyPath };
  }

  /** A TLS server/client pair for a node or a client, valid for localhost and 127.0.0.1. */
  tls(name: string): TlsPair {
    const home = join(this.dir, 'tls', name);
    const certPath = join(home, 'server.crt');
    const keyPath = join(home, 'server.key');
    if (!existsSync(certPath)) {
      mkdirSync(home, { recursive: true });
      this.sign(this.tlsCaPath, this.tlsCaKey, keyPath, certPath, `/O=${this.domain}/CN=${name}`, [
        'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth,clientAuth',
        `subjectAltName=DNS:localhost,DNS:${name},IP:127.0.0.1`, 'authorityKeyIdentifier=keyid',
      ], home);
      copyFileSync(this.tlsCaPath, join(home, 'ca.crt'));
    }
    return { certPath, keyPath, caPath: this.tlsCaPath };
  }

  private sign(caPath: string, caKey: string, keyPath: string, certPath: string, subject: string, extensions: string[], cwd: string): void {
    mkdirSync(cwd, { recursive: true });
    ecKey(keyPath, cwd);
    // Scratch files stay out of the MSP folders (Fabric reads every file in signcerts).
    const scratch = join(cwd, 'requests');
    mkdirSync(scratch, { recursive: true });
    const csr = join(scratch, 'cert.csr');
    const ext = join(scratch, 'cert.ext');
    writeFileSync(ext, `${extensions.join('\n')}\n`);
    openssl(['req', '-new', '-key', keyPath, '-subj', subject, '-out', csr], cwd);
    openssl(['x509', '-req', '-in', csr, '-CA', caPath, '-CAkey', caKey, '-CAcreateserial', '-days', '825', '-sha256', '-extfile', ext, '-out', certPath], cwd);
  }

  /** An MSP folder's shared part: the CAs and the NodeOU classification. */
  private writeMsp(mspDir: string): void {
    for (const sub of ['cacerts', 'tlscacerts']) mkdirSync(join(mspDir, sub), { recursive: true });
    copyFileSync(this.caPath, join(mspDir, 'cacerts', 'ca.crt'));
    copyFileSync(this.tlsCaPath, join(mspDir, 'tlscacerts', 'tlsca.crt'));
    const ou = (name: string): string => `  ${name[0]!.toUpperCase()}${name.slice(1)}OUIdentifier:\n    Certificate: cacerts/ca.crt\n    OrganizationalUnitIdentifier: ${name}\n`;
    writeFileSync(join(mspDir, 'config.yaml'), `NodeOUs:\n  Enable: true\n${['client', 'peer', 'admin', 'orderer'].map(ou).join('')}`);
  }
}

/** The PEM text of a file (certificates and keys handed to the gateway). */
export function pem(path: string): string {
  return readFileSync(path, 'utf8');
}
