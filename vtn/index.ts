// Public surface of the VTN: build one from a config, or use its parts.
export { createVtn, type Vtn, type VtnOverrides } from './vtn.js';
export { loadVtnConfig, upstreamConfigSchema, vtnConfigSchema, type VtnConfig, type VtnConfigInput } from './config.js';
export { VtnService, OperatorService, venIdFromCertificate, type EventInput, type SignalInput, type ServicePolicy } from './service/index.js';
export { SqliteVtnStore } from './store/sqlite-store.js';
export { PostgresVtnStore, type PostgresStoreOptions } from './store/postgres-store.js';
export type { VtnStore } from './store/store.js';
export type * from './store/records.js';
export { UvamAdapter, type UvamOptions, type UvamAllocator, type UvamAllocation, type UvamAllocationRequest } from './uvam/uvam-adapter.js';
export { eventInputFromJson } from './api/operator-schemas.js';
export { VtnError, VtnRequestError, ConfigError, PushTargetError, OperatorApiError } from './errors.js';
