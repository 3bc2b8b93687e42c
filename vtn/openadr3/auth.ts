import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { AuthRefusal, TokenRefusal } from '../errors.js';

export { AuthRefusal, TokenRefusal };

// OAuth2 client credentials as OpenADR 3 expects them: the VTN's own token endpoint for configured
// clients (secrets kept as scrypt hashes, tokens as short-lived HS256 JWTs), and optionally the
// tokens of an external OpenID provider checked against its JWKS.

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

export type ClientRole = 'bl' | 'ven';

/** Every scope of the specification, and what each role gets by default. */
export const SCOPES = ['read_all', 'read_targets', 'read_ven_objects', 'write_programs', 'write_events', 'write_reports', 'write_subscriptions', 'write_vens'] as const;
export const DEFAULT_SCOPES: Readonly<Record<ClientRole, readonly string[]>> = {
  bl: ['read_all', 'write_programs', 'write_events', 'write_subscriptions', 'write_vens'],
  ven: ['read_targets', 'read_ven_objects', 'write_reports', 'write_subscriptions', 'write_vens'],
};

export interface ClientConfig {
  readonly clientId: string;
  readonly secretHash: string;
  readonly role: ClientRole;
  readonly scopes?: readonly string[];
}

/** Who made a request, from its bearer token. */
export interface Principal {
  readonly clientId: string;
  readonly role: ClientRole;
  readonly scopes: ReadonlySet<string>;
}

const SCRYPT = { N: 16_384, r: 8, p: 1 } as const;

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, 32, { ...SCRYPT, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
}

export class Authorizer {
  private readonly clients: ReadonlyMap<string, ClientConfig>;
  private readonly jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(
    clients: readonly ClientConfig[],
    private readonly key: Uint8Array,
    private readonly options: { readonly issuer: string; readonly ttlSeconds: number; readonly now: () => number; readonly oidc?: { issuer: string; jwksUrl: string; audience?: string; clientIdClaim: string } },
  ) {
    this.clients = new Map(clients.map((c) => [c.clientId, c]));
    this.jwks = options.oidc ? createRemoteJWKSet(new URL(options.oidc.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 }) : undefined;
  }

  /** The client credentials grant (form fields or HTTP Basic), per RFC 6749 §4.4. */
  async issue(form: Readonly<Record<string, string | undefined>>, basic: { id: string; secret: string } | undefined): Promise<TokenResponse> {
    if (form.grant_type !== 'client_credentials') throw new TokenRefusal(400, 'unsupported_grant_type', `grant_type must be client_credentials, got '${String(form.grant_type ?? '').slice(0, 40)}'`);
    const id = basic?.id ?? form.client_id;
    const secret = basic?.secret ?? form.client_secret;
    if (!id || !secret) throw new TokenRefusal(400, 'invalid_request', 'client_id and client_secret are required');
    const client = this.clients.get(id);
    // The same work whether or not the client exists: no timing tells which IDs are known.
    const ok = await verifySecret(secret, client?.secretHash ?? DUMMY_HASH);
    if (!client || !ok) throw new TokenRefusal(401, 'invalid_client', 'unknown client or wrong secret');
    const allowed = client.scopes ?? DEFAULT_SCOPES[client.role];
    const asked = form.scope?.trim() ? form.scope.trim().split(/\s+/) : [...allowed];
    const refused = asked.filter((s) => !allowed.includes(s));
    if (refused.length) throw new TokenRefusal(400, 'invalid_scope', `not granted to this client: ${refused.join(' ')}`);
    const now = Math.floor(this.options.now() / 1000);
    const token = await new SignJWT({ scope: asked.join(' '), role: client.role, client_id: client.clientId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(this.options.issuer).setSubject(client.clientId).setIssuedAt(now).setExpirationTime(now + this.options.ttlSeconds)
      .sign(this.key);
    return { access_token: token, token_type: 'Bearer', expires_in: this.options.ttlSeconds, scope: asked.join(' ') };
  }

  /** The principal behind an Authorization header, or a 401 saying why not. */
  async authenticate(header: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+([\w.~+/=-]+)$/i.exec(header ?? '');
    if (!match) throw new AuthRefusal(401, 'a bearer token is required (POST auth/token with client credentials)');
    const token = match[1]!;
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: this.options.issuer, algorithms: ['HS256'], currentDate: new Date(this.options.now()) });
      const clientId = String(payload.sub ?? '');
      // A client removed from the configuration loses access at once, whatever its token says.
      const client = this.clients.get(clientId);
      if (!client) throw new AuthRefusal(401, 'the token\'s client is no longer known');
      return { clientId, role: client.role, scopes: new Set(String(payload.scope ?? '').split(' ').filter(Boolean)) };
    } catch (error) {
      if (error instanceof AuthRefusal) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new AuthRefusal(401, 'the token has expired');
      if (!this.jwks || !this.options.oidc) throw new AuthRefusal(401, 'the token is not valid here');
    }
    return this.external(token);
  }

  private async external(token: string): Promise<Principal> {
    const oidc = this.options.oidc!;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks!, { issuer: oidc.issuer, ...(oidc.audience ? { audience: oidc.audience } : {}), currentDate: new Date(this.options.now()) }));
    } catch (error) {
      throw new AuthRefusal(401, error instanceof joseErrors.JWTExpired ? 'the token has expired' : 'the token is not valid here');
    }
    const clientId = payload[oidc.clientIdClaim];
    if (typeof clientId !== 'string' || !clientId) throw new AuthRefusal(401, `the token has no ${oidc.clientIdClaim} claim`);
    const raw = payload.scope ?? payload.scp;
    const scopes = new Set(Array.isArray(raw) ? raw.map(String) : String(raw ?? '').split(' ').filter(Boolean));
    return { clientId, role: scopes.has('read_all') ? 'bl' : 'ven', scopes };
  }
}

/** Compared against when the client is unknown, so a refusal costs the same either way. */
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Refuses a principal without one of the scopes. */
export function requireScope(principal: Principal, ...anyOf: readonly string[]): void {
  if (!anyOf.some((s) => principal.scopes.has(s))) throw new AuthRefusal(403, `this needs the scope ${anyOf.join(' or ')}`);
}
