// Public surface of the IEC 60870-5-104 codec (pure: bytes in, typed values out).
export { encodeApdu, decodeApdu, splitFrames, type Apdu, type UFunction } from './codec/apci.js';
export { encodeAsdu, decodeAsdu, TYPE_IDS, GOOD, type Asdu, type InformationObject, type Quality, type TypeName } from './codec/asdu.js';
export { encodeCp56, decodeCp56, cp56FromDate, cp56ToEpochMs, type Cp56Time2a } from './codec/cp56time2a.js';
export { Iec104CodecError } from './codec/errors.js';
export { Iec104Link, realScheduler, type LinkOptions, type LinkEvents, type LinkScheduler } from './link/link.js';
export { ControlledStation, COT, type ControlledStationOptions, type Measurement, type SetpointOrder } from './station/controlled-station.js';
export { UvamAdapter, type UvamOptions } from './uvam/uvam-adapter.js';
