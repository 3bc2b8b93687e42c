import { expectThat } from '../../harness/case.js';
import { expectProblem } from '../../harness/vtn3-target.js';
import { field, idsOf, needsVen, type Vtn3Case } from './common.js';

export const cases: readonly Vtn3Case[] = [
  {
    id: 'V3_0010_TH_BL', title: 'Business logic enrols a VEN',
    requirement: 'POST vens (BL_VEN_REQUEST with the VEN\'s clientID) answers 201 with objectType VEN; a read by ID answers it.',
    async run(ctx) {
      const ven = await ctx.bl.ok<Record<string, unknown> & { id: string }>('POST', 'vens', { objectType: 'BL_VEN_REQUEST', clientID: ctx.name('client'), venName: ctx.name('ven') }, 201);
      ctx.later(() => ctx.bl.request('DELETE', `vens/${ven.id}`));
      expectThat(ven.objectType === 'VEN' && ven.venName === ctx.name('ven'), `expected a VEN named ${ctx.name('ven')}, got ${JSON.stringify(ven).slice(0, 200)}`);
      const read = await ctx.bl.ok('GET', `vens/${ven.id}`);
      expectThat(read.id === ven.id, `GET vens/${ven.id} answered ${JSON.stringify(read).slice(0, 200)}`);
    },
  },
  {
    id: 'V3_0020_TH_BL', title: 'Search VENs by name',
    requirement: 'GET vens?venName= answers that VEN only.',
    async run(ctx) {
      const made = [];
      for (const label of ['ven-a', 'ven-b']) {
        const ven = await ctx.bl.ok<{ id: string }>('POST', 'vens', { objectType: 'BL_VEN_REQUEST', clientID: ctx.name(`client-${label}`), venName: ctx.name(label) }, 201);
        ctx.later(() => ctx.bl.request('DELETE', `vens/${ven.id}`));
        made.push(ven.id);
      }
      const found = idsOf(await ctx.bl.ok<unknown[]>('GET', 'vens', undefined, 200, { venName: ctx.name('ven-a') }));
      expectThat(found.length === 1 && found[0] === made[0], `vens?venName=${ctx.name('ven-a')} should answer ${made[0]} only, got ${found.join(', ') || 'nothing'}`);
    },
  },
  {
    id: 'V3_0030_TH_BL', title: 'Business logic grants a VEN targets',
    requirement: 'PUT vens/{id} with targets stores them; a read shows them.',
    async run(ctx) {
      const ven = await ctx.bl.ok<{ id: string }>('POST', 'vens', { objectType: 'BL_VEN_REQUEST', clientID: ctx.name('client'), venName: ctx.name('ven') }, 201);
      ctx.later(() => ctx.bl.request('DELETE', `vens/${ven.id}`));
      await ctx.bl.ok('PUT', `vens/${ven.id}`, { objectType: 'BL_VEN_REQUEST', clientID: ctx.name('client'), venName: ctx.name('ven'), targets: [ctx.name('feeder')] }, 200);
      const read = await ctx.bl.ok('GET', `vens/${ven.id}`);
      expectThat(JSON.stringify(read.targets ?? []).includes(ctx.name('feeder')), `targets after PUT should include ${ctx.name('feeder')}, got ${JSON.stringify(read.targets)}`);
    },
  },
  {
    id: 'V3_0040_TH_VEN', title: 'A VEN client reads only its own VENs', notApplicable: needsVen,
    requirement: 'A VEN client\'s GET vens answers its own VEN and not another client\'s; reading the other by ID gets 403 or 404.',
    async run(ctx) {
      const mine = await ctx.venObject();
      const other = await ctx.bl.ok<{ id: string }>('POST', 'vens', { objectType: 'BL_VEN_REQUEST', clientID: ctx.name('someone-else'), venName: ctx.name('not-mine') }, 201);
      ctx.later(() => ctx.bl.request('DELETE', `vens/${other.id}`));
      const seen = idsOf(await ctx.ven.ok<unknown[]>('GET', 'vens'));
      expectThat(seen.includes(mine.id), `the VEN client should see its VEN ${mine.id}, saw ${seen.join(', ') || 'nothing'}`);
      expectThat(!seen.includes(other.id), `the VEN client sees ${other.id}, another client's VEN`);
      expectProblem(await ctx.ven.request('GET', `vens/${other.id}`), [403, 404], 'GET of another client\'s VEN');
    },
  },
  {
    id: 'V3_0050_TH_VEN', title: 'A VEN client describes its resources', notApplicable: needsVen,
    requirement: 'POST resources (VEN_RESOURCE_REQUEST for its VEN) answers 201 with objectType RESOURCE; GET resources?venID= lists it.',
    async run(ctx) {
      const ven = await ctx.venObject();
      const resource = await ctx.ven.ok<Record<string, unknown> & { id: string }>('POST', 'resources', { objectType: 'VEN_RESOURCE_REQUEST', clientID: ctx.target.ven!.clientId, resourceName: ctx.name('meter'), venID: ven.id }, 201);
      ctx.later(() => ctx.ven.request('DELETE', `resources/${resource.id}`));
      expectThat(resource.objectType === 'RESOURCE' && field(resource, 'venID') === ven.id, `expected a RESOURCE of VEN ${ven.id}, got ${JSON.stringify(resource).slice(0, 200)}`);
      const listed = idsOf(await ctx.ven.ok<unknown[]>('GET', 'resources', undefined, 200, { venID: ven.id }));
      expectThat(listed.includes(resource.id), `resources?venID=${ven.id} should list ${resource.id}, got ${listed.join(', ') || 'nothing'}`);
    },
  },
];
