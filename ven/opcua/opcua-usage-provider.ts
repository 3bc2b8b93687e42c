import { AttributeIds, OPCUAClient, type ClientSession } from 'node-opcua-client';
import type { UsageProvider } from '../service/reporting.js';

/**
 * Telemetry from a variable of an external OPC UA server (a meter, a building system): each
 * sample reads the variable's present value. One session is kept open and reopened on failure.
 */
export function opcUaUsageProvider(options: { endpointUrl: string; nodeId: string; rId: string; resourceId: string }): UsageProvider & { close(): Promise<void> } {
  const client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 1, initialDelay: 100, maxDelay: 500 } });
  let session: ClientSession | undefined;
  const open = async (): Promise<ClientSession> => {
    if (session) return session;
    await client.connect(options.endpointUrl);
    session = await client.createSession();
    return session;
  };
  return {
    rId: options.rId,
    resourceId: options.resourceId,
    async read() {
      try {
        const value = await (await open()).read({ nodeId: options.nodeId, attributeId: AttributeIds.Value });
        if (!value.statusCode.isGood()) throw new Error(`OPC UA read of ${options.nodeId}: ${value.statusCode.toString()}`);
        return Number(value.value.value);
      } catch (error) {
        session = undefined;
        await client.disconnect().catch(() => undefined);
        throw error;
      }
    },
    async close() {
      await session?.close().catch(() => undefined);
      await client.disconnect().catch(() => undefined);
    },
  };
}
