import { randomUUID } from 'node:crypto';
import { durationFromMs, durationToMs, ResponseCode, type OadrCancelReport, type OadrMessage, type OadrReport, type ReportRequest, type ServiceName } from '../../schemas/index.js';
import type { Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import type { Sample, VenStore } from '../store/ven-store.js';


export interface UsageProvider {
  /** The data point's rID and the resource it measures. */
  readonly rId: string;
  readonly resourceId: string;
  /** Present power in W. */
  read(): number | Promise<number>;
}

export interface StatusProvider {
  readonly rId: string;
  readonly resourceId: string;
  /** Whether the resource is online and whether someone overrode it by hand. */
  read(): { online: boolean; manualOverride: boolean } | Promise<{ online: boolean; manualOverride: boolean }>;
}

/** What reporting needs from the VEN around it. */
export interface ReportingDeps {
  readonly store: VenStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Sends on the VEN's channel (so the VEN's status sees the exchange). */
  send(service: ServiceName, message: OadrMessage): Promise<OadrMessage>;
  /** The registered venID (throws when there is none). */
  venId(): string;
  /** A cancellation the VTN piggy-backed on its answer to a report: handled like one it sent. */
  onCancelReport(message: OadrCancelReport): Promise<void>;
  readonly usage?: readonly UsageProvider[];
  /** TELEMETRY_STATUS data points (oadrPayloadResourceStatus). */
  readonly status?: readonly StatusProvider[];
  /** The shortest sampling period the VEN offers in its METADATA (default 60 s). */
  readonly samplingMinPeriodMs?: number;
  /** Backoff between attempts of a refused report, and refusals before it is set aside (defaults 1 s … 5 min, 8). */
  readonly reportRetry?: { readonly minBackoffMs?: number; readonly maxBackoffMs?: number; readonly refusalsBeforeAside?: number };
}

const METADATA_SPECIFIER = 'flexbridge-telemetry-usage';
const STATUS_SPECIFIER = 'flexbridge-telemetry-status';
// Status samples share the numeric samples table: bit 0 online, bit 1 manual override.
const encodeStatus = (s: { online: boolean; manualOverride: boolean }): number => (s.online ? 1 : 0) | (s.manualOverride ? 2 : 0);

/** Refusals of one report before it is set aside. */
const REFUSALS_BEFORE_ASIDE = 8;
const reportQueueOf = (message: OadrMessage): string => (message.type === 'oadrUpdateReport' ? message.reports[0]?.reportRequestId ?? '' : message.type);

/**
 * The VEN's telemetry: METADATA offered at registration, the VTN's report requests accepted,
 * data points sampled on their granularity, reports queued durably in the VEN's store and sent
 * until the VTN takes them (one queue per report request; a refused one waits with backoff and is
 * eventually set aside, never blocking the others).
 */
export class VenReporting {
  constructor(private readonly deps: ReportingDeps) {}

  /** Offers the VEN's METADATA (TELEMETRY_USAGE per provider) and accepts the VTN's requests. */
  async registerReports(): Promise<void> {
    const venId = this.deps.venId();
    const usage = this.deps.usage ?? [];
    const reports: OadrReport[] = usage.length ? [{
      reportRequestId: '0', reportSpecifierId: METADATA_SPECIFIER, reportName: 'METADATA_TELEMETRY_USAGE', createdDateTime: { epochMs: this.deps.clock.now(), microsOfMs: 0 },
      duration: durationFromMs(3_600_000),
      descriptions: usage.map((u) => ({
        rId: u.rId, reportDataSource: { resourceIds: [u.resourceId] }, reportType: 'usage' as const, readingType: 'Direct Read' as const,
        itemBase: { kind: 'powerReal' as const, itemDescription: 'RealPower', itemUnits: 'W', siScaleCode: 'none' as const, powerAttributes: { hertz: 50, voltage: 230, ac: true } },
        samplingRate: { minPeriod: durationFromMs(this.deps.samplingMinPeriodMs ?? 60_000), maxPeriod: durationFromMs(900_000), onChange: false },
      })),
    }] : [];
    const status = this.deps.status ?? [];
    if (status.length) {
      reports.push({
        reportRequestId: '0', reportSpecifierId: STATUS_SPECIFIER, reportName: 'METADATA_TELEMETRY_STATUS', createdDateTime: { epochMs: this.deps.clock.now(), microsOfMs: 0 },
        duration: durationFromMs(3_600_000),
        descriptions: status.map((p) => ({
          rId: p.rId, reportDataSource: { resourceIds: [p.resourceId] }, reportType: 'x-resourceStatus' as const, readingType: 'x-notApplicable' as const,
          samplingRate: { minPeriod: durationFromMs(this.deps.samplingMinPeriodMs ?? 60_000), maxPeriod: durationFromMs(3_600_000), onChange: false },
        })),
      });
    }
    const answer = await this.deps.send('EiReport', { type: 'oadrRegisterReport', requestId: randomUUID(), reports, venId, reportRequestId: '0' });
    if (answer.type === 'oadrRegisteredReport') await this.deps.send('EiReport', this.acceptReportRequests(answer.reportRequests ?? [], answer.response.requestId));
  }

  /** Samples due telemetry, queues due reports and sends what is queued; safe to call any time. */
  async reportTick(): Promise<void> {
    const now = this.deps.clock.now();
    for (const stored of this.deps.store.reportRequests()) {
      const spec = stored.request.reportSpecifier;
      const granularity = durationToMs(spec.granularity) || (this.deps.samplingMinPeriodMs ?? 60_000);
      const reportBack = durationToMs(spec.reportBackDuration) || granularity;
      let nextSampleAt = stored.nextSampleAt;
      let nextReportAt = stored.nextReportAt;
      const samples: Sample[] = [];
      // Behind by more than a day (the VEN was off): resume from now rather than inventing readings.
      if (now - nextSampleAt > 86_400_000) nextSampleAt = now - (now % granularity);
      while (now >= nextSampleAt) {
        samples.push(...await this.sample(stored.request, nextSampleAt - granularity, granularity));
        nextSampleAt += granularity;
      }
      if (samples.length) this.deps.store.addSamples(stored.request.reportRequestId, samples);
      const ended = stored.endsAt !== undefined && now >= stored.endsAt;
      if (now >= nextReportAt || ended) {
        this.deps.store.queueReport(stored.request.reportRequestId, (all) => this.updateReport(stored.request, stored.reportName, all), now);
        while (nextReportAt <= now) nextReportAt += reportBack;
      }
      // A one-shot report, or a window that is over: its last report is queued, the request ends.
      if (ended) this.deps.store.deleteReportRequest(stored.request.reportRequestId);
      else this.deps.store.putReportRequest({ ...stored, nextSampleAt, nextReportAt });
    }
    await this.flushReports();
  }

  /**
   * Readings measured elsewhere (a meter, a replay of history): queued as one report under the
   * VTN's request for their data points, then sent like any other (kept until the VTN takes them).
   */
  async submitReadings(samples: readonly Sample[]): Promise<void> {
    for (const stored of this.deps.store.reportRequests()) {
      const mine = samples.filter((s) => stored.request.reportSpecifier.specifierPayloads.some((p) => p.rId === s.rId));
      if (mine.length === 0) continue;
      this.deps.store.addSamples(stored.request.reportRequestId, mine);
      this.deps.store.queueReport(stored.request.reportRequestId, (all) => this.updateReport(stored.request, stored.reportName, all), this.deps.clock.now());
    }
    await this.flushReports();
  }

  /**
   * Sends due queued reports. Each report request is its own queue (order kept within it): one the
   * VTN refuses waits with backoff, logged with the VTN's answer, while the others flow; after
   * REFUSALS_BEFORE_ASIDE refusals (at once for an unknown request, 452) it is set aside — kept
   * and visible in status(), never blocking. An unreachable VTN ends the round (all would fail).
   */
  async flushReports(): Promise<number> {
    let sent = 0;
    const blocked = new Set<string>();
    for (const item of this.deps.store.outbox(this.deps.clock.now())) {
      const queue = reportQueueOf(item.message);
      if (blocked.has(queue)) continue;
      let answer: OadrMessage;
      try {
        answer = await this.deps.send('EiReport', item.message);
      } catch (error) {
        this.deps.store.failed(item.id, (error as Error).message, this.deps.clock.now() + this.backoffMs(item.attempts));
        this.deps.logger.warn('VTN unreachable; reports stay queued', { reason: (error as Error).message });
        break;
      }
      if (answer.type === 'oadrUpdatedReport' && answer.response.responseCode === 200) {
        this.deps.store.sent(item.id);
        sent++;
        // The VTN may cancel reports in its answer (piggy-backed oadrCancelReport).
        if (answer.cancelReport) await this.deps.onCancelReport({ type: 'oadrCancelReport', ...answer.cancelReport });
        continue;
      }
      blocked.add(queue);
      const code = answer.type === 'oadrResponse' || answer.type === 'oadrUpdatedReport' ? answer.response.responseCode : 0;
      const description = answer.type === 'oadrResponse' || answer.type === 'oadrUpdatedReport' ? answer.response.responseDescription ?? '' : '';
      const reason = `VTN answered ${answer.type} ${code}${description ? ` (${description})` : ''}`;
      if (code === ResponseCode.invalidId || item.attempts + 1 >= (this.deps.reportRetry?.refusalsBeforeAside ?? REFUSALS_BEFORE_ASIDE)) {
        this.deps.store.putAside(item.id, reason);
        this.deps.logger.error('report set aside: the VTN keeps refusing it', { reportRequestId: queue, attempts: item.attempts + 1, reason });
        blocked.delete(queue);
        continue;
      }
      const retryInMs = this.backoffMs(item.attempts);
      this.deps.store.failed(item.id, reason, this.deps.clock.now() + retryInMs);
      this.deps.logger.warn('report refused by the VTN; will retry', { reportRequestId: queue, attempts: item.attempts + 1, retryInMs, reason });
    }
    return sent;
  }

  private backoffMs(attempts: number): number {
    const retry = this.deps.reportRetry;
    return Math.min(retry?.maxBackoffMs ?? 300_000, (retry?.minBackoffMs ?? 1_000) * 2 ** Math.min(attempts, 16));
  }

  private updateReport(request: ReportRequest, reportName: string, samples: Sample[]): OadrMessage {
    // reduce, not a spread: a VEN back from a long outage may hold more samples than a call takes arguments.
    const first = samples.reduce((m, s) => Math.min(m, s.dtstart), Infinity);
    const last = samples.reduce((m, s) => Math.max(m, s.dtstart + s.durationMs), -Infinity);
    const byStart = new Map<number, Sample[]>();
    for (const s of samples) byStart.set(s.dtstart, [...(byStart.get(s.dtstart) ?? []), s]);
    return {
      type: 'oadrUpdateReport', requestId: randomUUID(), venId: this.deps.venId(),
      reports: [{
        reportRequestId: request.reportRequestId, reportSpecifierId: request.reportSpecifier.reportSpecifierId, reportName: reportName.replace(/^METADATA_/, '') as 'TELEMETRY_USAGE' | 'TELEMETRY_STATUS',
        createdDateTime: { epochMs: this.deps.clock.now(), microsOfMs: 0 }, dtstart: { epochMs: first, microsOfMs: 0 }, duration: durationFromMs(last - first),
        intervals: [...byStart.entries()].sort(([a], [b]) => a - b).map(([dtstart, group]) => ({
          dtstart: { epochMs: dtstart, microsOfMs: 0 }, duration: durationFromMs(group[0]!.durationMs),
          payloads: group.map((s) => ({
            kind: 'report' as const, rId: s.rId,
            value: this.deps.status?.some((p) => p.rId === s.rId)
              ? { kind: 'resourceStatus' as const, online: (s.value & 1) === 1, manualOverride: (s.value & 2) === 2 }
              : { kind: 'float' as const, value: s.value },
          })),
        })),
      }],
    };
  }

  /**
   * Takes the VTN's report requests for data points this VEN offers: sampling starts with the
   * reporting window (now when it has none), a one-shot request (no window, reportBackDuration 0)
   * gets one report, a window with a length ends. A request for METADATA is answered by the caller
   * registering the reports again. None known: 452.
   */
  acceptReportRequests(requests: readonly ReportRequest[], requestId: string): OadrMessage {
    const now = this.deps.clock.now();
    const usage = new Set((this.deps.usage ?? []).map((u) => u.rId));
    const status = new Set((this.deps.status ?? []).map((u) => u.rId));
    let known = 0;
    for (const request of requests) {
      const spec = request.reportSpecifier;
      if (spec.reportSpecifierId === 'METADATA') { known++; continue; }
      const payloads = spec.specifierPayloads;
      const reportName = payloads.some((p) => status.has(p.rId)) ? 'METADATA_TELEMETRY_STATUS' : 'METADATA_TELEMETRY_USAGE';
      if (!payloads.some((p) => usage.has(p.rId) || status.has(p.rId))) continue;
      known++;
      const granularity = durationToMs(spec.granularity) || (this.deps.samplingMinPeriodMs ?? 60_000);
      const reportBack = durationToMs(spec.reportBackDuration);
      const window = spec.reportInterval;
      const start = window ? Math.max(now, window.dtstart.epochMs) : now;
      const lengthMs = window ? durationToMs(window.duration, window.dtstart) : 0;
      const oneShot = !window && reportBack === 0;
      const endsAt = oneShot ? start : lengthMs > 0 ? window!.dtstart.epochMs + lengthMs : undefined;
      this.deps.store.putReportRequest({
        request, reportName, ...(endsAt !== undefined ? { endsAt } : {}),
        nextSampleAt: oneShot ? start : start - (start % granularity) + granularity, nextReportAt: start + (reportBack || granularity),
      });
    }
    const pending = this.deps.store.reportRequests().map((r) => r.request.reportRequestId);
    if (known === 0 && requests.length > 0) {
      return { type: 'oadrCreatedReport', response: { responseCode: ResponseCode.invalidId, responseDescription: `no report this VEN offers: ${requests.map((r) => r.reportSpecifier.reportSpecifierId).join(', ')}`, requestId }, pendingReports: pending, venId: this.deps.venId() };
    }
    return { type: 'oadrCreatedReport', response: { responseCode: 200, responseDescription: 'OK', requestId }, pendingReports: pending, venId: this.deps.venId() };
  }

  /** One reading of each requested data point this VEN has a provider for; a failing provider is logged and skipped. */
  private async sample(request: ReportRequest, dtstart: number, durationMs: number): Promise<Sample[]> {
    const samples: Sample[] = [];
    for (const p of request.reportSpecifier.specifierPayloads) {
      const usage = this.deps.usage?.find((u) => u.rId === p.rId);
      const status = this.deps.status?.find((u) => u.rId === p.rId);
      if (!usage && !status) continue;
      try {
        samples.push({ rId: p.rId, dtstart, durationMs, value: usage ? await usage.read() : encodeStatus(await status!.read()) });
      } catch (error) {
        this.deps.logger.warn('telemetry provider failed', { rId: p.rId, error });
      }
    }
    return samples;
  }

  /** Ends report requests; with `reportToFollow`, what was sampled goes out as a last report first. */
  async cancelReports(ids: readonly string[], reportToFollow: boolean): Promise<string[]> {
    const following: string[] = [];
    for (const id of ids) {
      const stored = this.deps.store.reportRequests().find((r) => r.request.reportRequestId === id);
      if (!stored) continue;
      if (reportToFollow) {
        const now = this.deps.clock.now();
        const samples = await this.sample(stored.request, now, 0);
        if (samples.length) this.deps.store.addSamples(id, samples);
        if (this.deps.store.queueReport(id, (all) => this.updateReport(stored.request, stored.reportName, all), now)) following.push(id);
      }
      this.deps.store.deleteReportRequest(id);
    }
    return following;
  }
}
