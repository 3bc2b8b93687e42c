import { createHash } from 'node:crypto';
import { canonicalJson } from '../../src/canonical-json.js';

// What a block of the embedded ledger is and how it is hashed: one place for the node that
// writes blocks, the check that rereads them and the offline proof check.

export interface BlockRecord {
  readonly number: number;
  readonly prevHash: string;
  /** SHA-256 of the canonical list of transaction hashes. */
  readonly dataHash: string;
  readonly hash: string;
  /** The node's signature over `hash`. */
  readonly signature: string;
  readonly timestampMs: number;
  readonly txIds: string[];
  readonly txHashes: string[];
}

/** The previous hash of block 0. */
export const GENESIS_PREV = '0'.repeat(64);

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A block's data hash: SHA-256 of the canonical JSON list of its transactions' hashes. */
export function blockDataHash(txHashes: readonly string[]): string {
  return sha256Hex(canonicalJson(txHashes));
}

/** A block's header hash, which the node signs and the next block names as its previous hash. */
export function headerHash(b: Pick<BlockRecord, 'number' | 'prevHash' | 'dataHash' | 'timestampMs'>): string {
  return sha256Hex(canonicalJson({ number: b.number, prevHash: b.prevHash, dataHash: b.dataHash, timestampMs: b.timestampMs }));
}
