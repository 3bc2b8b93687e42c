import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { VenConfigError } from './errors.js';

export const venConfigSchema = z.object({
  vtnUrl: z.string().url(),
  venName: z.string().min(1),
  store: z.string().default('.flexbridge/ven/ven.sqlite'),
  tls: z.object({ key: z.string(), cert: z.string(), ca: z.string() }).optional(),
  /** Sign every payload with the TLS key (announced as oadrXmlSignature). */
  signPayloads: z.boolean().default(false),
  /** Opt decision for events the application does not decide (the CLI has no application). */
  defaultOpt: z.enum(['optIn', 'optOut']).default('optIn'),
  /**
   * Opt rules, first match wins, before defaultOpt: an event whose ID matches `eventId` (a regular
   * expression), whose market context is `marketContext`, or that carries `signalName`.
   */
  optRules: z.array(z.object({
    eventId: z.string().optional(), marketContext: z.string().optional(), signalName: z.string().optional(), opt: z.enum(['optIn', 'optOut']),
  }).refine((r) => r.eventId !== undefined || r.marketContext !== undefined || r.signalName !== undefined, { message: 'a rule matches on eventId, marketContext or signalName' })).default([]),
  /** How often the status line is written (ms; 0: never). */
  statusEveryMs: z.number().int().nonnegative().default(60_000),
  /**
   * Telemetry data points. `constantW` reports a fixed power (for tests and demos); `file` reads the
   * present power in W from a file an EMS or meter bridge keeps up to date.
   */
  usage: z.array(z.object({ rId: z.string(), resourceId: z.string(), constantW: z.number().optional(), file: z.string().optional() })
    .refine((u) => (u.constantW === undefined) !== (u.file === undefined), { message: 'give exactly one of constantW or file' })).default([]),
  /** TELEMETRY_STATUS data points (reported online, not overridden, while the VEN runs). */
  status: z.array(z.object({ rId: z.string(), resourceId: z.string() })).default([]),
  /** The shortest sampling period offered in the METADATA, in ms. */
  samplingMinPeriodMs: z.number().int().min(1000).default(60_000),
  /** A venID the VTN pre-allocated (sent with the first registration). */
  venId: z.string().min(1).optional(),
  /** Push model: listen here (HTTPS, the VEN's certificate) and register transportAddress; no polling. */
  push: z.object({ host: z.string().default('0.0.0.0'), port: z.number().int().min(1).max(65535), transportAddress: z.string().url() }).optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** The XMPP binding instead of HTTP (vtnUrl is then unused): the VEN's account, its CA file and the VTN's full JID. */
  xmpp: z.object({
    service: z.string().regex(/^xmpps:\/\//, 'direct TLS: xmpps://host:port'), domain: z.string().min(1),
    username: z.string().min(1), password: z.string().min(1), resource: z.string().min(1).default('ven'), ca: z.string(), vtnJid: z.string().includes('@'),
  }).optional(),
});

export type VenConfig = z.infer<typeof venConfigSchema>;

/** Environment variables that override the file (containers, test harnesses). */
const ENVIRONMENT: Record<string, string> = { FLEXBRIDGE_VEN_VTN_URL: 'vtnUrl', FLEXBRIDGE_VEN_STORE: 'store', FLEXBRIDGE_LOG_LEVEL: 'logLevel', FLEXBRIDGE_VEN_ID: 'venId' };

export function loadVenConfig(path: string, env: NodeJS.ProcessEnv = process.env): VenConfig {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new VenConfigError(`cannot read config ${path}: ${(error as Error).message}`);
  }
  for (const [name, key] of Object.entries(ENVIRONMENT)) if (env[name] !== undefined && env[name] !== '') raw[key] = env[name];
  // FLEXBRIDGE_VEN_PUSH_PORT: run as a push VEN on that loopback port.
  if (env.FLEXBRIDGE_VEN_PUSH_PORT !== undefined) {
    const port = Number(env.FLEXBRIDGE_VEN_PUSH_PORT);
    raw.push = { host: '127.0.0.1', port, transportAddress: `https://127.0.0.1:${port}` };
  }
  const parsed = venConfigSchema.safeParse(raw);
  if (!parsed.success) throw new VenConfigError(`invalid VEN config ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  // Paths in the file are read relative to it.
  const base = dirname(resolve(path));
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  const c = parsed.data;
  return {
    ...c, store: at(c.store),
    ...(c.tls ? { tls: { key: at(c.tls.key), cert: at(c.tls.cert), ca: at(c.tls.ca) } } : {}),
    ...(c.xmpp ? { xmpp: { ...c.xmpp, ca: at(c.xmpp.ca) } } : {}),
    usage: c.usage.map((u) => (u.file ? { ...u, file: at(u.file) } : u)),
  };
}

/** The opt a configured rule gives an event, or the default. */
export function optFor(config: Pick<VenConfig, 'optRules' | 'defaultOpt'>, event: { eventId: string; marketContext: string; signalNames: readonly string[] }): 'optIn' | 'optOut' {
  const rule = config.optRules.find((r) => (r.eventId === undefined || new RegExp(`^(?:${r.eventId})$`).test(event.eventId))
    && (r.marketContext === undefined || r.marketContext === event.marketContext)
    && (r.signalName === undefined || event.signalNames.includes(r.signalName)));
  return rule?.opt ?? config.defaultOpt;
}
