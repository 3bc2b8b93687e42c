/**
 * The part of Hyperledger Fabric's chaincode API the DR contract uses, with the same method
 * names as fabric-shim's ChaincodeStub and ClientIdentity: on Fabric the contract receives the
 * real ones, on the embedded ledger it receives ours. The contract sees nothing else, so it is
 * deterministic by construction (no clock but the transaction's timestamp, no randomness).
 */
export interface StateStub {
  getState(key: string): Promise<Uint8Array>;
  putState(key: string, value: Uint8Array): Promise<void>;
  deleteState(key: string): Promise<void>;
  createCompositeKey(objectType: string, attributes: string[]): string;
  /** Keys of `objectType` starting with `attributes`, in key order. */
  getStateByPartialCompositeKey(objectType: string, attributes: string[]): AsyncIterable<{ key: string; value: Uint8Array }> | Promise<AsyncIterable<{ key: string; value: Uint8Array }>>;
  setEvent(name: string, payload: Uint8Array): void;
  getTxID(): string;
  /** Seconds and nanos since the epoch, as the client proposed them. */
  getTxTimestamp(): { seconds: number | { toNumber(): number }; nanos: number };
}

export interface CallerIdentity {
  getID(): string;
  getMSPID(): string;
  getAttributeValue(name: string): string | null;
}

export interface ContractContext {
  readonly stub: StateStub;
  readonly clientIdentity: CallerIdentity;
}


/** Fabric's composite key encoding (U+0000 separators), so keys look the same on both ledgers. */
export function compositeKey(objectType: string, attributes: string[]): string {
  return `\u0000${objectType}\u0000${attributes.map((a) => `${a}\u0000`).join('')}`;
}
