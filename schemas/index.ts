// Public surface of the OpenADR 2.0b model and codec: pure, no I/O beyond reading the XSD files.
export * from './errors.js';
export * from './model/enums.js';
export type * from './model/common.js';
export type * from './model/event.js';
export type * from './model/report.js';
export type * from './model/opt.js';
export type * from './model/registration.js';
export type * from './model/payloads.js';
export { OADR_MESSAGE_TYPES } from './model/payloads.js';
export * from './model/time.js';
export { parseDateTime, formatDateTime, parseDuration, formatDuration } from './codec/time-format.js';
export { canonicalSignedObject, parsePayload, serializePayload, serializeSignedPayload, type ParseOptions, type ParsedPayload, type SerializeOptions } from './codec/payload-codec.js';
export { validatePayloadText, schemaValidator, DEFAULT_READ_LIMITS, type ReadLimits } from './codec/xml-document.js';
export { NS } from './codec/namespaces.js';
export { signPayload, verifyPayloadSignature, MemoryReplayCache, type SigningIdentity, type SignOptions, type VerifyOptions, type VerifiedSignature, type ReplayCache } from './codec/signature.js';
export * from './binding/index.js';
