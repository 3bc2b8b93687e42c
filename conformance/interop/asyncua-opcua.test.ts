import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// The VEN's OPC UA surface against an independent implementation, asyncua from PyPI, both ways:
// asyncua reads the VEN's address space, and the VEN reads its meter from an asyncua server.
describe('interop: FlexBridge VEN ⇄ asyncua (OPC UA)', () => {
  it('exposes event, targets, opt state and telemetry to an asyncua client, and reports a meter read from an asyncua server', async () => {
    const output = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--import', 'tsx', join(here, 'opcua-session.ts')], { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error && !stdout.includes('RESULT ')) reject(new Error(`OPC UA session failed: ${error.message}\n${stderr.slice(-3000)}`));
        else resolve(stdout);
      });
    });
    const result = JSON.parse(output.split('\n').find((l) => l.startsWith('RESULT '))!.slice(7)) as { error?: string; venId: string; vtnReading: unknown; asyncuaSaw: Record<string, unknown> };
    expect(result.error).toBeUndefined();
    expect(result.vtnReading).toEqual({ kind: 'float', value: 4321 });
    expect(result.asyncuaSaw).toMatchObject({
      VenId: result.venId, Registered: true, EventCount: 1, CurrentEventId: 'opc-1', CurrentEventStatus: 'near', OptState: 'optIn',
      TargetProfileW: [1200, 1000], LastTelemetryW: 4321, TargetPowerW: null,
    });
  }, 150_000);
});
