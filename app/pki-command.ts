import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { openTestPki } from '../src/pki.js';

/** `flexbridge pki [--out DIR] [--vens N]`: a test PKI for the VTN and N VENs, RSA and ECDSA. */
export async function runPki(args: string[]): Promise<number> {
  const out = valueOf(args, '--out') ?? '.flexbridge/pki';
  const vens = Number(valueOf(args, '--vens') ?? '2');
  const pki = openTestPki(out);
  const issued = [pki.issue('vtn', 'rsa'), pki.issue('vtn', 'ecdsa')];
  for (let i = 1; i <= vens; i++) issued.push(pki.issue(`ven${i}`, 'rsa'), pki.issue(`ven${i}`, 'ecdsa'));
  console.log(`test PKI in ${out} (CA: ${pki.caPath})\n`);
  console.log('name       key    venID (last 10 bytes of the certificate SHA-256)  certificate');
  for (const c of issued) {
    const der = new X509Certificate(readFileSync(c.certPath)).raw;
    const venId = createHash('sha256').update(der).digest('hex').slice(-20);
    console.log(`${c.name.padEnd(10)} ${c.algorithm.padEnd(6)} ${venId.padEnd(50)} ${c.certPath}`);
  }
  return 0;
}

function valueOf(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}
