import 'reflect-metadata';
import type { Context } from 'fabric-contract-api';
import { compositeKey } from '../chaincode/ledger-api.js';
import { FABRIC_QUERIES, FlexBridgeDrContract } from '../chaincode/fabric-contract.js';
import { drContract } from '../chaincode/dr-contract.js';
import { ATTRIBUTE } from '../chaincode/records.js';

// A unit test of the Fabric wrapper alone: a Map stands in for the peer's state (the contract on a
// real Fabric network is issue 8's test).
function fakeContext(attributes: Record<string, string>): Context {
  const state = new Map<string, Uint8Array>();
  const stub = {
    getState: async (key: string) => state.get(key) ?? new Uint8Array(),
    putState: async (key: string, value: Uint8Array) => { state.set(key, value); },
    deleteState: async (key: string) => { state.delete(key); },
    createCompositeKey: compositeKey,
    getStateByPartialCompositeKey: async (type: string, attrs: string[]) => {
      const prefix = compositeKey(type, attrs);
      const rows = [...state.entries()].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1));
      return (async function* () { for (const [key, value] of rows) yield { key, value }; })();
    },
    setEvent: () => undefined,
    getTxID: () => 'tx',
    getTxTimestamp: () => ({ seconds: 0, nanos: 0 }),
  };
  const clientIdentity = { getID: () => 'x509::CN=test', getMSPID: () => 'Org1MSP', getAttributeValue: (name: string) => attributes[name] ?? null };
  return { stub, clientIdentity } as unknown as Context;
}

describe('the DR contract for fabric-contract-api', () => {
  it('declares every transaction of the shared contract, queries as evaluate-only', () => {
    const declared = Reflect.getMetadata('fabric:transactions', FlexBridgeDrContract.prototype) as { name: string; tag: string[] }[];
    expect(declared.map((t) => t.name).sort()).toEqual(Object.keys(drContract).sort());
    for (const t of declared) expect(t.tag.includes('submitTx')).toBe(!FABRIC_QUERIES.has(t.name as never));
  });

  it('passes JSON in and canonical JSON out, and keeps the refusal code in the error', async () => {
    const contract = new FlexBridgeDrContract();
    const ctx = fakeContext({ [ATTRIBUTE.role]: 'operator' });
    expect(await contract.registerMeter(ctx, JSON.stringify({ retailerId: 'r', meterId: 'm', customerId: 'c' }))).toBe('{"customerId":"c","meterId":"m","retailerId":"r"}');
    await expect(contract.recordEnergy(ctx, JSON.stringify({ meterId: 'm', date: '2026-11-01', intervalMinutes: 60, values: new Array(24).fill(1) }))).rejects.toThrow(/^forbidden: recordEnergy needs the retailer role/);
    await expect(contract.balanceOf(ctx, 'not json')).rejects.toThrow(/^invalid/);
  });
});
