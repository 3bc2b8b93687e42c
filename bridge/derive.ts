import { createHash } from 'node:crypto';
import { durationToMs, type OadrEvent } from '../schemas/index.js';
import type { EventInput, SignalInput } from '../vtn/index.js';

// How an upstream event becomes the fleet's events: pure, so each rule is tested alone.

/** A downstream event ID for an upstream event (and a VEN): valid, bounded, stable across restarts. */
export function derivedEventId(upstreamId: string, venId?: string): string {
  const base = `up-${upstreamId}${venId ? `-${venId}` : ''}`;
  if (/^[\w-]{1,128}$/.test(base)) return base;
  // Not an ID character, or too long: a readable prefix and a digest of the whole.
  return `up-${upstreamId.replace(/[^\w-]/g, '_').slice(0, 60)}-${createHash('sha256').update(base).digest('hex').slice(0, 24)}`;
}

/** The upstream event's signals as the VTN's signal inputs (each interval's length and first number). */
export function signalsOf(event: OadrEvent): SignalInput[] {
  return event.signals.map((signal) => {
    let cursor = event.activePeriod.dtstart;
    return {
      signalName: signal.signalName, signalType: signal.signalType, ...(signal.itemBase ? { itemBase: signal.itemBase } : {}),
      intervals: signal.intervals.map((interval) => {
        const durationMs = interval.duration ? durationToMs(interval.duration, cursor) : 0;
        cursor = { epochMs: cursor.epochMs + durationMs, microsOfMs: 0 };
        const payload = interval.payloads[0];
        return { durationMs, value: payload?.kind === 'float' ? payload.value : 0 };
      }),
    };
  });
}

/** The aggregate power (W) an upstream event asks of the fleet per interval: its LOAD_DISPATCH setpoint, in W. */
export function setpointOf(event: OadrEvent): { readonly durationMs: number; readonly value: number }[] | undefined {
  const signal = signalsOf(event).find((s) => s.signalName === 'LOAD_DISPATCH' && s.signalType === 'setpoint');
  if (!signal || signal.intervals.length === 0) return undefined;
  // 2.0b powerReal may say kW (siScaleCode k); a 3.x DISPATCH_SETPOINT in KW reads back the same way.
  const base = signal.itemBase;
  const scale = base && 'siScaleCode' in base && base.siScaleCode === 'k' ? 1000 : 1;
  return signal.intervals.map((i) => ({ durationMs: i.durationMs, value: i.value * scale }));
}

export interface Upstream {
  readonly upstreamId: string;
  readonly modificationNumber: number;
  readonly url: string;
  readonly event: OadrEvent;
}

const comment = (u: Upstream, how: string): string => `upstream event ${u.upstreamId} version ${u.modificationNumber} from ${u.url}; ${how}`.slice(0, 1000);

/** The upstream event relayed as it is to the fleet's groups (or VENs): one downstream event. */
export function relayed(u: Upstream, programId: string, fleet: { readonly groupIds?: readonly string[]; readonly venIds: readonly string[] }): EventInput & { eventId: string } {
  return {
    programId, eventId: derivedEventId(u.upstreamId), dtstart: u.event.activePeriod.dtstart.epochMs, signals: signalsOf(u.event),
    targets: fleet.groupIds?.length ? { groupIds: fleet.groupIds } : { venIds: fleet.venIds },
    ...(u.event.descriptor.priority !== undefined ? { priority: u.event.descriptor.priority } : {}),
    vtnComment: comment(u, 'relayed to the fleet'),
  };
}

/**
 * Each VEN's share of an aggregate setpoint: one event per VEN with its own LOAD_DISPATCH setpoint
 * per upstream interval (and SIMPLE 1 beside it for VENs that only read levels).
 */
export function allocated(u: Upstream, programId: string, setpoint: readonly { durationMs: number; value: number }[], targets: ReadonlyMap<string, readonly number[]>, by: string): (EventInput & { eventId: string })[] {
  const total = setpoint.reduce((s, i) => s + i.durationMs, 0);
  return [...targets].map(([venId, values]) => ({
    programId, eventId: derivedEventId(u.upstreamId, venId), dtstart: u.event.activePeriod.dtstart.epochMs, targets: { venIds: [venId] },
    signals: [
      { signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: total, value: 1 }] },
      { signalName: 'LOAD_DISPATCH', signalType: 'setpoint', intervals: setpoint.map((i, k) => ({ durationMs: i.durationMs, value: Math.round(values[k]! * 1000) / 1000 })) },
    ],
    ...(u.event.descriptor.priority !== undefined ? { priority: u.event.descriptor.priority } : {}),
    vtnComment: comment(u, `aggregate setpoint allocated by ${by}`),
  }));
}

/** Shares each interval's setpoint by the VENs' present power. */
export function shareByPower(setpoint: readonly { value: number }[], powers: ReadonlyMap<string, number>): Map<string, number[]> {
  const total = [...powers.values()].reduce((s, w) => s + w, 0);
  return new Map([...powers].map(([venId, w]) => [venId, setpoint.map((i) => (total > 0 ? (i.value * w) / total : i.value / powers.size))]));
}

export type OptPolicy = 'always' | 'when-covered' | 'never';

/**
 * The upstream opt. `when-covered`: in when the allocation covers the request — for a setpoint, the
 * fleet has VENs with measured power to share it among (the allocator's shortfall, when it reports
 * one, must be nothing); for any other event, the fleet has a VEN to relay it to.
 */
export function optFor(policy: OptPolicy, fleet: { readonly vens: number; readonly measured: number; readonly shortfallW?: number }, setpoint: boolean): 'optIn' | 'optOut' {
  if (policy === 'always') return 'optIn';
  if (policy === 'never' || fleet.vens === 0) return 'optOut';
  if (!setpoint) return 'optIn';
  return fleet.measured > 0 && !(fleet.shortfallW && fleet.shortfallW > 0) ? 'optIn' : 'optOut';
}
