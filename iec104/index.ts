// Public surface of the IEC 60870-5-104 codec (pure: bytes in, typed values out).
export { encodeApdu, decodeApdu, splitFrames, type Apdu, type UFunction } from './codec/apci.js';
export {
  encodeAsdu, decodeAsdu, valueOf, TYPE_IDS, GOOD, type Asdu, type AsduOf, type InformationObject, type ElementOf, type Quality, type TypeName,
  type SinglePoint, type DoublePoint, type MeasuredValue, type TimeTagged, type IntegratedTotal, type SingleCommand, type DoubleCommand, type SetpointValue,
  type EndOfInitialisation, type InterrogationCommand, type CounterInterrogation, type ClockSync,
  type FileReady, type SectionReady, type FileSelect, type LastSection, type FileSegment, type DirectoryEntry, type LogQuery,
} from './codec/asdu.js';
export { encodeCp56, decodeCp56, cp56FromDate, cp56ToEpochMs, type Cp56Time2a } from './codec/cp56time2a.js';
export { Iec104Error, Iec104CodecError, Iec104CommandError, Iec104ProtocolViolation, type Iec104CodecFault } from './errors.js';
export { COT, type CauseOfTransmission } from './codec/cause.js';
export { Iec104Link, realScheduler, type LinkOptions, type LinkEvents, type LinkScheduler } from './link/link.js';
export { ControlledStation, type ControlledStationOptions, type Measurement, type SetpointOrder, type RedundancyGroup, type ConnectionStatus, type StationStats } from './station/controlled-station.js';
export { ControllingStation, type ControllingStationOptions, type SetpointCommand, type InterrogatedObject } from './station/controlling-station.js';
export { attachLink, type SocketLink, type SocketLinkHandlers } from './transport/socket-link.js';
export { certificateFingerprint, type Iec104Tls } from './transport/tls.js';
