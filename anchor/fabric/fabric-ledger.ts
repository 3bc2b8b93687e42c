import { createHash, createPrivateKey } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import * as grpc from '@grpc/grpc-js';
import { checkpointers, connect, signers, type Contract, type Gateway, type Network } from '@hyperledger/fabric-gateway';
import type { DrContract, DrTransaction } from '../chaincode/dr-contract.js';

import type { ChainCheck, LedgerIdentity, SubmitResult } from '../ledger/embedded-ledger.js';
import { ContractError } from '../errors.js';

/** A signing identity on the Fabric network: its MSP, enrollment certificate and private key (PEM). */
export interface FabricSigningIdentity {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface FabricLedgerOptions {
  /** A gateway peer, host:port. */
  readonly endpoint: string;
  /** The CA that signed the peer's TLS certificate (PEM). */
  readonly tlsCaPem: string;
  /** The name the peer's TLS certificate carries, when it is not the endpoint's host. */
  readonly hostOverride?: string;
  readonly channel: string;
  readonly chaincode: string;
  /** The contract's name inside the chaincode (fabric-contract-api). */
  readonly contractName?: string;
  /** Which certificate and key act for a contract identity (operator, retailer, a customer). */
  readonly signerFor: (identity: LedgerIdentity) => FabricSigningIdentity;
  /** How long a commit may take before the outcome counts as unknown (default 30 s). */
  readonly commitTimeoutMs?: number;
}

/** An event the contract set in a committed, valid transaction. */
export interface FabricContractEvent {
  readonly name: string;
  readonly payload: unknown;
  readonly txId: string;
  readonly blockNumber: number;
}

export interface FollowEventsOptions {
  /** Where the position after the last handled event is kept (a file; created when absent). */
  readonly checkpointFile: string;
  /** The block to start from when the checkpoint file holds no position yet (default 0: all history). */
  readonly startBlock?: number;
  readonly signal: AbortSignal;
  /** Handled one at a time; the checkpoint moves past an event only once this resolves. */
  readonly onEvent: (event: FabricContractEvent) => Promise<void> | void;
  /** A broken stream or a failing handler; the follower reconnects from the checkpoint after retryMs. */
  readonly onError?: (error: unknown) => void;
  readonly retryMs?: number;
}

type Args<F extends DrTransaction> = Parameters<DrContract[F]>[1];
type Result<F extends DrTransaction> = Awaited<ReturnType<DrContract[F]>>;

const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;
const CODES = ['forbidden', 'not-found', 'conflict', 'invalid'] as const;
const utf8 = new TextDecoder();

/**
 * The DR contract on a Hyperledger Fabric network through the Fabric Gateway: submit endorses,
 * orders and waits for the commit status; evaluate runs a query on the gateway peer. The contract's
 * refusals come back as ContractError with their code. A retry after an unknown outcome is safe:
 * every record the anchor writes is keyed and the contract returns the existing record for an
 * identical write, so the ledger holds it once, with the first transaction's ID.
 */
export class FabricLedger {
  private readonly client: grpc.Client;
  private readonly gateways = new Map<string, { gateway: Gateway; network: Network; contract: Contract }>();

  constructor(private readonly options: FabricLedgerOptions) {
    const credentials = grpc.credentials.createSsl(Buffer.from(options.tlsCaPem));
    this.client = new grpc.Client(options.endpoint, credentials, {
      // A 1,000-customer DR event writes an allocation per customer: its endorsement is several MB,
      // beyond gRPC's 4 MB default. The peer and orderer accept 100 MB; the channel's block limit is 99 MB.
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
      ...(options.hostOverride ? { 'grpc.ssl_target_name_override': options.hostOverride } : {}),
    });
  }

  async submit<F extends DrTransaction>(fn: F, args: Args<F>, identity: LedgerIdentity, _options: { txId?: string } = {}): Promise<SubmitResult<Result<F>>> {
    const { contract } = this.connection(identity);
    try {
      const proposal = contract.newProposal(fn, { arguments: [JSON.stringify(args)] });
      const transaction = await proposal.endorse();
      const commit = await transaction.submit();
      const status = await commit.getStatus();
      if (!status.successful) throw new Error(`transaction ${status.transactionId} was not committed as valid (validation code ${status.code})`);
      return { result: parse<Result<F>>(transaction.getResult()), txId: status.transactionId, blockNumber: Number(status.blockNumber) };
    } catch (error) {
      throw asContractError(error);
    }
  }

  async evaluate<F extends DrTransaction>(fn: F, args: Args<F>, identity: LedgerIdentity): Promise<Result<F>> {
    const { contract } = this.connection(identity);
    try {
      return parse<Result<F>>(await contract.evaluateTransaction(fn, JSON.stringify(args)));
    } catch (error) {
      throw asContractError(error);
    }
  }

  /**
   * Whether a write could be endorsed now: the gateway peer must know a peer of every
   * organisation the endorsement policy names (gossip membership takes a few seconds after start).
   */
  async endorsable(identity: LedgerIdentity): Promise<boolean> {
    try {
      await this.connection(identity).contract.newProposal('queryRecord', { arguments: [JSON.stringify({ objectType: 'gridOrder', attributes: ['readiness'] })] }).endorse();
      return true;
    } catch {
      return false;
    }
  }

  /** The record under a key, as reconciliation reads it (the current value; Fabric keeps the history). */
  async current(objectType: 'eventVersion' | 'telemetry' | 'gridOrder', attributes: string[], operator: LedgerIdentity): Promise<unknown> {
    return this.evaluate('queryRecord', { objectType, attributes }, operator);
  }

  /** The channel's height and its blocks (read through the peer's qscc, as any channel member may). */
  async height(reader: LedgerIdentity): Promise<number> {
    const info = common.BlockchainInfo.deserializeBinary(await this.qscc(reader, 'GetChainInfo', this.options.channel));
    return info.getHeight();
  }

  /** The block that holds a transaction. */
  async blockOfTransaction(reader: LedgerIdentity, txId: string): Promise<common.Block> {
    return common.Block.deserializeBinary(await this.qscc(reader, 'GetBlockByTxID', this.options.channel, txId));
  }

  async block(reader: LedgerIdentity, number: number): Promise<common.Block> {
    return common.Block.deserializeBinary(await this.qscc(reader, 'GetBlockByNumber', this.options.channel, String(number)));
  }

  /**
   * Checks the channel's chain as the peer serves it: each block's data hash is the SHA-256 of its
   * transactions, and each header names the hash of the previous block's header (Fabric hashes
   * the DER SEQUENCE of number, previous hash and data hash). Endorsement signatures are checked
   * by the proof tools, per transaction.
   */
  async verifyChain(reader: LedgerIdentity): Promise<ChainCheck> {
    const problems: string[] = [];
    const height = await this.height(reader);
    let previous: Uint8Array | undefined;
    for (let n = 0; n < height; n++) {
      const block = await this.block(reader, n);
      const header = block.getHeader();
      if (!header || header.getNumber() !== n) { problems.push(`block ${n}: missing or misnumbered header`); continue; }
      const dataHash = createHash('sha256').update(Buffer.concat((block.getData()?.getDataList_asU8() ?? []).map((d) => Buffer.from(d)))).digest();
      if (!dataHash.equals(Buffer.from(header.getDataHash_asU8()))) problems.push(`block ${n}: data hash does not match its transactions`);
      if (previous && !Buffer.from(previous).equals(Buffer.from(header.getPreviousHash_asU8()))) problems.push(`block ${n}: previous hash does not match block ${n - 1}`);
      previous = blockHeaderHash(header);
    }
    return { ok: problems.length === 0, blocks: height, problems };
  }

  /**
   * Follows the contract's events from a durable checkpoint until the signal aborts: after a
   * restart, a peer outage or a handler failure it resumes just after the last event handled, so
   * each event is handled once as long as the handler finishes before the checkpoint is written
   * (at least once when the process dies between the two).
   */
  async followEvents(reader: LedgerIdentity, options: FollowEventsOptions): Promise<void> {
    const { signal } = options;
    const checkpoint = await checkpointers.file(options.checkpointFile);
    while (!signal.aborted) {
      try {
        const events = await this.connection(reader).network.getChaincodeEvents(this.options.chaincode, { checkpoint, startBlock: BigInt(options.startBlock ?? 0) });
        const stop = (): void => events.close();
        signal.addEventListener('abort', stop, { once: true });
        try {
          for await (const event of events) {
            await options.onEvent({ name: event.eventName, payload: parsePayload(event.payload), txId: event.transactionId, blockNumber: Number(event.blockNumber) });
            await checkpoint.checkpointChaincodeEvent(event);
          }
          if (!signal.aborted) throw new Error('the peer ended the event stream');
        } finally {
          signal.removeEventListener('abort', stop);
          events.close();
        }
      } catch (error) {
        if (signal.aborted) break;
        try { options.onError?.(error); } catch { /* a reporting failure must not stop the follower */ }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.retryMs ?? 1_000);
          signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
        });
      }
    }
  }

  private async qscc(reader: LedgerIdentity, fn: string, ...args: string[]): Promise<Uint8Array> {
    return this.connection(reader).network.getContract('qscc').evaluateTransaction(fn, ...args);
  }

  close(): void {
    for (const { gateway } of this.gateways.values()) gateway.close();
    this.gateways.clear();
    this.client.close();
  }

  private connection(identity: LedgerIdentity): { gateway: Gateway; network: Network; contract: Contract } {
    const signer = this.options.signerFor(identity);
    const cacheKey = `${signer.mspId}\n${signer.certificatePem}`;
    let entry = this.gateways.get(cacheKey);
    if (!entry) {
      const gateway = connect({
        client: this.client,
        identity: { mspId: signer.mspId, credentials: Buffer.from(signer.certificatePem) },
        signer: signers.newPrivateKeySigner(createPrivateKey(signer.privateKeyPem)),
        evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
        endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
        submitOptions: () => ({ deadline: Date.now() + 10_000 }),
        commitStatusOptions: () => ({ deadline: Date.now() + (this.options.commitTimeoutMs ?? 30_000) }),
      });
      const network = gateway.getNetwork(this.options.channel);
      entry = { gateway, network, contract: network.getContract(this.options.chaincode, this.options.contractName ?? 'flexbridge.dr') };
      this.gateways.set(cacheKey, entry);
    }
    return entry;
  }
}

/** An event payload: the contract writes canonical JSON; anything else is kept as text. */
function parsePayload(bytes: Uint8Array): unknown {
  const text = utf8.decode(bytes);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parse<T>(bytes: Uint8Array): T {
  return JSON.parse(utf8.decode(bytes)) as T;
}

/** The contract's refusal ("code: message" in the chaincode's error) as a ContractError; anything else as is. */
function asContractError(error: unknown): unknown {
  const texts: string[] = [];
  const e = error as { message?: string; details?: { message?: string }[] };
  for (const d of e.details ?? []) if (d.message) texts.push(d.message);
  if (e.message) texts.push(e.message);
  for (const text of texts) {
    const m = new RegExp(`(${CODES.join('|')}): (.*)$`, 's').exec(text);
    if (m) return new ContractError(m[1] as (typeof CODES)[number], m[2]!.trim());
  }
  // The gateway's own message says little ("see attached details"): carry the peers' answers.
  if (error instanceof Error && e.details?.length) error.message = `${error.message}: ${e.details.map((d) => d.message).join('; ')}`;
  return error;
}

/** SHA-256 of a block header as Fabric computes it: DER SEQUENCE { INTEGER number, OCTET STRING previous, OCTET STRING data }. */
export function blockHeaderHash(header: common.BlockHeader): Buffer {
  const der = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
  return createHash('sha256').update(der(0x30, Buffer.concat([der(0x02, derInteger(header.getNumber())), der(0x04, Buffer.from(header.getPreviousHash_asU8())), der(0x04, Buffer.from(header.getDataHash_asU8()))]))).digest();
}

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A non-negative INTEGER's content octets (big-endian, a leading zero when the top bit is set). */
function derInteger(value: number): Buffer {
  const bytes: number[] = [];
  for (let n = value; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  if (bytes.length === 0) bytes.push(0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return Buffer.from(bytes);
}
