import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SigningIdentity, type TlsMaterial } from '../schemas/index.js';
import { systemClock, type Clock } from '../src/clock.js';
import { createLogger, type Logger } from '../src/logger.js';
import { OperatorApi, type LedgerViewProvider } from './api/operator-api.js';
import { OadrXmppEndpoint } from './transport/oadr-xmpp.js';
import type { VtnConfig } from './config.js';
import { OperatorService, VtnService, type ServiceDeps } from './service/index.js';
import { PostgresVtnStore } from './store/postgres-store.js';
import { VtnMetrics } from './api/metrics.js';
import { SqliteVtnStore } from './store/sqlite-store.js';
import type { VtnStore } from './store/store.js';
import { OadrHttpServer } from './transport/oadr-http-server.js';
import { PushSender } from './transport/push-sender.js';
import type { LocalEndpoint } from './transport/push-target.js';

export interface Vtn {
  readonly service: VtnService;
  readonly operator: OperatorService;
  readonly store: VtnStore;
  readonly push: PushSender;
  /** Prometheus metrics, served at the operator API's /metrics. */
  readonly metrics: VtnMetrics;
  /** The operator API (JSON, OpenAPI at /openapi.json, the dashboard). */
  readonly api: OperatorApi;
  start(): Promise<{ oadrUrl: string; apiUrl: string }>;
  /** Shows a ledger on the dashboard (served at the operator API's /dashboard). */
  attachLedgerView(provider: LedgerViewProvider): void;
  stop(): Promise<void>;
}

export interface VtnOverrides {
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly store?: VtnStore;
}

function tlsMaterial(config: VtnConfig): TlsMaterial | undefined {
  const tls = config.oadr.tls;
  if (!tls) return undefined;
  return { pairs: tls.pairs.map((p) => ({ key: readFileSync(p.key, 'utf8'), cert: readFileSync(p.cert, 'utf8') })), ca: readFileSync(tls.ca, 'utf8'), allowTls13: tls.allowTls13 };
}

const LOOPBACK = /^(127\.|localhost$|::1$|\[::1\]$)/;

/** Every configured choice that weakens security, said out loud at start. */
export function insecureChoices(config: VtnConfig): string[] {
  const out: string[] = [];
  if (!config.oadr.tls) out.push(`OpenADR is served over plain HTTP on ${config.oadr.host}:${config.oadr.port}: no client certificates, venIDs are taken on trust (oadr.insecure)`);
  if (!LOOPBACK.test(config.oadr.host) && !config.oadr.tls) out.push('plain-HTTP OpenADR listens beyond loopback');
  if (!config.api.token) out.push(`the operator API on ${config.api.host}:${config.api.port} has no bearer token: anyone who reaches it can create and cancel events`);
  if (!LOOPBACK.test(config.api.host)) out.push(`the operator API listens beyond loopback (${config.api.host})`);
  if (config.uvam && !config.uvam.tls) out.push(`the IEC 104 station on ${config.uvam.host}:${config.uvam.port} runs without TLS (IEC 62351-3)${LOOPBACK.test(config.uvam.host) ? '' : ', beyond loopback'}`);
  return out;
}

/** Wires store, services and transports from one validated config. */
export function createVtn(config: VtnConfig, overrides: VtnOverrides = {}): Vtn {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger({ level: config.logLevel, base: { component: 'vtn', vtnId: config.vtnId } });
  const store = overrides.store ?? (config.store.url
    ? new PostgresVtnStore({ url: config.store.url, poolSize: config.store.poolSize, ...(config.store.nodeId ? { nodeId: config.store.nodeId } : {}), logger: logger.child({ component: 'store' }) })
    : new SqliteVtnStore({ path: config.store.path ?? join(config.dataDir, 'vtn.sqlite'), synchronous: config.store.synchronous }));
  const metrics = new VtnMetrics(store, clock);
  const deps: ServiceDeps = {
    store, clock, logger, newId: randomUUID, observer: metrics,
    policy: {
      vtnId: config.vtnId, pollFrequencyMs: config.policy.pollFrequencyMs, nearWindowMs: config.policy.nearWindowMs,
      requireSignatures: config.policy.requireSignatures, signatureRetentionMs: 2 * config.policy.signatureMaxAgeMs + 60_000,
      telemetry: { granularityMs: config.policy.telemetryGranularityMs, reportBackMs: config.policy.telemetryReportBackMs },
      transports: config.xmpp ? ['simpleHttp', 'xmpp'] : ['simpleHttp'],
      timeZone: config.policy.timeZone,
    },
  };
  const service = new VtnService(deps);
  const operator = new OperatorService(deps);
  const tls = tlsMaterial(config);
  const signing: SigningIdentity | undefined = config.signing
    ? { privateKeyPem: readFileSync(config.signing.key, 'utf8'), certificatePem: readFileSync(config.signing.cert, 'utf8') }
    : undefined;
  const http = new OadrHttpServer(service, store, clock, {
    host: config.oadr.host, port: config.oadr.port, bodyLimitBytes: config.oadr.bodyLimitBytes, requestTimeoutMs: config.oadr.requestTimeoutMs,
    requireSignatures: config.policy.requireSignatures, signatureMaxAgeMs: config.policy.signatureMaxAgeMs,
    ...(tls ? { tls } : {}), ...(signing ? { signing } : {}),
  }, logger.child({ transport: 'http' }));
  const xmpp = config.xmpp ? new OadrXmppEndpoint(service, {
    account: { service: config.xmpp.service, domain: config.xmpp.domain, username: config.xmpp.username, password: config.xmpp.password, resource: config.xmpp.resource, ca: readFileSync(config.xmpp.ca, 'utf8') },
    bodyLimitBytes: config.oadr.bodyLimitBytes, pushTimeoutMs: config.xmpp.pushTimeoutMs,
  }, logger.child({ transport: 'xmpp' })) : undefined;
  const listening: LocalEndpoint[] = [];
  const push = new PushSender(service, store, clock, {
    ...config.push, replyLimitBytes: config.oadr.bodyLimitBytes, signatureMaxAgeMs: config.policy.signatureMaxAgeMs,
    onAttempt: (transport, outcome) => metrics.pushed(transport, outcome), ...(config.store.nodeId ? { nodeId: config.store.nodeId } : {}),
    // Plain-http pushes only from a VTN that itself serves OpenADR without TLS (development).
    targets: { allowPlainHttp: !tls, localEndpoints: () => listening },
    ...(tls ? { tls } : {}), ...(signing ? { signing } : {}), ...(xmpp ? { xmpp } : {}),
  }, logger.child({ transport: 'push' }));
  const api = new OperatorApi(operator, store, { host: config.api.host, port: config.api.port, ...(config.api.token ? { token: config.api.token } : {}) }, logger.child({ component: 'operator-api' }));
  api.attachMetrics(metrics);
  store.onCommitted(({ enqueued, fed }) => {
    if (fed) api.notifyFeed();
    if (enqueued) push.kick();
  });
  // Back on the XMPP server after a loss: what waited for it goes now, not after its backoff.
  xmpp?.onReconnected(() => {
    store.transaction((tx) => tx.expeditePushes('xmpp', clock.now()))
      .then((n) => { if (n > 0) logger.info('XMPP pushes due again after reconnection', { pushes: n }); push.kick(); })
      .catch((error: unknown) => logger.warn('XMPP pushes not expedited', { reason: error instanceof Error ? error.message : String(error) }));
  });

  return {
    service, operator, store, push, metrics, api,
    attachLedgerView: (provider) => api.attachLedgerView(provider),
    async start() {
      await store.ready();
      const oadr = await http.listen();
      const apiAddress = await api.listen();
      listening.push({ host: config.oadr.host, port: oadr.port }, { host: config.api.host, port: apiAddress.port });
      api.setReadiness(async () => {
        const checks: Record<string, { ok: boolean; detail?: string }> = {};
        try {
          await store.read.getVen('readiness-probe');
          checks.store = { ok: true };
        } catch (error) {
          checks.store = { ok: false, detail: error instanceof Error ? error.message : String(error) };
        }
        checks.oadr = http.server.listening ? { ok: true } : { ok: false, detail: 'the OpenADR listener is closed' };
        if (xmpp) checks.xmpp = xmpp.online ? { ok: true } : { ok: false, detail: 'not on the XMPP server (reconnecting)' };
        return checks;
      });
      const xmppAddress = await xmpp?.start();
      if (xmppAddress) logger.info('XMPP endpoint online', { jid: xmppAddress });
      push.start();
      const oadrUrl = `${tls ? 'https' : 'http'}://${config.oadr.host === '0.0.0.0' ? '127.0.0.1' : config.oadr.host}:${oadr.port}/OpenADR2/Simple/2.0b`;
      const apiUrl = `http://${config.api.host}:${apiAddress.port}`;
      logger.info('VTN started', { oadrUrl, apiUrl, tls: Boolean(tls) });
      for (const warning of insecureChoices(config)) logger.warn(`INSECURE: ${warning}`);
      return { oadrUrl, apiUrl };
    },
    async stop() {
      await push.stop();
      await xmpp?.stop();
      await http.close();
      await api.close();
      await store.close();
      logger.info('VTN stopped');
    },
  };
}
