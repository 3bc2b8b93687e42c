import type { Asdu } from '../../iec104/index.js';
import { ControllingStation, type ControllingStationOptions } from '../../iec104/station/controlling-station.js';

/** Polls `probe` until it holds (a condition, not a timing assertion). */
export async function until(probe: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface RecordingMaster {
  readonly station: ControllingStation;
  /** Every ASDU received, in order. */
  readonly received: Asdu[];
  send(asdu: Asdu): void;
  close(): Promise<void>;
}

/** Our controlling station on loopback, data transfer started, recording what it receives. */
export async function iec104Controlling(port: number, options: Partial<ControllingStationOptions> = {}): Promise<RecordingMaster> {
  const received: Asdu[] = [];
  const station = await ControllingStation.connect({ host: '127.0.0.1', port, ...options, onAsdu: (a) => received.push(a) });
  return { station, received, send: (a) => station.send(a), close: () => station.close() };
}
