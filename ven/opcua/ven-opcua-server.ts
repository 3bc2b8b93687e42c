import { OPCUAServer } from 'node-opcua-server';
import { DataType, Variant } from 'node-opcua-variant';
import type { Ven } from '../ven.js';

export interface VenOpcUaOptions {
  readonly port: number;
}

export interface VenOpcUaServer {
  readonly endpointUrl: string;
  close(): Promise<void>;
}

/**
 * The VEN as an OPC UA server for building systems: a FlexBridgeVEN object with its venID, the
 * current (or next) event and its status, the opt decision, the target power now and per interval,
 * and the last telemetry reading. Values are read from the VEN at each OPC UA read, never copied.
 */
export async function startVenOpcUaServer(ven: Ven, lastTelemetryW: () => number | undefined, options: VenOpcUaOptions): Promise<VenOpcUaServer> {
  const server = new OPCUAServer({
    port: options.port,
    resourcePath: '/UA/FlexBridgeVEN',
    buildInfo: { productName: 'FlexBridge VEN', buildNumber: '1', buildDate: new Date(0) },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const namespace = addressSpace.getOwnNamespace();
  const device = namespace.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'FlexBridgeVEN' });

  // The event that matters now: the active one, else the next to start.
  const current = () => {
    const events = ven.events().filter((e) => e.status !== 'cancelled' && e.status !== 'completed');
    return events.find((e) => e.status === 'active') ?? events.sort((a, b) => (a.intervals[0]?.start ?? 0) - (b.intervals[0]?.start ?? 0))[0];
  };
  const targetNow = (): number => {
    const now = ven.signalsNow().flatMap((e) => e.signals).find((s) => s.signalName === 'LOAD_DISPATCH');
    return now ? now.value : NaN;
  };
  const variable = (browseName: string, dataType: DataType, get: () => unknown, arrayType = false): void => {
    namespace.addVariable({
      componentOf: device, browseName, dataType: DataType[dataType], minimumSamplingInterval: 1000, ...(arrayType ? { valueRank: 1, arrayDimensions: [0] } : {}),
      value: { get: () => new Variant({ dataType, ...(arrayType ? { arrayType: 1 } : {}), value: get() }) },
    });
  };
  variable('VenId', DataType.String, () => ven.venId ?? '');
  variable('Registered', DataType.Boolean, () => ven.venId !== undefined);
  variable('EventCount', DataType.UInt32, () => ven.events().length);
  variable('CurrentEventId', DataType.String, () => current()?.eventId ?? '');
  variable('CurrentEventStatus', DataType.String, () => current()?.status ?? 'none');
  variable('CurrentEventModificationNumber', DataType.UInt32, () => current()?.modificationNumber ?? 0);
  variable('OptState', DataType.String, () => ven.optOf(current()?.eventId) ?? 'none');
  variable('TargetPowerW', DataType.Double, targetNow);
  variable('TargetProfileW', DataType.Double, () => Float64Array.from((current()?.intervals ?? []).filter((i) => i.signalName === 'LOAD_DISPATCH').map((i) => i.value)), true);
  variable('LastTelemetryW', DataType.Double, () => lastTelemetryW() ?? NaN);
  await server.start();
  return {
    endpointUrl: server.getEndpointUrl(),
    close: () => server.shutdown(0),
  };
}
