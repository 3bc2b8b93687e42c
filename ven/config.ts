import { readFileSync } from 'node:fs';
import { z } from 'zod';

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
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  for (const [name, key] of Object.entries(ENVIRONMENT)) if (env[name] !== undefined && env[name] !== '') raw[key] = env[name];
  // FLEXBRIDGE_VEN_PUSH_PORT: run as a push VEN on that loopback port.
  if (env.FLEXBRIDGE_VEN_PUSH_PORT !== undefined) {
    const port = Number(env.FLEXBRIDGE_VEN_PUSH_PORT);
    raw.push = { host: '127.0.0.1', port, transportAddress: `https://127.0.0.1:${port}` };
  }
  const parsed = venConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`invalid VEN config: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
