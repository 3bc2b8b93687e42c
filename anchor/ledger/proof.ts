import { verify, X509Certificate } from 'node:crypto';
import { compositeKey } from '../chaincode/ledger-api.js';
import { blockDataHash, headerHash, sha256Hex as sha256, type BlockRecord } from './block.js';

/**
 * A self-contained proof that a ledger record has a given value: the value, the transaction that
 * wrote it, its block header signed by the node, every later header up to the tip when the proof
 * was made, and the node certificate. Anyone checks it offline with checkProof.
 */
export interface LedgerProof {
  readonly format: 'flexbridge-ledger-proof/1';
  readonly objectType: string;
  readonly attributes: string[];
  /** The value as stored (canonical JSON, base64). */
  readonly value: string;
  readonly txId: string;
  /** The transaction body exactly as hashed into the block. */
  readonly transaction: string;
  readonly block: BlockRecord;
  readonly laterBlocks: BlockRecord[];
  readonly nodeCertificate: string;
}

export interface ProofCheck {
  readonly ok: boolean;
  readonly problems: string[];
  readonly record?: unknown;
  readonly blockNumber?: number;
  readonly tipNumber?: number;
  readonly nodeSubject?: string;
  readonly nodeCertificateSha256?: string;
}


/** Checks a proof without any ledger: hashes, chaining and the node's signatures. */
export function checkProof(proof: LedgerProof, expectedNodeCertificate?: string): ProofCheck {
  const problems: string[] = [];
  if (proof.format !== 'flexbridge-ledger-proof/1') return { ok: false, problems: [`unknown proof format ${String(proof.format)}`] };
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(proof.nodeCertificate);
  } catch {
    return { ok: false, problems: ['the node certificate in the proof is not a certificate'] };
  }
  const nodeCertificateSha256 = sha256(certificate.raw);
  if (expectedNodeCertificate && nodeCertificateSha256 !== sha256(new X509Certificate(expectedNodeCertificate).raw)) problems.push('the proof was signed by another node than the one expected');
  const value = Buffer.from(proof.value, 'base64');
  const key = compositeKey(proof.objectType, proof.attributes);
  const tx = JSON.parse(proof.transaction) as { txId: string; writes: { key: string; valueSha256: string | null }[] };
  const write = tx.writes.find((w) => w.key === key);
  if (tx.txId !== proof.txId) problems.push('the transaction is not the one the proof names');
  if (!write || write.valueSha256 !== sha256(value)) problems.push('the transaction did not write this value under this key');
  const txHash = sha256(proof.transaction);
  const index = proof.block.txIds.indexOf(proof.txId);
  if (index < 0 || proof.block.txHashes[index] !== txHash) problems.push('the block does not contain this transaction');
  const chain = [proof.block, ...proof.laterBlocks];
  chain.forEach((b, i) => {
    if (blockDataHash(b.txHashes) !== b.dataHash) problems.push(`block ${b.number}: data hash does not match its transactions`);
    if (headerHash(b) !== b.hash) problems.push(`block ${b.number}: header hash does not match`);
    if (!verify('sha256', Buffer.from(b.hash, 'hex'), certificate.publicKey, Buffer.from(b.signature, 'base64'))) problems.push(`block ${b.number}: the node's signature does not verify`);
    if (i > 0 && (b.prevHash !== chain[i - 1]!.hash || b.number !== chain[i - 1]!.number + 1)) problems.push(`block ${b.number}: does not follow block ${chain[i - 1]!.number}`);
  });
  let record: unknown;
  try {
    record = JSON.parse(value.toString('utf8'));
  } catch {
    problems.push('the value is not JSON');
  }
  return { ok: problems.length === 0, problems, record, blockNumber: proof.block.number, tipNumber: chain.at(-1)!.number, nodeSubject: certificate.subject, nodeCertificateSha256 };
}
