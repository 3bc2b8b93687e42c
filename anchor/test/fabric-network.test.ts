import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ContractError } from '../chaincode/ledger-api.js';
import { sharedFabric } from '../../test/support/fabric.js';
import { customer, householdDay, operator, otherRetailer, retailer } from './scenario.js';

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
