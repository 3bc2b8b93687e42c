import type { ProfileName, ServiceName, TransportName } from './enums.js';

export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

export interface OadrProfile {
  readonly profileName: ProfileName;
  readonly transports: readonly TransportName[];
}

export interface ServiceSpecificInfo {
  readonly serviceName: ServiceName;
  readonly info: readonly KeyValue[];
}

export interface OadrExtension {
  readonly name: string;
  readonly info: readonly KeyValue[];
}
