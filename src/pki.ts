import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type KeyAlgorithm = 'rsa' | 'ecdsa';

export interface IssuedCertificate {
  readonly name: string;
  readonly algorithm: KeyAlgorithm;
  readonly keyPath: string;
  readonly certPath: string;
}

export interface TestPki {
  readonly directory: string;
  readonly caPath: string;
  issue(name: string, algorithm: KeyAlgorithm): IssuedCertificate;
}

/** Runs the openssl command line; a missing openssl or a failure is one clear error. */
export function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('openssl is not installed: run `npm run setup` (apt-get install openssl)');
    throw new Error(`openssl ${args[0]} failed: ${stderr}`);
  }
}

/**
 * A test PKI made with the openssl command line: one CA (EC P-256) and leaf certificates with
 * RSA 2048 or EC P-256 keys, for the two 2.0b TLS suites. Idempotent: existing files are reused.
 */
export function openTestPki(where: string): TestPki {
  const directory = resolve(where);
  mkdirSync(directory, { recursive: true });
  const caKey = join(directory, 'ca.key');
  const caPath = join(directory, 'ca.crt');
  if (!existsSync(caPath)) {
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', caKey], directory);
    openssl(['req', '-x509', '-new', '-key', caKey, '-sha256', '-days', '3650', '-subj', '/CN=FlexBridge Test CA', '-out', caPath,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], directory);
  }
  return {
    directory,
    caPath,
    issue(name, algorithm) {
      const base = join(directory, `${name}-${algorithm}`);
      const keyPath = `${base}.key`;
      const certPath = `${base}.crt`;
      if (!existsSync(certPath)) {
        if (algorithm === 'rsa') openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', keyPath], directory);
        else openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyPath], directory);
        const ext = `${base}.ext`;
        writeFileSync(ext, [
          'basicConstraints=CA:FALSE',
          `keyUsage=critical,digitalSignature${algorithm === 'rsa' ? ',keyEncipherment' : ''}`,
          // Push VENs and the VTN both act as servers and clients.
          'extendedKeyUsage=serverAuth,clientAuth',
          'subjectAltName=DNS:localhost,IP:127.0.0.1',
        ].filter(Boolean).join('\n'));
        openssl(['req', '-new', '-key', keyPath, '-subj', `/CN=${name}`, '-out', `${base}.csr`], directory);
        openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', caPath, '-CAkey', caKey, '-CAcreateserial', '-days', '825', '-sha256', '-extfile', ext, '-out', certPath], directory);
      }
      return { name, algorithm, keyPath, certPath };
    },
  };
}

export function readPem(path: string): string {
  return readFileSync(path, 'utf8');
}
