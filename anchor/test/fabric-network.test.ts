import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { sharedFabric } from '../../test/support/fabric.js';
import { customer, householdDay, operator, otherRetailer, retailer } from './scenario.js';
import { ContractError } from '../errors.js';

const run = promisify(execFile);

// The DR contract's access control on a real Fabric network: identities issued by each
// organisation's CA, with the X.509 attributes the contract reads.
describe('the DR contract on Hyperledger Fabric: access control and the operator\'s own tools', () => {
  const suffix = Date.now().toString(36);
  const meter = `acl-meter-${suffix}`;

  it('refuses a customer reading another meter, a retailer issuing an event, and a retailer recording a meter it does not serve', async () => {
    const network = await sharedFabric();
    const ledger = network.ledger();
    try {
      await ledger.submit('registerMeter', { meterId: meter, customerId: `carol-${suffix}`, retailerId: 'retailer-1' }, operator);
      await ledger.submit('recordEnergy', { meterId: meter, date: '2026-11-02', intervalMinutes: 15, values: householdDay(900, 2) }, retailer);
      // The owner reads it; another customer may not.
      expect((await ledger.evaluate('queryEnergy', { meterId: meter, date: '2026-11-02' }, customer(`carol-${suffix}`))).values).toHaveLength(96);
      await expect(ledger.evaluate('queryEnergy', { meterId: meter, date: '2026-11-02' }, customer(`dave-${suffix}`))).rejects.toMatchObject({ code: 'forbidden' });
      // Only the operator notifies DR events.
      const refused = await ledger.submit('notifyDREvent', { eventId: `acl-${suffix}`, date: '2026-11-04', notifiedOn: '2026-11-03', start: 0, end: 4, request: [1, 1, 1, 1], meterIds: [meter] }, retailer).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ContractError);
      expect(refused).toMatchObject({ code: 'forbidden' });
      // A retailer records only the meters it serves.
      await expect(ledger.submit('recordEnergy', { meterId: meter, date: '2026-11-03', intervalMinutes: 15, values: householdDay(900, 3) }, otherRetailer)).rejects.toMatchObject({ code: 'forbidden' });
      // A different reading for a recorded day is a conflict, never an overwrite.
      await expect(ledger.submit('recordEnergy', { meterId: meter, date: '2026-11-02', intervalMinutes: 15, values: householdDay(901, 2) }, retailer)).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      ledger.close();
    }
  }, 180_000);

  it("lets a person query the network with Fabric's own peer CLI from the env lines", async () => {
    const network = await sharedFabric();
    const env = Object.fromEntries(network.envLines('operator').map((line) => {
      const [, name, value] = /^export (\w+)=(.*)$/.exec(line)!;
      return [name!, value!.replace(/^'(.*)'$/, '$1')];
    }));
    const { stdout } = await run('peer', ['channel', 'getinfo', '-c', network.channel], { env: { ...process.env, ...env } });
    expect(stdout).toMatch(/Blockchain info: \{"height":\d+/);
    const committed = await run('peer', ['lifecycle', 'chaincode', 'querycommitted', '-C', network.channel], { env: { ...process.env, ...env } });
    expect(committed.stdout).toMatch(new RegExp(`Name: ${network.chaincode}, Version: 1.0, Sequence: 1`));
  }, 180_000);
});

describe('proofs of Fabric transactions, checked offline', () => {
  it('exports a settlement-style record\'s transaction with its block and the channel configuration, and the check finds both endorsements, the creator and the written record; a tampered proof fails', async () => {
    const { exportFabricProof, checkFabricProof } = await import('../fabric/fabric-proof.js');
    const network = await sharedFabric();
    const ledger = network.ledger();
    try {
      const eventId = `proof-${Date.now().toString(36)}`;
      const written = await ledger.submit('recordEventVersion', { eventId, modificationNumber: 0, contentSha256: 'c'.repeat(64), programId: 'p', dtstart: Date.now(), durationMs: 3_600_000, status: 'issued' }, operator);
      const proof = await exportFabricProof(ledger, operator, written.txId, { channel: network.channel, chaincode: network.chaincode, allOf: ['SystemOperatorMSP', 'RetailerMSP'] });
      // A third party holds only the JSON.
      const check = checkFabricProof(JSON.parse(JSON.stringify(proof)) as typeof proof);
      expect(check).toMatchObject({ ok: true, problems: [], blockNumber: written.blockNumber, endorsedBy: ['RetailerMSP', 'SystemOperatorMSP'], creator: { mspId: 'SystemOperatorMSP' } });
      expect(check.writes).toEqual([expect.objectContaining({ key: expect.stringContaining(`eventVersion/${eventId}/0000000000`), value: expect.stringContaining('c'.repeat(64)) })]);
      // One byte changed in the transaction: the block's data hash no longer covers it, and the signatures fail.
      const bytes = Buffer.from(proof.block, 'base64');
      const at = bytes.indexOf(Buffer.from('c'.repeat(64)));
      bytes[at] = 'd'.charCodeAt(0);
      const tampered = checkFabricProof({ ...proof, block: bytes.toString('base64') });
      expect(tampered.ok).toBe(false);
      expect(tampered.problems.join('\n')).toMatch(/data hash/);
      // A policy the endorsements do not meet is reported.
      expect(checkFabricProof({ ...proof, endorsementPolicy: { allOf: ['SystemOperatorMSP', 'RetailerMSP', 'OtherMSP'] } }).problems).toEqual(['the endorsement policy needs OtherMSP, which did not endorse']);
    } finally {
      ledger.close();
    }
  }, 180_000);
});

describe('flexbridge anchor proof --fabric and anchor check', () => {
  it('exports a transaction\'s proof from the running network and checks it offline from the file', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const network = await sharedFabric();
    const ledger = network.ledger();
    let txId: string;
    try {
      txId = (await ledger.submit('recordGridOrder', { orderId: `cli-proof-${Date.now().toString(36)}`, source: 'test', origin: 'tso', setpointW: 1000, receivedAt: 1, decidedAt: 2, accepted: true, eventIds: [] }, operator)).txId;
    } finally {
      ledger.close();
    }
    const cli = ['--import', 'tsx', 'cli.ts'];
    const exported = await run(process.execPath, [...cli, 'anchor', 'proof', '--fabric', network.dir, 'tx', txId], { maxBuffer: 64 * 1024 * 1024 });
    const file = join(mkdtempSync(join(tmpdir(), 'fabric-proof-')), 'proof.json');
    writeFileSync(file, exported.stdout);
    const checked = await run(process.execPath, [...cli, 'anchor', 'check', file]);
    expect(checked.stdout).toMatch(/^proof holds: transaction in block \d+, VALID, endorsed by RetailerMSP and SystemOperatorMSP, created by .*operator.* \(SystemOperatorMSP\)/);
    expect(checked.stdout).toMatch(/wrote \/gridOrder\/cli-proof-[0-9a-z]+\/ = .*"setpointW":1000/);
  }, 180_000);
});
