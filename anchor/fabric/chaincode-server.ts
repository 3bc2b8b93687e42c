// The DR contract served to the peers as chaincode-as-a-service (fabric-shim's server mode): the
// peers dial this process at CORE_CHAINCODE_ADDRESS; CORE_CHAINCODE_ID is the package ID that the
// lifecycle installed. `flexbridge fabric up` starts and supervises it.
import { createRequire } from 'node:module';
import { JSONSerializer } from 'fabric-contract-api';
import { FlexBridgeDrContract } from '../chaincode/fabric-contract.js';

const require = createRequire(import.meta.url);
// fabric-shim's own bootstrap, given our contract instead of a package.json to discover it from.
const Bootstrap = require('fabric-shim/lib/contract-spi/bootstrap.js') as {
  register(contracts: unknown[], serializers: unknown, metadata: unknown, title: string, version: string, opts: { ccid: string; address: string }, serverMode: boolean): Promise<void>;
};

const ccid = process.env.CORE_CHAINCODE_ID;
const address = process.env.CORE_CHAINCODE_ADDRESS;
if (!ccid || !address) {
  console.error('chaincode server: CORE_CHAINCODE_ID and CORE_CHAINCODE_ADDRESS are required');
  process.exit(2);
}
const serializers = { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } };
await Bootstrap.register([FlexBridgeDrContract], serializers, {}, 'flexbridge-dr', '1.0', { ccid, address }, true);
console.log(JSON.stringify({ msg: 'chaincode server listening', address, ccid }));
