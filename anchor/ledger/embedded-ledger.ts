import { createHash, createPrivateKey, randomUUID, sign, verify, X509Certificate } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../../src/clock.js';
import { canonicalJson } from '../chaincode/canonical-json.js';
import { drContract, type DrContract, type DrTransaction } from '../chaincode/dr-contract.js';
import { compositeKey, ContractError, type CallerIdentity, type ContractContext, type StateStub } from '../chaincode/ledger-api.js';

/** Who submits a transaction: the X.509 identity and attributes the contract's access control reads. */
export interface LedgerIdentity {
  readonly id: string;
  readonly mspId: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface NodeIdentity {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

export interface ContractEvent {
  readonly blockNumber: number;
  readonly txId: string;
  readonly name: string;
  readonly payload: unknown;
}

export interface SubmitResult<T> {
  readonly result: T;
  readonly txId: string;
  readonly blockNumber: number;
}

export interface BlockRecord {
  readonly number: number;
  readonly prevHash: string;
  readonly dataHash: string;
  readonly hash: string;
  readonly signature: string;
  readonly timestampMs: number;
  readonly txId: string;
  readonly fn: string;
  readonly creator: string;
  readonly writes: { key: string; valueSha256: string | null }[];
}

export interface ChainCheck {
  readonly ok: boolean;
  readonly blocks: number;
  readonly problems: string[];
}

type Args<F extends DrTransaction> = Parameters<DrContract[F]>[1];
type Result<F extends DrTransaction> = Awaited<ReturnType<DrContract[F]>>;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB NOT NULL, block INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS history (key TEXT NOT NULL, block INTEGER NOT NULL, value BLOB, PRIMARY KEY (key, block));
CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, tx_id TEXT NOT NULL UNIQUE, header TEXT NOT NULL, tx TEXT NOT NULL, result TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (block INTEGER NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (block, seq));
`;
const GENESIS_PREV = '0'.repeat(64);
const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * The default ledger: the DR contract run in-process on a SQLite world state, one transaction per
 * block, blocks hash-chained and signed by this node's key, with per-key history and contract
 * events. A block and its state changes commit in one SQLite transaction, so a crash leaves
 * either the whole block or nothing.
 */
export class EmbeddedLedger {
  private readonly db: Database.Database;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners: ((event: ContractEvent) => void)[] = [];
  private readonly privateKey;
  private readonly publicKey;

  constructor(private readonly options: { path: string; node: NodeIdentity; clock: Clock; synchronous?: 'full' | 'normal' }) {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    this.db.exec(SCHEMA);
    this.privateKey = createPrivateKey(options.node.privateKeyPem);
    this.publicKey = new X509Certificate(options.node.certificatePem).publicKey;
  }

  /** Runs a transaction and commits it in a new block; a retried txId returns the first result. */
  submit<F extends DrTransaction>(fn: F, args: Args<F>, identity: LedgerIdentity, options: { txId?: string } = {}): Promise<SubmitResult<Result<F>>> {
    const run = async (): Promise<SubmitResult<Result<F>>> => {
      const txId = options.txId ?? randomUUID();
      const existing = this.db.prepare('SELECT number, result FROM blocks WHERE tx_id = ?').get(txId) as { number: number; result: string } | undefined;
      if (existing) return { result: JSON.parse(existing.result) as Result<F>, txId, blockNumber: existing.number };
      const timestampMs = this.options.clock.now();
      const execution = new Execution(this.db, txId, timestampMs, identity);
      const result = (await (drContract[fn] as (ctx: ContractContext, a: unknown) => Promise<unknown>)(execution.context, args)) as Result<F>;
      const blockNumber = this.commit(txId, fn, args, identity, timestampMs, execution, result);
      for (const event of execution.events) for (const l of this.listeners) l({ blockNumber, txId, name: event.name, payload: event.payload });
      return { result, txId, blockNumber };
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Runs a read-only query on the committed state; writes are refused. */
  async evaluate<F extends DrTransaction>(fn: F, args: Args<F>, identity: LedgerIdentity): Promise<Result<F>> {
    const execution = new Execution(this.db, `query-${randomUUID()}`, this.options.clock.now(), identity);
    const result = (await (drContract[fn] as (ctx: ContractContext, a: unknown) => Promise<unknown>)(execution.context, args)) as Result<F>;
    if (execution.writes.size > 0) throw new ContractError('invalid', `${fn} writes state; submit it instead of evaluating it`);
    return result;
  }

  onEvent(listener: (event: ContractEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Events of blocks after `afterBlock`, for listeners that resume from a checkpoint. */
  eventsAfter(afterBlock: number): ContractEvent[] {
    return (this.db.prepare('SELECT e.block, e.name, e.payload, b.tx_id FROM events e JOIN blocks b ON b.number = e.block WHERE e.block > ? ORDER BY e.block, e.seq').all(afterBlock) as { block: number; name: string; payload: string; tx_id: string }[])
      .map((r) => ({ blockNumber: r.block, txId: r.tx_id, name: r.name, payload: JSON.parse(r.payload) }));
  }

  /** Every value a key has had, oldest first (null where it was deleted). */
  history(objectType: string, attributes: string[]): { blockNumber: number; value: unknown }[] {
    return (this.db.prepare('SELECT block, value FROM history WHERE key = ? ORDER BY block').all(compositeKey(objectType, attributes)) as { block: number; value: Buffer | null }[])
      .map((r) => ({ blockNumber: r.block, value: r.value ? JSON.parse(r.value.toString('utf8')) : null }));
  }

  /** The block holding a transaction, if it was committed. */
  blockOfTransaction(txId: string): number | undefined {
    return (this.db.prepare('SELECT number FROM blocks WHERE tx_id = ?').get(txId) as { number: number } | undefined)?.number;
  }

  height(): number {
    return Number((this.db.prepare('SELECT coalesce(max(number), -1) + 1 AS h FROM blocks').get() as { h: number }).h);
  }

  block(number: number): BlockRecord | undefined {
    const row = this.db.prepare('SELECT header, tx FROM blocks WHERE number = ?').get(number) as { header: string; tx: string } | undefined;
    return row ? blockFrom(row) : undefined;
  }

  /** Recomputes every block's data hash, hash, chaining and signature, and the world state from the history. */
  verifyChain(): ChainCheck {
    const problems: string[] = [];
    let prevHash = GENESIS_PREV;
    let count = 0;
    for (const row of this.db.prepare('SELECT number, header, tx FROM blocks ORDER BY number').iterate() as Iterable<{ number: number; header: string; tx: string }>) {
      const b = blockFrom(row);
      if (b.number !== count) problems.push(`block ${b.number}: expected number ${count}`);
      if (b.prevHash !== prevHash) problems.push(`block ${b.number}: previous hash does not match block ${b.number - 1}`);
      if (sha256(row.tx) !== b.dataHash) problems.push(`block ${b.number}: transaction data does not match its data hash`);
      const hash = sha256(canonicalJson({ number: b.number, prevHash: b.prevHash, dataHash: b.dataHash, timestampMs: b.timestampMs }));
      if (hash !== b.hash) problems.push(`block ${b.number}: header hash does not match`);
      if (!verify('sha256', Buffer.from(b.hash, 'hex'), this.publicKey, Buffer.from(b.signature, 'base64'))) problems.push(`block ${b.number}: signature does not verify with the node certificate`);
      const history = new Map((this.db.prepare('SELECT key, value FROM history WHERE block = ?').all(b.number) as { key: string; value: Buffer | null }[]).map((h) => [h.key, h.value ? sha256(h.value) : null]));
      for (const w of b.writes) if (history.get(w.key) !== w.valueSha256) problems.push(`block ${b.number}: history of ${JSON.stringify(w.key)} differs from the block`);
      prevHash = b.hash;
      count++;
    }
    for (const row of this.db.prepare('SELECT s.key, s.value, (SELECT value FROM history h WHERE h.key = s.key ORDER BY block DESC LIMIT 1) AS last FROM state s').iterate() as Iterable<{ key: string; value: Buffer; last: Buffer | null }>) {
      if (!row.last || !row.value.equals(row.last)) problems.push(`world state of ${JSON.stringify(row.key)} differs from its last write`);
    }
    return { ok: problems.length === 0, blocks: count, problems };
  }

  close(): void {
    this.db.close();
  }

  private commit(txId: string, fn: string, args: unknown, identity: LedgerIdentity, timestampMs: number, execution: Execution, result: unknown): number {
    const writes = [...execution.writes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const tx = canonicalJson({
      txId, fn, args, creator: { id: identity.id, mspId: identity.mspId, attributes: identity.attributes },
      writes: writes.map(([key, value]) => ({ key, value: value ? Buffer.from(value).toString('base64') : null })),
      events: execution.events,
    });
    const apply = this.db.transaction(() => {
      const last = this.db.prepare('SELECT number, header FROM blocks ORDER BY number DESC LIMIT 1').get() as { number: number; header: string } | undefined;
      const number = last ? last.number + 1 : 0;
      const prevHash = last ? (JSON.parse(last.header) as { hash: string }).hash : GENESIS_PREV;
      const dataHash = sha256(tx);
      const hash = sha256(canonicalJson({ number, prevHash, dataHash, timestampMs }));
      const signature = sign('sha256', Buffer.from(hash, 'hex'), this.privateKey).toString('base64');
      const header = canonicalJson({
        number, prevHash, dataHash, hash, signature, timestampMs, txId, fn, creator: identity.id,
        writes: writes.map(([key, value]) => ({ key, valueSha256: value ? sha256(value) : null })),
      });
      this.db.prepare('INSERT INTO blocks (number, tx_id, header, tx, result) VALUES (?, ?, ?, ?, ?)').run(number, txId, header, tx, JSON.stringify(result ?? null));
      for (const [key, value] of writes) {
        if (value) this.db.prepare('INSERT INTO state (key, value, block) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, block = excluded.block').run(key, Buffer.from(value), number);
        else this.db.prepare('DELETE FROM state WHERE key = ?').run(key);
        this.db.prepare('INSERT INTO history (key, block, value) VALUES (?, ?, ?)').run(key, number, value ? Buffer.from(value) : null);
      }
      execution.events.forEach((e, seq) => this.db.prepare('INSERT INTO events (block, seq, name, payload) VALUES (?, ?, ?, ?)').run(number, seq, e.name, canonicalJson(e.payload)));
      return number;
    });
    return apply.immediate();
  }
}

function blockFrom(row: { header: string; tx: string }): BlockRecord {
  return JSON.parse(row.header) as BlockRecord;
}

/** One transaction's view: committed state plus its own writes, which commit only with the block. */
class Execution {
  readonly writes = new Map<string, Uint8Array | null>();
  readonly events: { name: string; payload: unknown }[] = [];
  readonly context: ContractContext;

  constructor(private readonly db: Database.Database, txId: string, timestampMs: number, identity: LedgerIdentity) {
    const self = this;
    const decoder = new TextDecoder();
    const stub: StateStub = {
      async getState(key) {
        if (self.writes.has(key)) return self.writes.get(key) ?? new Uint8Array();
        const row = db.prepare('SELECT value FROM state WHERE key = ?').get(key) as { value: Buffer } | undefined;
        return row ? new Uint8Array(row.value) : new Uint8Array();
      },
      async putState(key, value) { self.writes.set(key, value); },
      async deleteState(key) { self.writes.set(key, null); },
      createCompositeKey: compositeKey,
      getStateByPartialCompositeKey(objectType, attributes) {
        const prefix = compositeKey(objectType, attributes);
        const committed = db.prepare('SELECT key, value FROM state WHERE key >= ? AND key < ? ORDER BY key').all(prefix, `${prefix}\u{10FFFF}`) as { key: string; value: Buffer }[];
        const merged = new Map<string, Uint8Array>(committed.map((r) => [r.key, new Uint8Array(r.value)]));
        for (const [key, value] of self.writes) if (key.startsWith(prefix)) { if (value) merged.set(key, value); else merged.delete(key); }
        const sorted = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return (async function* () { for (const [key, value] of sorted) yield { key, value }; })();
      },
      setEvent(name, payload) { self.events.push({ name, payload: JSON.parse(decoder.decode(payload)) }); },
      getTxID: () => txId,
      getTxTimestamp: () => ({ seconds: Math.floor(timestampMs / 1000), nanos: (timestampMs % 1000) * 1_000_000 }),
    };
    const clientIdentity: CallerIdentity = {
      getID: () => identity.id,
      getMSPID: () => identity.mspId,
      getAttributeValue: (name) => identity.attributes[name] ?? null,
    };
    this.context = { stub, clientIdentity };
  }
}

