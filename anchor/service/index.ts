export { AnchorService, type AnchorServiceOptions, type LedgerBackend, type MeterMapping } from './anchor-service.js';
export { AnchorStore, type Backlog, type AnchorOutboxRow, type QuarantinedEntry } from './anchor-store.js';
export { httpFeedSource, type VtnFeedSource } from './vtn-feed-client.js';
export { VtnUnavailableError } from '../../src/errors.js';
export { DrOrchestrator, httpEventSink, type DrOrder, type ContractLedger, type VtnEventSink } from './dr-orchestrator.js';
export { reconcile, type Reconciliation } from './reconcile.js';
export { embeddedLedgerView, type LedgerView } from './ledger-view.js';
export { contractAllocator, type ContractAllocatorOptions } from './uvam-allocator.js';
