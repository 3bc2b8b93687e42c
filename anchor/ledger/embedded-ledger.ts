import { createPrivateKey, randomUUID, sign, verify, X509Certificate } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqlite } from '../../src/sqlite.js';
import type { Clock } from '../../src/clock.js';
import { canonicalJson } from '../../src/canonical-json.js';
import { drContract, type DrContract, type DrTransaction } from '../chaincode/dr-contract.js';
import { compositeKey, type CallerIdentity, type ContractContext, type StateStub } from '../chaincode/ledger-api.js';
import type { LedgerProof } from './proof.js';
import { blockDataHash, GENESIS_PREV, headerHash, sha256Hex as sha256, type BlockRecord } from './block.js';
import { ContractError } from '../errors.js';

export type { BlockRecord } from './block.js';

/** Who submits a transaction: the X.509 identity and attributes the contract's access control reads. */
export interface LedgerIdentity {
  readonly id: string;
  readonly mspId: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface NodeIdentity {
  /** Needed to write blocks; a ledger opened without it is read-only (verify, proofs). */
  readonly privateKeyPem?: string;
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

export interface ChainCheck {
  readonly ok: boolean;
  readonly blocks: number;
  readonly problems: string[];
}

type Args<F extends DrTransaction> = Parameters<DrContract[F]>[1];
type Result<F extends DrTransaction> = Awaited<ReturnType<DrContract[F]>>;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value BLOB NOT NULL, block INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS history (key TEXT NOT NULL, block INTEGER NOT NULL, idx INTEGER NOT NULL, value BLOB, PRIMARY KEY (key, block, idx));
CREATE TABLE IF NOT EXISTS blocks (number INTEGER PRIMARY KEY, header TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS transactions (tx_id TEXT PRIMARY KEY, block INTEGER NOT NULL, idx INTEGER NOT NULL, body TEXT NOT NULL, result TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS transactions_by_block ON transactions (block, idx);
CREATE TABLE IF NOT EXISTS events (block INTEGER NOT NULL, idx INTEGER NOT NULL, seq INTEGER NOT NULL, name TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY (block, idx, seq));
`;

interface Pending {
  readonly fn: DrTransaction;
  readonly args: unknown;
  readonly identity: LedgerIdentity;
  readonly txId: string;
  readonly resolve: (value: SubmitResult<unknown>) => void;
  readonly reject: (error: unknown) => void;
}

interface Executed {
  readonly pending: Pending;
  readonly execution: Execution;
  readonly result: unknown;
}

/**
 * The default ledger: the DR contract run in-process on a SQLite world state. Transactions
 * submitted together are executed one after the other (each sees the writes of those before it)
 * and cut into one block; blocks are hash-chained and signed by this node's key, with per-key
 * history and contract events. A block and its state changes commit in one SQLite transaction,
 * so a crash leaves either the whole block or nothing; a refused transaction writes nothing.
 */
export class EmbeddedLedger {
  private readonly db: Database.Database;
  private readonly listeners: ((event: ContractEvent) => void)[] = [];
  private readonly privateKey;
  private readonly publicKey;
  private pending: Pending[] = [];
  private flushing = false;
  private scheduled = false;
  private readonly maxBlockTransactions: number;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly options: { path: string; node: NodeIdentity; clock: Clock; synchronous?: 'full' | 'normal'; maxBlockTransactions?: number }) {
    this.db = openSqlite(options.path, options.synchronous);
    this.db.exec(SCHEMA);
    this.privateKey = options.node.privateKeyPem ? createPrivateKey(options.node.privateKeyPem) : undefined;
    this.publicKey = new X509Certificate(options.node.certificatePem).publicKey;
    this.maxBlockTransactions = options.maxBlockTransactions ?? 500;
  }

  private stmt(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare(sql)));
    return statement;
  }

  /** Runs a transaction and commits it in a block; a retried txId returns the first result. */
  submit<F extends DrTransaction>(fn: F, args: Args<F>, identity: LedgerIdentity, options: { txId?: string } = {}): Promise<SubmitResult<Result<F>>> {
    const txId = options.txId ?? randomUUID();
    const existing = this.stmt('SELECT block, result FROM transactions WHERE tx_id = ?').get(txId) as { block: number; result: string } | undefined;
    if (existing) return Promise.resolve({ result: JSON.parse(existing.result) as Result<F>, txId, blockNumber: existing.block });
    return new Promise((resolve, reject) => {
      this.pending.push({ fn, args, identity, txId, resolve: resolve as (v: SubmitResult<unknown>) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => { void this.flush(); });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    this.flushing = true;
    const batch = this.pending.splice(0, this.maxBlockTransactions);
    const timestampMs = this.options.clock.now();
    const overlay = new Map<string, Uint8Array | null>();
    const executed: Executed[] = [];
    const seen = new Map<string, Executed>();
    const duplicates: [Pending, Executed][] = [];
    for (const pending of batch) {
      const first = seen.get(pending.txId);
      if (first) { duplicates.push([pending, first]); continue; }
      const execution = new Execution((sql) => this.stmt(sql), overlay, pending.txId, timestampMs, pending.identity);
      try {
        const result = await (drContract[pending.fn] as (ctx: ContractContext, a: unknown) => Promise<unknown>)(execution.context, pending.args);
        for (const [key, value] of execution.writes) overlay.set(key, value);
        const done = { pending, execution, result };
        executed.push(done);
        seen.set(pending.txId, done);
      } catch (error) {
        pending.reject(error);
      }
    }
    try {
      const blockNumber = executed.length ? this.commit(executed, timestampMs) : -1;
      for (const { pending, execution, result } of executed) {
        pending.resolve({ result, txId: pending.txId, blockNumber });
        for (const event of execution.events) for (const l of this.listeners) l({ blockNumber, txId: pending.txId, name: event.name, payload: event.payload });
      }
      for (const [pending, first] of duplicates) pending.resolve({ result: first.result, txId: pending.txId, blockNumber });
    } catch (error) {
      for (const { pending } of executed) pending.reject(error);
      for (const [pending] of duplicates) pending.reject(error);
    } finally {
      this.flushing = false;
      if (this.pending.length) this.schedule();
    }
  }

  /** Runs a read-only query on the committed state; writes are refused. */
  async evaluate<F extends DrTransaction>(fn: F, args: Args<F>, identity: LedgerIdentity): Promise<Result<F>> {
    const execution = new Execution((sql) => this.stmt(sql), new Map(), `query-${randomUUID()}`, this.options.clock.now(), identity);
    const result = (await (drContract[fn] as (ctx: ContractContext, a: unknown) => Promise<unknown>)(execution.context, args)) as Result<F>;
    if (execution.writes.size > 0) throw new ContractError('invalid', `${fn} writes state; submit it instead of evaluating it`);
    return result;
  }

  onEvent(listener: (event: ContractEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Events of blocks after `afterBlock`, for listeners that resume from a checkpoint. */
  eventsAfter(afterBlock: number): ContractEvent[] {
    return (this.db.prepare('SELECT e.block, e.name, e.payload, t.tx_id FROM events e JOIN transactions t ON t.block = e.block AND t.idx = e.idx WHERE e.block > ? ORDER BY e.block, e.idx, e.seq').all(afterBlock) as { block: number; name: string; payload: string; tx_id: string }[])
      .map((r) => ({ blockNumber: r.block, txId: r.tx_id, name: r.name, payload: JSON.parse(r.payload) }));
  }

  /** Every value a key has had, oldest first (null where it was deleted). */
  history(objectType: string, attributes: string[]): { blockNumber: number; value: unknown }[] {
    return (this.db.prepare('SELECT block, value FROM history WHERE key = ? ORDER BY block, idx').all(compositeKey(objectType, attributes)) as { block: number; value: Buffer | null }[])
      .map((r) => ({ blockNumber: r.block, value: r.value ? JSON.parse(r.value.toString('utf8')) : null }));
  }

  /** The block holding a transaction, if it was committed. */
  blockOfTransaction(txId: string): number | undefined {
    return (this.db.prepare('SELECT block FROM transactions WHERE tx_id = ?').get(txId) as { block: number } | undefined)?.block;
  }

  height(): number {
    return Number((this.db.prepare('SELECT coalesce(max(number), -1) + 1 AS h FROM blocks').get() as { h: number }).h);
  }

  /** The world-state records of one type, in key order (read-only: dashboards and reports). */
  records<T>(objectType: string): T[] {
    const prefix = compositeKey(objectType, []);
    return (this.stmt('SELECT value FROM state WHERE key >= ? AND key < ? ORDER BY key').all(prefix, `${prefix}\uffff`) as { value: Buffer }[])
      .map((r) => JSON.parse(r.value.toString('utf8')) as T);
  }

  /** The last `limit` blocks, newest first. */
  recentBlocks(limit: number): BlockRecord[] {
    return (this.stmt('SELECT header FROM blocks ORDER BY number DESC LIMIT ?').all(limit) as { header: string }[]).map(blockFrom);
  }

  block(number: number): BlockRecord | undefined {
    const row = this.db.prepare('SELECT header FROM blocks WHERE number = ?').get(number) as { header: string } | undefined;
    return row ? blockFrom(row) : undefined;
  }

  /** Recomputes every transaction hash, block data hash, header hash, chaining and signature, and checks history and world state against them. */
  verifyChain(): ChainCheck {
    const problems: string[] = [];
    let prevHash = GENESIS_PREV;
    let count = 0;
    const txsOf = this.db.prepare('SELECT tx_id, idx, body FROM transactions WHERE block = ? ORDER BY idx');
    const historyOf = this.db.prepare('SELECT key, idx, value FROM history WHERE block = ?');
    for (const row of this.db.prepare('SELECT number, header FROM blocks ORDER BY number').iterate() as Iterable<{ number: number; header: string }>) {
      const b = blockFrom(row);
      if (b.number !== count) problems.push(`block ${b.number}: expected number ${count}`);
      if (b.prevHash !== prevHash) problems.push(`block ${b.number}: previous hash does not match block ${b.number - 1}`);
      const txs = txsOf.all(b.number) as { tx_id: string; idx: number; body: string }[];
      const txHashes = txs.map((t) => sha256(t.body));
      if (canonicalJson(txHashes) !== canonicalJson(b.txHashes) || txs.map((t) => t.tx_id).join() !== b.txIds.join()) problems.push(`block ${b.number}: transaction data does not match the block`);
      if (blockDataHash(b.txHashes) !== b.dataHash) problems.push(`block ${b.number}: data hash does not match its transactions`);
      const hash = headerHash(b);
      if (hash !== b.hash) problems.push(`block ${b.number}: header hash does not match`);
      if (!verify('sha256', Buffer.from(b.hash, 'hex'), this.publicKey, Buffer.from(b.signature, 'base64'))) problems.push(`block ${b.number}: signature does not verify with the node certificate`);
      const history = new Map((historyOf.all(b.number) as { key: string; idx: number; value: Buffer | null }[]).map((h) => [`${h.idx}|${h.key}`, h.value ? sha256(h.value) : null]));
      for (const t of txs) {
        const body = JSON.parse(t.body) as { writes: { key: string; valueSha256: string | null }[] };
        for (const w of body.writes) if (history.get(`${t.idx}|${w.key}`) !== w.valueSha256) problems.push(`block ${b.number}: history of ${JSON.stringify(w.key)} differs from transaction ${t.tx_id}`);
      }
      prevHash = b.hash;
      count++;
    }
    for (const row of this.db.prepare('SELECT s.key, s.value, (SELECT value FROM history h WHERE h.key = s.key ORDER BY block DESC, idx DESC LIMIT 1) AS last FROM state s').iterate() as Iterable<{ key: string; value: Buffer; last: Buffer | null }>) {
      if (!row.last || !row.value.equals(row.last)) problems.push(`world state of ${JSON.stringify(row.key)} differs from its last write`);
    }
    return { ok: problems.length === 0, blocks: count, problems };
  }

  /** A self-contained proof of a record's current value (see proof.ts), or undefined if the key was never written. */
  exportProof(objectType: string, attributes: string[]): LedgerProof | undefined {
    const key = compositeKey(objectType, attributes);
    const last = this.stmt('SELECT block, idx, value FROM history WHERE key = ? ORDER BY block DESC, idx DESC LIMIT 1').get(key) as { block: number; idx: number; value: Buffer | null } | undefined;
    if (!last || !last.value) return undefined;
    const tx = this.stmt('SELECT tx_id, body FROM transactions WHERE block = ? AND idx = ?').get(last.block, last.idx) as { tx_id: string; body: string };
    const headers = (this.stmt('SELECT header FROM blocks WHERE number >= ? ORDER BY number').all(last.block) as { header: string }[]).map(blockFrom);
    return {
      format: 'flexbridge-ledger-proof/1', objectType, attributes, value: last.value.toString('base64'), txId: tx.tx_id, transaction: tx.body,
      block: headers[0]!, laterBlocks: headers.slice(1), nodeCertificate: this.options.node.certificatePem,
    };
  }

  close(): void {
    this.db.close();
  }

  private commit(executed: readonly Executed[], timestampMs: number): number {
    const bodies = executed.map(({ pending, execution }) => canonicalJson({
      txId: pending.txId, fn: pending.fn, args: pending.args,
      creator: { id: pending.identity.id, mspId: pending.identity.mspId, attributes: pending.identity.attributes },
      // The values themselves live in the history table; the block commits to their hashes.
      writes: [...execution.writes.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, value]) => ({ key, valueSha256: value ? sha256(value) : null })),
      events: execution.events,
    }));
    const apply = this.db.transaction(() => {
      const last = this.stmt('SELECT header FROM blocks ORDER BY number DESC LIMIT 1').get() as { header: string } | undefined;
      const previous = last ? blockFrom(last) : undefined;
      const number = previous ? previous.number + 1 : 0;
      const prevHash = previous?.hash ?? GENESIS_PREV;
      const txHashes = bodies.map((b) => sha256(b));
      const dataHash = blockDataHash(txHashes);
      const hash = headerHash({ number, prevHash, dataHash, timestampMs });
      if (!this.privateKey) throw new Error('this ledger was opened read-only (no node key): it cannot write blocks');
      const signature = sign('sha256', Buffer.from(hash, 'hex'), this.privateKey).toString('base64');
      const txIds = executed.map((e) => e.pending.txId);
      this.stmt('INSERT INTO blocks (number, header) VALUES (?, ?)').run(number, canonicalJson({ number, prevHash, dataHash, hash, signature, timestampMs, txIds, txHashes }));
      const putState = this.stmt('INSERT INTO state (key, value, block) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, block = excluded.block');
      const deleteState = this.stmt('DELETE FROM state WHERE key = ?');
      const putHistory = this.stmt('INSERT INTO history (key, block, idx, value) VALUES (?, ?, ?, ?)');
      const putEvent = this.stmt('INSERT INTO events (block, idx, seq, name, payload) VALUES (?, ?, ?, ?, ?)');
      const putTx = this.stmt('INSERT INTO transactions (tx_id, block, idx, body, result) VALUES (?, ?, ?, ?, ?)');
      executed.forEach(({ pending, execution, result }, idx) => {
        putTx.run(pending.txId, number, idx, bodies[idx]!, JSON.stringify(result ?? null));
        for (const [key, value] of execution.writes) {
          if (value) putState.run(key, Buffer.from(value), number); else deleteState.run(key);
          putHistory.run(key, number, idx, value ? Buffer.from(value) : null);
        }
        execution.events.forEach((e, seq) => putEvent.run(number, idx, seq, e.name, canonicalJson(e.payload)));
      });
      return number;
    });
    return apply.immediate();
  }
}

function blockFrom(row: { header: string }): BlockRecord {
  return JSON.parse(row.header) as BlockRecord;
}

/** One transaction's view: committed state plus its own writes, which commit only with the block. */
class Execution {
  readonly writes = new Map<string, Uint8Array | null>();
  readonly events: { name: string; payload: unknown }[] = [];
  readonly context: ContractContext;

  constructor(stmt: (sql: string) => Database.Statement, overlay: ReadonlyMap<string, Uint8Array | null>, txId: string, timestampMs: number, identity: LedgerIdentity) {
    const self = this;
    const decoder = new TextDecoder();
    const stub: StateStub = {
      async getState(key) {
        if (self.writes.has(key)) return self.writes.get(key) ?? new Uint8Array();
        if (overlay.has(key)) return overlay.get(key) ?? new Uint8Array();
        const row = stmt('SELECT value FROM state WHERE key = ?').get(key) as { value: Buffer } | undefined;
        return row ? new Uint8Array(row.value) : new Uint8Array();
      },
      async putState(key, value) { self.writes.set(key, value); },
      async deleteState(key) { self.writes.set(key, null); },
      createCompositeKey: compositeKey,
      getStateByPartialCompositeKey(objectType, attributes) {
        const prefix = compositeKey(objectType, attributes);
        const committed = stmt('SELECT key, value FROM state WHERE key >= ? AND key < ? ORDER BY key').all(prefix, `${prefix}\u{10FFFF}`) as { key: string; value: Buffer }[];
        const merged = new Map<string, Uint8Array>(committed.map((r) => [r.key, new Uint8Array(r.value)]));
        for (const layer of [overlay, self.writes]) for (const [key, value] of layer) if (key.startsWith(prefix)) { if (value) merged.set(key, value); else merged.delete(key); }
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

