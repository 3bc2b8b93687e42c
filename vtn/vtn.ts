import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
import { ConfigError } from './errors.js';
import { Authorizer } from './openadr3/auth.js';
import { Openadr3Api } from './openadr3/openadr3-api.js';
import { Openadr3Service } from './openadr3/openadr3-service.js';
import { Openadr3Notifier } from './openadr3/notifier.js';
import { WebhookSender } from './openadr3/webhook-sender.js';
import { MqttPublisher } from './openadr3/mqtt-publisher.js';
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
  /** Starts the listeners; `openadr3Url` when the OpenADR 3 API is configured. */
  start(): Promise<{ oadrUrl: string; apiUrl: string; openadr3Url?: string }>;
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
  // OpenADR 3 subscribers hear of every program and event change, whichever API made it.
  const notifier = config.openadr3 ? openadr3Notifier(config, clock) : undefined;
  const deps: ServiceDeps = {
    store, clock, logger, newId: randomUUID, observer: metrics,
    ...(notifier ? { changes: (tx, change) => notifier.domainChanged(tx, change) } : {}),
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
  const openadr3 = config.openadr3 && notifier ? openadr3Api(config, operator, store, clock, notifier, logger.child({ component: 'openadr3' })) : undefined;
  const mqtt = config.openadr3?.mqtt ? new MqttPublisher({
    url: config.openadr3.mqtt.url, timeoutMs: config.openadr3.webhooks.timeoutMs,
    ...(config.openadr3.mqtt.username ? { username: config.openadr3.mqtt.username } : {}), ...(config.openadr3.mqtt.password ? { password: config.openadr3.mqtt.password } : {}),
    ...(config.openadr3.mqtt.ca ? { ca: config.openadr3.mqtt.ca } : {}),
  }, logger.child({ component: 'mqtt' })) : undefined;
  const webhooks = config.openadr3 ? new WebhookSender(store, clock, {
    ...(mqtt ? { publish: (topic: string, body: string) => mqtt.publish(topic, body) } : {}),
    concurrency: 16, intervalMs: 1_000, timeoutMs: config.openadr3.webhooks.timeoutMs, minBackoffMs: config.openadr3.webhooks.minBackoffMs, maxBackoffMs: config.openadr3.webhooks.maxBackoffMs,
    ...(config.store.nodeId ? { nodeId: config.store.nodeId } : {}),
  }, logger.child({ component: 'webhooks' })) : undefined;
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
      const openadr3Address = await openadr3?.listen();
      if (openadr3Address) listening.push({ host: config.openadr3!.host, port: openadr3Address.port });
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
      await mqtt?.connect();
      webhooks?.start();
      const oadrUrl = `${tls ? 'https' : 'http'}://${config.oadr.host === '0.0.0.0' ? '127.0.0.1' : config.oadr.host}:${oadr.port}/OpenADR2/Simple/2.0b`;
      const apiUrl = `http://${config.api.host}:${apiAddress.port}`;
      logger.info('VTN started', { oadrUrl, apiUrl, tls: Boolean(tls), ...(openadr3 ? { openadr3Url: openadr3.url } : {}) });
      for (const warning of insecureChoices(config)) logger.warn(`INSECURE: ${warning}`);
      return { oadrUrl, apiUrl, ...(openadr3 ? { openadr3Url: openadr3.url } : {}) };
    },
    async stop() {
      await push.stop();
      await webhooks?.stop();
      await mqtt?.close();
      await xmpp?.stop();
      await http.close();
      await api.close();
      await openadr3?.close();
      await store.close();
      logger.info('VTN stopped');
    },
  };
}

/** The OpenADR 3 API of a VTN configured with an `openadr3` section (docs/openadr3.md). */
function openadr3Notifier(config: VtnConfig, clock: Clock): Openadr3Notifier {
  const roles = new Map(config.openadr3!.clients.map((c) => [c.clientId, c.role]));
  // A configured client has its configured role; one of an external provider the role it had when it subscribed.
  const mqtt = config.openadr3!.mqtt;
  return new Openadr3Notifier((clientId, recorded) => roles.get(clientId) ?? (config.openadr3!.oidc ? recorded : undefined), () => clock.now(), mqtt ? { topicPrefix: mqtt.topicPrefix } : undefined);
}

function openadr3Api(config: VtnConfig, operator: OperatorService, store: VtnStore, clock: Clock, notifier: Openadr3Notifier, logger: Logger): Openadr3Api {
  const o = config.openadr3!;
  const keyFile = o.tokenKeyFile ?? join(config.dataDir, 'openadr3-token-key');
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    // 'wx': two workers starting at once make one key, not two.
    try { writeFileSync(keyFile, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' }); } catch (error) { if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; }
  }
  const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64url');
  if (key.length < 32) throw new ConfigError(`${keyFile} holds fewer than 32 bytes of key`);
  const publicUrl = o.publicUrl?.replace(/\/$/, '');
  const authorizer = new Authorizer(o.clients, key, {
    issuer: publicUrl ?? `flexbridge:${config.vtnId}`, ttlSeconds: o.tokenTtlSeconds, now: () => clock.now(),
    ...(o.oidc ? { oidc: { issuer: o.oidc.issuer, jwksUrl: o.oidc.jwksUrl, clientIdClaim: o.oidc.clientIdClaim, ...(o.oidc.audience ? { audience: o.oidc.audience } : {}) } } : {}),
  });
  const service = new Openadr3Service({ operator, store, clock, newId: () => randomUUID(), changed: (change, tx) => notifier.objectChanged(tx, change) });
  return new Openadr3Api(service, authorizer, {
    host: o.host, port: o.port, allowHttpCallbacks: o.webhooks.allowHttp,
    ...(o.mqtt ? { mqtt: { uri: o.mqtt.advertiseUrl ?? o.mqtt.url, topicPrefix: o.mqtt.topicPrefix } } : {}),
    ...(o.tls ? { tls: { key: readFileSync(o.tls.key), cert: readFileSync(o.tls.cert) } } : {}), ...(publicUrl ? { publicUrl } : {}),
  }, logger);
}
