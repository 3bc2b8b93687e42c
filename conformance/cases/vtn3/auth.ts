import { expectThat } from '../../harness/case.js';
import { expectProblem, expectStatus } from '../../harness/vtn3-target.js';
import { needsVen, type Vtn3Case } from './common.js';

const json = (text: string): Record<string, unknown> => { try { return JSON.parse(text) as Record<string, unknown>; } catch { return {}; } };

// OAuth2 client credentials (RFC 6749 §4.4, §5.2) and the scopes that separate business logic from VENs.
export const cases: readonly Vtn3Case[] = [
  {
    id: 'A3_0010_TH_BL', title: 'auth/server names the token endpoint',
    requirement: 'GET auth/server answers the token URL (3.1.0 /auth/server).',
    async run(ctx) {
      const answer = await ctx.bl.request('GET', 'auth/server', { auth: 'none' });
      expectStatus(answer, 200, 'GET auth/server');
      expectThat(typeof (answer.body as Record<string, unknown>).tokenURL === 'string', `auth/server should give tokenURL, got ${answer.text.slice(0, 200)}`);
    },
  },
  {
    id: 'A3_0020_TH_BL', title: 'A token by client credentials',
    requirement: 'The token endpoint grants a bearer token for a known client and secret (RFC 6749 §4.4.3).',
    async run(ctx) {
      const answer = await ctx.bl.tokenRequest({ grant_type: 'client_credentials', client_id: ctx.target.bl.clientId, client_secret: ctx.target.bl.clientSecret });
      expectThat(answer.status === 200, `token: expected 200, got ${answer.status} ${answer.text.slice(0, 200)}`);
      const token = json(answer.text);
      expectThat(typeof token.access_token === 'string' && token.access_token.length > 0, `token: no access_token in ${answer.text.slice(0, 200)}`);
      expectThat(String(token.token_type).toLowerCase() === 'bearer', `token: token_type should be Bearer, got ${String(token.token_type)}`);
      expectThat(token.expires_in === undefined || (typeof token.expires_in === 'number' && token.expires_in > 0), `token: expires_in should be a positive number, got ${String(token.expires_in)}`);
    },
  },
  {
    id: 'A3_0030_TH_BL', title: 'A wrong secret is refused as invalid_client',
    requirement: 'A client whose secret does not match gets 400 or 401 with error invalid_client (RFC 6749 §5.2).',
    async run(ctx) {
      const answer = await ctx.bl.tokenRequest({ grant_type: 'client_credentials', client_id: ctx.target.bl.clientId, client_secret: `${ctx.target.bl.clientSecret}-wrong` });
      expectThat(answer.status === 400 || answer.status === 401, `token with a wrong secret: expected 400 or 401, got ${answer.status}`);
      expectThat(json(answer.text).error === 'invalid_client', `token with a wrong secret: error should be invalid_client, got ${answer.text.slice(0, 200)}`);
      expectThat(!('access_token' in json(answer.text)), 'token with a wrong secret: an access_token was given');
    },
  },
  {
    id: 'A3_0040_TH_BL', title: 'An unsupported grant type is refused',
    requirement: 'A grant other than client_credentials gets 400 with an RFC 6749 error code and no token.',
    async run(ctx) {
      const answer = await ctx.bl.tokenRequest({ grant_type: 'password', username: ctx.target.bl.clientId, password: ctx.target.bl.clientSecret });
      expectThat(answer.status === 400 || answer.status === 401, `password grant: expected 400 (or 401), got ${answer.status} ${answer.text.slice(0, 200)}`);
      expectThat(['unsupported_grant_type', 'invalid_request', 'invalid_grant', 'unauthorized_client', 'invalid_client'].includes(String(json(answer.text).error)), `password grant: error should be an RFC 6749 code, got ${answer.text.slice(0, 200)}`);
    },
  },
  {
    id: 'A3_0050_TH_BL', title: 'A request without a token is refused (401)',
    requirement: 'Every object endpoint needs a bearer token: 401 with a problem object.',
    async run(ctx) {
      expectProblem(await ctx.bl.request('GET', 'programs', { auth: 'none' }), 401, 'GET programs without a token');
    },
  },
  {
    id: 'A3_0060_TH_BL', title: 'A forged token is refused',
    requirement: 'A token the VTN did not issue is refused with 401 (or 403) and a problem object.',
    async run(ctx) {
      const forged = `Bearer ${Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(`{"sub":"${ctx.target.bl.clientId}","scope":"read_all write_programs"}`).toString('base64url')}.AAAA`;
      expectProblem(await ctx.bl.request('GET', 'programs', { auth: forged }), [401, 403], 'GET programs with a forged token');
    },
  },
  {
    id: 'A3_0070_TH_VEN', title: 'A VEN client cannot write programs', notApplicable: needsVen,
    requirement: 'write_programs is business logic\'s: a VEN client\'s POST programs gets 403 with a problem object.',
    async run(ctx) {
      expectProblem(await ctx.ven.request('POST', 'programs', { body: { programName: ctx.name('ven-program') } }), 403, 'POST programs as a VEN');
    },
  },
  {
    id: 'A3_0080_TH_VEN', title: 'A VEN client cannot write events', notApplicable: needsVen,
    requirement: 'write_events is business logic\'s: a VEN client\'s POST events gets 403 with a problem object.',
    async run(ctx) {
      const program = await ctx.program();
      expectProblem(await ctx.ven.request('POST', 'events', { body: { programID: program.id, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }] } }), 403, 'POST events as a VEN');
    },
  },
];
