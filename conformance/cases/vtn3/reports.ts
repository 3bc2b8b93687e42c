import { expectThat } from '../../harness/case.js';
import { expectProblem, expectStatus, type Vtn3CaseContext } from '../../harness/vtn3-target.js';
import { field, idsOf, needsVen, type Vtn3Case } from './common.js';

/** An event that reaches the VEN client, and a report body for it. */
async function reportable(ctx: Vtn3CaseContext): Promise<{ eventID: string; body: (value: number) => Record<string, unknown> }> {
  const target = ctx.name('reporting');
  const ven = await ctx.venObject([target]);
  const program = await ctx.program();
  const event = await ctx.event(program.id, { targets: [target] });
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 900_000).toISOString();
  return {
    eventID: event.id,
    body: (value) => ({
      programID: program.id, eventID: event.id, clientName: ven.venName, reportName: ctx.name('report'),
      payloadDescriptors: [{ objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: 'DEMAND', readingType: 'DIRECT_READ', units: 'KW' }],
      resources: [{ resourceName: ctx.name('meter'), intervalPeriod: { start, duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'DEMAND', values: [value] }] }] }],
    }),
  };
}

const demandOf = (report: unknown): unknown => field((field((field((field(report, 'resources') as unknown[])?.[0], 'intervals') as unknown[])?.[0], 'payloads') as unknown[])?.[0], 'values');

export const cases: readonly Vtn3Case[] = [
  {
    id: 'R3_0010_TH_VEN', title: 'A VEN reports on its event; business logic reads it', notApplicable: needsVen,
    requirement: 'POST reports answers 201 with objectType REPORT; business logic finds it by eventID with the values sent.',
    async run(ctx) {
      const { eventID, body } = await reportable(ctx);
      const report = await ctx.ven.ok<Record<string, unknown> & { id: string }>('POST', 'reports', body(1.25), 201);
      ctx.later(() => ctx.ven.request('DELETE', `reports/${report.id}`));
      expectThat(report.objectType === 'REPORT', `objectType should be REPORT, got ${String(report.objectType)}`);
      const found = await ctx.bl.ok<unknown[]>('GET', 'reports', undefined, 200, { eventID });
      const read = found.find((r) => field(r, 'id') === report.id);
      expectThat(read !== undefined, `reports?eventID=${eventID} should include ${report.id}, got ${idsOf(found).join(', ') || 'nothing'}`);
      expectThat(JSON.stringify(demandOf(read)) === '[1.25]', `the report's values should be [1.25], got ${JSON.stringify(demandOf(read))}`);
    },
  },
  {
    id: 'R3_0020_TH_VEN', title: 'A VEN updates its report', notApplicable: needsVen,
    requirement: 'PUT reports/{id} replaces the report; a read shows the new values.',
    async run(ctx) {
      const { body } = await reportable(ctx);
      const report = await ctx.ven.ok<{ id: string }>('POST', 'reports', body(1), 201);
      ctx.later(() => ctx.ven.request('DELETE', `reports/${report.id}`));
      await ctx.ven.ok('PUT', `reports/${report.id}`, body(2), 200);
      const read = await ctx.ven.ok('GET', `reports/${report.id}`);
      expectThat(JSON.stringify(demandOf(read)) === '[2]', `values after PUT should be [2], got ${JSON.stringify(demandOf(read))}`);
    },
  },
  {
    id: 'R3_0030_TH_VEN', title: 'A VEN deletes its report', notApplicable: needsVen,
    requirement: 'DELETE reports/{id} answers the deleted report; a read is then 404.',
    async run(ctx) {
      const { body } = await reportable(ctx);
      const report = await ctx.ven.ok<{ id: string }>('POST', 'reports', body(1), 201);
      const answer = await ctx.ven.request('DELETE', `reports/${report.id}`);
      expectStatus(answer, 200, 'DELETE report');
      expectProblem(await ctx.ven.request('GET', `reports/${report.id}`), 404, 'GET of a deleted report');
    },
  },
  {
    id: 'R3_0040_TH_VEN', title: 'A report on no event is refused', notApplicable: needsVen,
    requirement: 'A report whose eventID names no event gets 400, 404 or 409 (the specification lists 409 for POST reports) with a problem object.',
    async run(ctx) {
      const { body } = await reportable(ctx);
      const answer = await ctx.ven.request('POST', 'reports', { body: { ...body(1), eventID: ctx.name('no-event') } });
      if (answer.status === 201) ctx.later(() => ctx.ven.request('DELETE', `reports/${String(field(answer.body, 'id'))}`));
      expectProblem(answer, [400, 404, 409], 'POST reports on no event');
    },
  },
  {
    id: 'R3_0050_TH_BL', title: 'Business logic cannot write reports',
    requirement: 'write_reports is a VEN\'s: business logic\'s POST reports gets 403 with a problem object.',
    async run(ctx) {
      const program = await ctx.program();
      const event = await ctx.event(program.id);
      const answer = await ctx.bl.request('POST', 'reports', { body: { programID: program.id, eventID: event.id, clientName: 'bl', resources: [{ resourceName: 'r', intervals: [{ id: 0, intervalPeriod: { start: new Date().toISOString(), duration: 'PT15M' }, payloads: [{ type: 'USAGE', values: [1] }] }] }] } });
      if (answer.status === 201) ctx.later(() => ctx.bl.request('DELETE', `reports/${String(field(answer.body, 'id'))}`));
      expectProblem(answer, 403, 'POST reports as business logic');
    },
  },
];
