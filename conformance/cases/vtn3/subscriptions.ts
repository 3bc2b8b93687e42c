import { expectThat } from '../../harness/case.js';
import { expectProblem, type Callback, type Vtn3Actor, type Vtn3CaseContext } from '../../harness/vtn3-target.js';
import { field, inAnHour, needsVen, type Vtn3Case } from './common.js';

/** A subscription to events made by `who`, calling back the case's receiver; deleted after the case. */
async function subscribe(ctx: Vtn3CaseContext, who: Vtn3Actor, clientName: string, operations: readonly string[], path: string): Promise<{ id: string; url: string; token: string }> {
  const receiver = await ctx.callbacks();
  const url = `${receiver.baseUrl}/${path}`;
  const token = `conf-${ctx.run}-${path}`;
  const sub = await who.ok<{ id: string }>('POST', 'subscriptions', { clientName, objectOperations: [{ objects: ['EVENT'], operations: [...operations], callbackUrl: url, bearerToken: token }] }, 201);
  ctx.later(() => who.request('DELETE', `subscriptions/${sub.id}`));
  return { id: sub.id, url, token };
}

const about = (id: string, operation: string) => (c: Callback): boolean => field(c.body.object, 'id') === id && String(c.body.operation) === operation;

export const cases: readonly Vtn3Case[] = [
  {
    id: 'S3_0010_TH_BL', title: 'Create, read and delete a subscription',
    requirement: 'POST subscriptions answers 201 with objectType SUBSCRIPTION; GET by ID answers it; DELETE removes it (then 404).',
    async run(ctx) {
      const { id } = await subscribe(ctx, ctx.bl, 'conformance-bl', ['CREATE'], 'crud');
      const read = await ctx.bl.ok('GET', `subscriptions/${id}`);
      expectThat(read.objectType === 'SUBSCRIPTION' && read.id === id, `GET subscriptions/${id} answered ${JSON.stringify(read).slice(0, 200)}`);
      await ctx.bl.ok('DELETE', `subscriptions/${id}`, undefined, 200);
      expectProblem(await ctx.bl.request('GET', `subscriptions/${id}`), 404, 'GET of a deleted subscription');
    },
  },
  {
    id: 'S3_0020_TH_BL', title: 'A new event is notified to its subscriber\'s callback',
    requirement: 'With a subscription to EVENT CREATE, creating an event POSTs a notification (objectType EVENT, operation CREATE, the event) to the callback URL with the subscription\'s bearer token.',
    async run(ctx) {
      const { token } = await subscribe(ctx, ctx.bl, 'conformance-bl', ['CREATE'], 'create');
      const program = await ctx.program();
      const event = await ctx.event(program.id);
      const got = await (await ctx.callbacks()).waitFor(`of event ${event.id} created`, about(event.id, 'CREATE'));
      expectThat(got.body.objectType === 'EVENT', `objectType should be EVENT, got ${String(got.body.objectType)}`);
      expectThat(got.authorization === `Bearer ${token}`, `the callback should carry the subscription's bearer token, got ${got.authorization ?? 'no Authorization'}`);
    },
  },
  {
    id: 'S3_0030_TH_BL', title: 'Updates and deletes are notified',
    requirement: 'With a subscription to EVENT UPDATE and DELETE, a PUT and a DELETE of an event are each notified with that operation.',
    async run(ctx) {
      await subscribe(ctx, ctx.bl, 'conformance-bl', ['UPDATE', 'DELETE'], 'change');
      const program = await ctx.program();
      const event = await ctx.event(program.id);
      await ctx.bl.ok('PUT', `events/${event.id}`, { programID: program.id, intervalPeriod: { start: inAnHour(), duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [2] }] }] }, 200);
      const receiver = await ctx.callbacks();
      await receiver.waitFor(`of event ${event.id} updated`, about(event.id, 'UPDATE'));
      await ctx.bl.ok('DELETE', `events/${event.id}`, undefined, 200);
      await receiver.waitFor(`of event ${event.id} deleted`, about(event.id, 'DELETE'));
      expectThat(!receiver.received.some(about(event.id, 'CREATE')), 'a CREATE was notified to a subscription of UPDATE and DELETE only');
    },
  },
  {
    id: 'S3_0040_TH_BL', title: 'A deleted subscription is not called back',
    requirement: 'After DELETE subscriptions/{id}, changes are no longer notified to its callback.',
    async run(ctx) {
      const { id } = await subscribe(ctx, ctx.bl, 'conformance-bl', ['CREATE'], 'gone');
      await ctx.bl.ok('DELETE', `subscriptions/${id}`, undefined, 200);
      const program = await ctx.program();
      const event = await ctx.event(program.id);
      // A marker subscription made after the event's creation proves the VTN has moved on.
      await subscribe(ctx, ctx.bl, 'conformance-bl', ['UPDATE'], 'marker');
      await ctx.bl.ok('PUT', `events/${event.id}`, { programID: program.id, intervalPeriod: { start: inAnHour(), duration: 'PT15M' }, intervals: [{ id: 0, payloads: [{ type: 'SIMPLE', values: [3] }] }] }, 200);
      const receiver = await ctx.callbacks();
      await receiver.waitFor(`of event ${event.id} updated (marker)`, about(event.id, 'UPDATE'));
      expectThat(!receiver.received.some((c) => c.path.endsWith('/gone')), 'a deleted subscription was called back');
    },
  },
  {
    id: 'S3_0050_TH_BL', title: 'A subscription without objectOperations is refused (400)',
    requirement: 'objectOperations is required: its absence gets 400 with a problem object.',
    async run(ctx) {
      const answer = await ctx.bl.request('POST', 'subscriptions', { body: { clientName: 'conformance-bl' } });
      if (answer.status === 201) ctx.later(() => ctx.bl.request('DELETE', `subscriptions/${String(field(answer.body, 'id'))}`));
      expectProblem(answer, 400, 'POST subscriptions without objectOperations');
    },
  },
  {
    id: 'S3_0060_TH_VEN', title: 'A VEN is notified of its targets\' events only', notApplicable: needsVen,
    requirement: 'A VEN client\'s subscription to EVENT CREATE is called back for an event targeted at its granted target, and not for one targeted elsewhere.',
    async run(ctx) {
      const [mine, other] = [ctx.name('mine'), ctx.name('other')];
      const ven = await ctx.venObject([mine]);
      await subscribe(ctx, ctx.ven, ven.venName, ['CREATE'], 'ven');
      const program = await ctx.program();
      const elsewhere = await ctx.event(program.id, { targets: [other] });
      const ours = await ctx.event(program.id, { targets: [mine] });
      const receiver = await ctx.callbacks();
      await receiver.waitFor(`of event ${ours.id} (targets ${mine})`, about(ours.id, 'CREATE'));
      expectThat(!receiver.received.some((c) => field(c.body.object, 'id') === elsewhere.id), `the VEN was notified of ${elsewhere.id}, targeted at ${other} it was not granted`);
    },
  },
];
