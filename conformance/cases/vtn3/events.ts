import { expectThat } from '../../harness/case.js';
import { expectProblem, expectStatus } from '../../harness/vtn3-target.js';
import { field, idsOf, inAnHour, needsVen, valuesOf, type Vtn3Case } from './common.js';

export const cases: readonly Vtn3Case[] = [
  {
    id: 'E3_0010_TH_BL', title: 'Create an event',
    requirement: 'POST events answers 201 with the event: an id, objectType EVENT, its program and intervals.',
    async run(ctx) {
      const program = await ctx.program();
      const event = await ctx.event(program.id, {}, [3, 4]);
      expectThat(event.objectType === 'EVENT', `objectType should be EVENT, got ${String(event.objectType)}`);
      expectThat(event.programID === program.id, `programID should be ${program.id}, got ${String(event.programID)}`);
      expectThat(JSON.stringify(valuesOf(event)) === '[3,4]', `intervals' values should be [3,4], got ${JSON.stringify(valuesOf(event))}`);
    },
  },
  {
    id: 'E3_0020_TH_BL', title: 'Read an event by its ID',
    requirement: 'GET events/{id} answers the event as created.',
    async run(ctx) {
      const program = await ctx.program();
      const event = await ctx.event(program.id, {}, [5]);
      const read = await ctx.bl.ok('GET', `events/${event.id}`);
      expectThat(read.id === event.id && JSON.stringify(valuesOf(read)) === '[5]', `read ${JSON.stringify(read).slice(0, 300)} differs from the created event`);
    },
  },
  {
    id: 'E3_0030_TH_BL', title: 'Search events by program',
    requirement: 'GET events?programID= answers that program\'s events and no other\'s.',
    async run(ctx) {
      const [a, b] = [await ctx.program('prog-a'), await ctx.program('prog-b')];
      const [ea, eb] = [await ctx.event(a.id), await ctx.event(b.id)];
      const found = idsOf(await ctx.bl.ok<unknown[]>('GET', 'events', undefined, 200, { programID: a.id, limit: '50' }));
      expectThat(found.includes(ea.id), `events?programID=${a.id} should include ${ea.id}, got ${found.join(', ')}`);
      expectThat(!found.includes(eb.id), `events?programID=${a.id} includes ${eb.id} of another program`);
    },
  },
  {
    id: 'E3_0040_TH_BL', title: 'Search events by target',
    requirement: 'GET events?targets= answers the events with that target and not those without it.',
    async run(ctx) {
      const program = await ctx.program();
      const [t1, t2] = [ctx.name('target-1'), ctx.name('target-2')];
      const [e1, e2] = [await ctx.event(program.id, { targets: [t1] }), await ctx.event(program.id, { targets: [t2] })];
      const found = idsOf(await ctx.bl.ok<unknown[]>('GET', 'events', undefined, 200, { targets: t1, limit: '50' }));
      expectThat(found.includes(e1.id) && !found.includes(e2.id), `events?targets=${t1} should include ${e1.id} and not ${e2.id}, got ${found.join(', ')}`);
    },
  },
  {
    id: 'E3_0050_TH_BL', title: 'Update an event',
    requirement: 'PUT events/{id} replaces the event; a read shows the new values.',
    async run(ctx) {
      const program = await ctx.program();
      const event = await ctx.event(program.id, {}, [1]);
      await ctx.bl.ok('PUT', `events/${event.id}`, { programID: program.id, eventName: event.eventName, intervalPeriod: { start: inAnHour(), duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [2] }] }] }, 200);
      const read = await ctx.bl.ok('GET', `events/${event.id}`);
      expectThat(JSON.stringify(valuesOf(read)) === '[2]', `values after PUT should be [2], got ${JSON.stringify(valuesOf(read))}`);
    },
  },
  {
    id: 'E3_0060_TH_BL', title: 'Delete an event',
    requirement: 'DELETE events/{id} answers the deleted event; a read is then 404.',
    async run(ctx) {
      const program = await ctx.program();
      const event = await ctx.event(program.id);
      const answer = await ctx.bl.request('DELETE', `events/${event.id}`);
      expectStatus(answer, 200, 'DELETE event');
      expectThat(field(answer.body, 'id') === event.id, `DELETE should answer the deleted event, got ${answer.text.slice(0, 200)}`);
      expectProblem(await ctx.bl.request('GET', `events/${event.id}`), 404, 'GET of a deleted event');
    },
  },
  {
    id: 'E3_0070_TH_BL', title: 'An event of no program is refused',
    requirement: 'An event whose programID names no program gets 400, 404 or 409 with a problem object, and is not stored.',
    async run(ctx) {
      const answer = await ctx.bl.request('POST', 'events', { body: { programID: ctx.name('no-program'), intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [1] }] }] } });
      if (answer.status === 201) ctx.later(() => ctx.bl.request('DELETE', `events/${String(field(answer.body, 'id'))}`));
      expectProblem(answer, [400, 404, 409], 'POST events for no program');
    },
  },
  {
    id: 'E3_0080_TH_BL', title: 'An event without a program is refused (400)',
    requirement: 'programID is the one field an eventRequest requires: its absence gets 400 with a problem object.',
    async run(ctx) {
      const answer = await ctx.bl.request('POST', 'events', { body: { eventName: ctx.name('no-program-id'), intervals: [{ id: 0, intervalPeriod: { start: inAnHour(), duration: 'PT15M' }, payloads: [{ type: 'SIMPLE', values: [1] }] }] } });
      if (answer.status === 201) ctx.later(() => ctx.bl.request('DELETE', `events/${String(field(answer.body, 'id'))}`));
      expectProblem(answer, 400, 'POST events without programID');
    },
  },
  {
    id: 'E3_0090_TH_VEN', title: 'A VEN reads the events of its targets and not others\'', notApplicable: needsVen,
    requirement: 'A VEN client sees an event targeted at a target it was granted, and not one targeted elsewhere (3.1 per-VEN privacy).',
    async run(ctx) {
      const program = await ctx.program();
      const [mine, other] = [ctx.name('mine'), ctx.name('other')];
      await ctx.venObject([mine]);
      const [e1, e2] = [await ctx.event(program.id, { targets: [mine] }), await ctx.event(program.id, { targets: [other] })];
      // A VEN may have to name its targets (read_targets); the union of both reads is what it can see.
      const seen = [...idsOf(await ctx.ven.ok<unknown[]>('GET', 'events', undefined, 200, { limit: '50' })), ...idsOf(await ctx.ven.ok<unknown[]>('GET', 'events', undefined, 200, { targets: mine, limit: '50' }))];
      expectThat(seen.includes(e1.id), `the VEN should see ${e1.id} (targets ${mine}), saw ${[...new Set(seen)].join(', ') || 'nothing'}`);
      expectThat(!seen.includes(e2.id), `the VEN sees ${e2.id}, targeted at ${other} it was not granted`);
    },
  },
  {
    id: 'E3_0100_TH_VEN', title: 'A VEN cannot read another target\'s event by its ID', notApplicable: needsVen,
    requirement: 'GET events/{id} of an event not for the VEN gets 403 or 404 with a problem object.',
    async run(ctx) {
      const program = await ctx.program();
      await ctx.venObject([ctx.name('mine')]);
      const other = await ctx.event(program.id, { targets: [ctx.name('other')] });
      expectProblem(await ctx.ven.request('GET', `events/${other.id}`), [403, 404], 'GET of another target\'s event as a VEN');
    },
  },
];
