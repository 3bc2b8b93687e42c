// Public surface of the anchor: the DR contract (pure domain and chaincode) and the embedded ledger.
export * from './domain/index.js';
export { drContract, type DrContract, type DrTransaction } from './chaincode/dr-contract.js';
export type { ContractContext, StateStub, CallerIdentity } from './chaincode/ledger-api.js';
export { ATTRIBUTE, type MeterRecord, type EnergyRecord, type AllocationRecord, type SettlementRecord, type DrEventRecord, type TokenBalance, type Role } from './chaincode/records.js';
export { EmbeddedLedger, type LedgerIdentity, type NodeIdentity, type ContractEvent, type ChainCheck, type BlockRecord } from './ledger/embedded-ledger.js';
export * from './service/index.js';
export { checkProof, type LedgerProof, type ProofCheck } from './ledger/proof.js';
export { FabricNetwork, fabricHome, ORGANISATIONS, type FabricNetworkOptions, type Consensus } from './fabric/network.js';
export { FabricLedger, type FabricLedgerOptions, type FabricSigningIdentity } from './fabric/fabric-ledger.js';
export { AnchorConfigError, AnchorError, ContractError, type ContractRefusal } from './errors.js';
export { anchorConfigSchema, loadAnchorConfig, openBackend, type AnchorConfig } from './run-command.js';
