import { expectThat } from '../../harness/case.js';
import { expectProblem, expectStatus } from '../../harness/vtn3-target.js';
import type { Vtn3Case } from './common.js';

export const cases: readonly Vtn3Case[] = [
  {
    id: 'X3_0010_TH_BL', title: 'A body that is not JSON is refused (400)',
    requirement: 'A malformed JSON body gets 400 with a problem object and stores nothing.',
    async run(ctx) {
      expectProblem(await ctx.bl.request('POST', 'programs', { rawBody: '{"programName": "broken' }), 400, 'POST programs with broken JSON');
    },
  },
  {
    id: 'X3_0020_TH_BL', title: 'A field of the wrong type is refused (400)',
    requirement: 'A body that breaks the schema (programName a number) gets 400 with a problem object.',
    async run(ctx) {
      expectProblem(await ctx.bl.request('POST', 'programs', { body: { programName: 42 } }), 400, 'POST programs with a numeric programName');
    },
  },
  {
    id: 'X3_0030_TH_BL', title: 'Problems are JSON',
    requirement: 'A refusal is a problem object in JSON (application/problem+json or application/json).',
    async run(ctx) {
      const answer = await ctx.bl.request('GET', `events/${ctx.name('missing')}`);
      expectStatus(answer, 404, 'GET of an unknown event');
      expectThat(/^application\/(problem\+)?json/.test(answer.contentType), `content type should be JSON, got ${answer.contentType || 'none'}`);
    },
  },
  {
    id: 'X3_0040_TH_BL', title: 'A negative skip is refused (400)',
    requirement: 'skip has minimum 0: skip=-1 gets 400 with a problem object.',
    async run(ctx) {
      expectProblem(await ctx.bl.request('GET', 'events', { query: { skip: '-1' } }), 400, 'GET events?skip=-1');
    },
  },
];
