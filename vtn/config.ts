import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { isTimeZone } from '../src/local-day.js';

const tlsFiles = z.object({
  /** One key/certificate pair per key type (RSA and/or EC), PEM files. */
  pairs: z.array(z.object({ key: z.string(), cert: z.string() })).min(1),
  ca: z.string(),
  allowTls13: z.boolean().default(false),
});

/** The bridge's upstream VTN (docs/bridge.md); also parsed alone by tests and tools. */
export const upstreamConfigSchema = z.object({
  protocol: z.enum(['openadr3', 'openadr2b']),
  /** The upstream VTN: its 3.x base URL, or its 2.0b URL (…/OpenADR2/Simple/2.0b); not used over XMPP. */
  url: z.string().url().optional(),
  /** Our name there (3.x: the VEN object's venName; 2.0b: oadrVenName). */
  venName: z.string().min(1).max(128),
  /** 3.x: OAuth2 client credentials (the secret better from FLEXBRIDGE_UPSTREAM_CLIENT_SECRET). */
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  /** 2.0b: our client certificate (PEM files) and the upstream VTN's CA; 3.x: the CA only. */
  tls: z.object({ key: z.string().optional(), cert: z.string().optional(), ca: z.string().optional() }).default({}),
  /**
   * 2.0b: the push model — the upstream VTN posts events to our listener at `transportAddress`
   * (HTTPS with our tls key and certificate) instead of being polled.
   */
  push: z.object({ host: z.string().default('0.0.0.0'), port: z.number().int().min(1).max(65535), transportAddress: z.string().url() }).optional(),
  /**
   * 2.0b: the XMPP binding — our account on the upstream's XMPP server (direct TLS) and the upstream
   * VTN's full JID; requests and pushes travel as IQs (the password better from
   * FLEXBRIDGE_UPSTREAM_XMPP_PASSWORD; `tls.ca` is the XMPP server's CA).
   */
  xmpp: z.object({
    service: z.string().regex(/^xmpps:\/\//, 'direct TLS: xmpps://host:port'),
    domain: z.string().min(1),
    username: z.string().min(1),
    password: z.string().min(1).optional(),
    resource: z.string().min(1).default('flexbridge'),
    vtnJid: z.string().min(3),
  }).optional(),
  /** 3.x: MQTT notifications where the upstream VTN offers them (polling stays the fallback). */
  mqtt: z.union([z.literal(false), z.object({ url: z.string().optional(), topics: z.array(z.string().min(1)).optional() })]).default({}),
  pollFrequencyMs: z.number().int().positive().default(10_000),
  /** How often the fleet's power is reported up (3.x; a 2.0b upstream asks for its own granularity). */
  reportEveryMs: z.number().int().positive().default(60_000),
  /** The downstream program the derived events belong to (made if missing). */
  programId: z.string().min(1).default('upstream'),
  /** The fleet: VENs of these groups (default: every VEN of this VTN). */
  groupIds: z.array(z.string().min(1)).optional(),
  /**
   * The fleet VENs' power data points, each with the factor that makes it watts: for each VEN the
   * first with a reading newer than maxReadingAgeMs counts (a 2.0b VEN's TELEMETRY_USAGE in W; a 3.x
   * VEN's DEMAND report in kW is `<resourceName>/DEMAND` with scale 1000).
   */
  readings: z.array(z.object({ rId: z.string().min(1), scale: z.number().positive().finite().default(1) })).min(1).default([{ rId: 'power', scale: 1 }]),
  maxReadingAgeMs: z.number().int().positive().default(900_000),
  /** The upstream opt: always in, never, or in when the allocation covers the request (docs/bridge.md). */
  optPolicy: z.enum(['always', 'when-covered', 'never']).default('when-covered'),
}).superRefine((u, ctx) => {
  if (u.protocol === 'openadr3' && (!u.clientId || !u.clientSecret)) ctx.addIssue({ code: 'custom', message: 'an OpenADR 3 upstream needs clientId and clientSecret' });
  if (!u.url && !(u.protocol === 'openadr2b' && u.xmpp)) ctx.addIssue({ code: 'custom', message: 'the upstream VTN\'s url is missing' });
  if (u.protocol === 'openadr2b' && u.xmpp) {
    if (u.push) ctx.addIssue({ code: 'custom', message: 'a 2.0b upstream is reached by XMPP or by HTTP (pull or push), not both' });
    if (!u.xmpp.password) ctx.addIssue({ code: 'custom', message: 'an XMPP upstream needs xmpp.password (or FLEXBRIDGE_UPSTREAM_XMPP_PASSWORD)' });
    if (!u.tls.ca) ctx.addIssue({ code: 'custom', message: 'an XMPP upstream needs tls.ca, the CA of the XMPP server\'s certificate' });
  } else if (u.protocol === 'openadr2b' && (!u.tls.key || !u.tls.cert || !u.tls.ca)) ctx.addIssue({ code: 'custom', message: 'a 2.0b upstream needs tls.key, tls.cert and tls.ca (mutual TLS)' });
  if (u.protocol === 'openadr3' && (u.push || u.xmpp)) ctx.addIssue({ code: 'custom', message: 'push and xmpp are 2.0b transports; an OpenADR 3 upstream notifies by MQTT or is polled' });
});

export const vtnConfigSchema = z.object({
  /** OpenLEADR VENs refuse an all-lowercase vtnID, so the default has capitals. */
  vtnId: z.string().min(1).default('FlexBridge-VTN'),
  dataDir: z.string().default('.flexbridge/vtn'),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /**
   * SQLite in dataDir by default (one VTN process); with `url` (postgres://…) PostgreSQL, which
   * several VTN nodes can share (docs/vtn.md, "Several VTN nodes on PostgreSQL").
   */
  store: z.object({
    path: z.string().optional(),
    synchronous: z.enum(['full', 'normal']).default('full'),
    url: z.string().regex(/^postgres(ql)?:\/\//, 'a PostgreSQL connection URL, postgres://user:password@host:port/database').optional(),
    /** Connections each node keeps to PostgreSQL. */
    poolSize: z.number().int().positive().max(1000).default(10),
    /** Names this node in push leases and logs (default: a random ID per start). */
    nodeId: z.string().min(1).optional(),
  }).prefault({}).refine((s) => !(s.url && s.path), { message: 'give store.path (SQLite) or store.url (PostgreSQL), not both' }),
  oadr: z.object({
    // Loopback unless the configuration says otherwise: exposing the VTN is a decision.
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8443),
    bodyLimitBytes: z.number().int().positive().default(4 * 1024 * 1024),
    /** A request (headers and body) must arrive whole within this. */
    requestTimeoutMs: z.number().int().positive().default(30_000),
    /** Mutual TLS material; without it the VTN refuses to start unless `insecure` says plain HTTP is meant. */
    tls: tlsFiles.nullable().default(null),
    /** Plain HTTP without client certificates: development only, venIDs are then taken on trust. */
    insecure: z.boolean().default(false),
  }).prefault({}).refine((o) => o.tls !== null || o.insecure, {
    message: 'OpenADR is served over HTTPS with mutual TLS: give oadr.tls {pairs: [{key, cert}], ca} (npm run pki makes a test PKI), or set oadr.insecure: true for plain HTTP in development',
  }),
  api: z.object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    /** Bearer token for /api; `flexbridge vtn` generates one on first start when none is set. */
    token: z.string().min(16).optional(),
    /** An API without a token: development only (loudly warned). */
    insecureNoToken: z.boolean().default(false),
  }).prefault({}),
  // Durations sent on the wire are whole seconds: the 2.0b duration pattern has no fractions.
  policy: z.object({
    pollFrequencyMs: z.number().int().positive().multipleOf(1000).default(10_000),
    nearWindowMs: z.number().int().nonnegative().default(3_600_000),
    requireSignatures: z.boolean().default(false),
    signatureMaxAgeMs: z.number().int().positive().default(300_000),
    telemetryGranularityMs: z.number().int().nonnegative().multipleOf(1000).default(900_000),
    telemetryReportBackMs: z.number().int().nonnegative().multipleOf(1000).default(900_000),
    /** The IANA time zone of a program created without one: its local days are its meter-days (docs/dr-contract.md). */
    timeZone: z.string().default('UTC').refine(isTimeZone, 'not an IANA time zone'),
  }).prefault({}),
  push: z.object({
    concurrency: z.number().int().positive().default(64),
    minBackoffMs: z.number().int().positive().default(1_000),
    maxBackoffMs: z.number().int().positive().default(300_000),
    timeoutMs: z.number().int().positive().default(10_000),
    intervalMs: z.number().int().positive().default(1_000),
  }).prefault({}),
  /** Key and certificate the VTN signs its payloads with (for VENs that asked for XML signatures). */
  signing: z.object({ key: z.string(), cert: z.string() }).optional(),
  /**
   * The OpenADR XMPP binding: the VTN's own account on an XMPP server (direct TLS). VENs log in
   * with accounts named after their venID (docs/vtn.md, XMPP).
   */
  xmpp: z.object({
    service: z.string().regex(/^xmpps:\/\//, 'direct TLS: xmpps://host:port'),
    domain: z.string().min(1),
    username: z.string().min(1).default('vtn'),
    password: z.string().min(1),
    resource: z.string().min(1).default('vtn'),
    /** PEM file of the CA that signed the XMPP server's certificate. */
    ca: z.string(),
    pushTimeoutMs: z.number().int().positive().default(10_000),
  }).optional(),
  /**
   * The OpenADR 3.1 REST API beside 2.0b, on the same store (docs/openadr3.md): its own listener,
   * OAuth2 client credentials (clients with hashed secrets, `flexbridge vtn openadr3-client` makes
   * one) or an external OpenID provider's JWKS.
   */
  openadr3: z.object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8081),
    /** HTTPS with this key and certificate (PEM files); plain HTTP without (behind a TLS proxy, or tests). */
    tls: z.object({ key: z.string(), cert: z.string() }).optional(),
    /** The URL clients reach this API at (for /auth/server and the token URL), default from host and port. */
    publicUrl: z.string().url().optional(),
    clients: z.array(z.object({
      clientId: z.string().min(1).max(128),
      /** scrypt$N$r$p$salt$hash, as `flexbridge vtn openadr3-client` prints it. */
      secretHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[\w-]+\$[\w-]+$/, 'a secret hash made by flexbridge vtn openadr3-client'),
      /** Business logic (programs, events, everything readable) or a VEN (its own objects and targeted ones). */
      role: z.enum(['bl', 'ven']),
      /** Default: every scope of the role. */
      scopes: z.array(z.string().min(1)).optional(),
    })).default([]),
    tokenTtlSeconds: z.number().int().positive().max(86_400).default(3_600),
    /** HMAC key file for the tokens this VTN issues (made on first start; nodes sharing a database share it). */
    tokenKeyFile: z.string().optional(),
    /** Trust an external OpenID provider's tokens instead of (or beside) our own. */
    oidc: z.object({
      issuer: z.string().min(1),
      jwksUrl: z.string().url(),
      audience: z.string().min(1).optional(),
      /** The claim naming the client (client_id, azp or sub). */
      clientIdClaim: z.string().default('client_id'),
    }).optional(),
    /**
     * MQTT notifications (the 3.1 notifier binding) through a broker the VTN publishes to, QoS 1,
     * from the same durable queue as webhooks. The broker's ACL keeps each VEN to its own topics.
     */
    mqtt: z.object({
      url: z.string().regex(/^mqtts?:\/\//, 'mqtt://host:port or mqtts://host:port'),
      /** What /notifiers tells clients (default: url). */
      advertiseUrl: z.string().regex(/^(mqtts?|wss?):\/\//).optional(),
      username: z.string().optional(),
      password: z.string().optional(),
      topicPrefix: z.string().default(''),
      /** PEM file of the broker's CA for mqtts. */
      ca: z.string().optional(),
    }).optional(),
    /** Webhook deliveries: at most this many at once, retried with backoff, never dropped. */
    webhooks: z.object({
      timeoutMs: z.number().int().positive().default(10_000),
      minBackoffMs: z.number().int().positive().default(1_000),
      maxBackoffMs: z.number().int().positive().default(300_000),
      /** Allow callback URLs on plain HTTP (development and tests). */
      allowHttp: z.boolean().default(false),
    }).prefault({}),
  }).optional(),
  /**
   * The bridge (docs/bridge.md): this VTN is also a VEN of an upstream VTN (a utility's), over
   * OpenADR 3.1 or 2.0b; each upstream event becomes events of `programId` for the fleet behind it
   * (relayed to its groups, or a setpoint allocated among its VENs), and the fleet's power goes back
   * up as the upstream reports. Run by `flexbridge vtn` on the leading node.
   */
  upstream: upstreamConfigSchema.optional(),
  /** A UVAM's IEC 60870-5-104 controlled station towards the TSO (see docs/iec104.md). */
  uvam: z.object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(2404),
    commonAddress: z.number().int().min(1).max(65534).default(1),
    powerIoa: z.number().int().min(1).max(0xffffff),
    setpointIoa: z.number().int().min(1).max(0xffffff),
    venIds: z.array(z.string().min(1)).min(1),
    rId: z.string().default('power'),
    programId: z.string().min(1),
    orderDurationMs: z.number().int().positive().multipleOf(1000).default(900_000),
    periodMs: z.number().int().positive().default(4_000),
    /** Setpoint orders outside this range (W) are refused with a negative confirmation. */
    setpointMinW: z.number().finite().default(0),
    setpointMaxW: z.number().finite().default(100e6),
    /** Spontaneous ASDUs kept per redundancy group while no master is active; the oldest are dropped past it. */
    backlogLimit: z.number().int().positive().default(1_000),
    /** IEC 62351-3: PEM files; allowedPeers are SHA-256 certificate fingerprints. */
    tls: z.object({ key: z.string(), cert: z.string(), ca: z.string(), allowedPeers: z.array(z.string()).optional() }).optional(),
    redundancyGroups: z.array(z.object({ name: z.string().min(1), peers: z.array(z.string()).optional() })).optional(),
    t0Ms: z.number().int().positive().default(30_000),
    t1Ms: z.number().int().positive().default(15_000),
    t2Ms: z.number().int().positive().default(10_000),
    t3Ms: z.number().int().positive().default(20_000),
  }).refine((u) => u.t2Ms < u.t1Ms, { message: 't2 must be shorter than t1' }).optional(),
});

export type VtnConfig = z.infer<typeof vtnConfigSchema>;
export type VtnConfigInput = z.input<typeof vtnConfigSchema>;

/** Environment variables that override the file, for containers and CI. */
const ENVIRONMENT: Record<string, (config: Record<string, any>, value: string) => void> = {
  FLEXBRIDGE_VTN_ID: (c, v) => { c.vtnId = v; },
  FLEXBRIDGE_VTN_DATA_DIR: (c, v) => { c.dataDir = v; },
  FLEXBRIDGE_VTN_PORT: (c, v) => { (c.oadr ??= {}).port = Number(v); },
  FLEXBRIDGE_VTN_API_PORT: (c, v) => { (c.api ??= {}).port = Number(v); },
  FLEXBRIDGE_VTN_API_TOKEN: (c, v) => { (c.api ??= {}).token = v; },
  FLEXBRIDGE_LOG_LEVEL: (c, v) => { c.logLevel = v; },
  // The database password stays out of the config file.
  FLEXBRIDGE_VTN_STORE_URL: (c, v) => { (c.store ??= {}).url = v; },
  FLEXBRIDGE_UPSTREAM_CLIENT_SECRET: (c, v) => { if (c.upstream) c.upstream.clientSecret = v; },
  FLEXBRIDGE_UPSTREAM_XMPP_PASSWORD: (c, v) => { if (c.upstream?.xmpp) c.upstream.xmpp.password = v; },
};


/** Reads the config file (if any), applies environment overrides, validates once. */
export function loadVtnConfig(path: string | undefined, env: NodeJS.ProcessEnv = process.env): VtnConfig {
  let raw: Record<string, any> = {};
  if (path) {
    try {
      raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;
    } catch (error) {
      throw new ConfigError(`cannot read config ${path}: ${(error as Error).message}`);
    }
  }
  for (const [name, apply] of Object.entries(ENVIRONMENT)) if (env[name] !== undefined) apply(raw, env[name]!);
  const result = vtnConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(`invalid VTN config${path ? ` ${path}` : ''}: ${result.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return path ? relativeTo(dirname(resolve(path)), result.data) : result.data;
}

/** Paths in a configuration file are read relative to that file, as users expect. */
function relativeTo(base: string, config: VtnConfig): VtnConfig {
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  return {
    ...config,
    dataDir: at(config.dataDir),
    store: { ...config.store, ...(config.store.path ? { path: at(config.store.path) } : {}) },
    oadr: { ...config.oadr, tls: config.oadr.tls ? { ...config.oadr.tls, ca: at(config.oadr.tls.ca), pairs: config.oadr.tls.pairs.map((p) => ({ key: at(p.key), cert: at(p.cert) })) } : null },
    ...(config.signing ? { signing: { key: at(config.signing.key), cert: at(config.signing.cert) } } : {}),
    ...(config.xmpp ? { xmpp: { ...config.xmpp, ca: at(config.xmpp.ca) } } : {}),
    ...(config.openadr3 ? { openadr3: { ...config.openadr3, ...(config.openadr3.tls ? { tls: { key: at(config.openadr3.tls.key), cert: at(config.openadr3.tls.cert) } } : {}), ...(config.openadr3.tokenKeyFile ? { tokenKeyFile: at(config.openadr3.tokenKeyFile) } : {}), ...(config.openadr3.mqtt?.ca ? { mqtt: { ...config.openadr3.mqtt, ca: at(config.openadr3.mqtt.ca) } } : {}) } } : {}),
    ...(config.upstream ? { upstream: { ...config.upstream, tls: Object.fromEntries(Object.entries(config.upstream.tls).map(([k, v]) => [k, v === undefined ? v : at(v)])) } } : {}),
    ...(config.uvam ? { uvam: { ...config.uvam, ...(config.uvam.tls ? { tls: { ...config.uvam.tls, key: at(config.uvam.tls.key), cert: at(config.uvam.tls.cert), ca: at(config.uvam.tls.ca) } } : {}) } } : {}),
  };
}
