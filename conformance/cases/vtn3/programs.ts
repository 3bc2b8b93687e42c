import { expectThat } from '../../harness/case.js';
import { expectProblem, expectStatus } from '../../harness/vtn3-target.js';
import { field, idsOf, needsVen, type Vtn3Case } from './common.js';

export const cases: readonly Vtn3Case[] = [
  {
    id: 'P3_0010_TH_BL', title: 'Create a program',
    requirement: 'POST programs answers 201 with the program: an id, objectType PROGRAM, creation time, the name given.',
    async run(ctx) {
      const program = await ctx.program();
      expectThat(typeof program.id === 'string' && program.id.length > 0, 'the program has no id');
      expectThat(program.objectType === 'PROGRAM', `objectType should be PROGRAM, got ${String(program.objectType)}`);
      expectThat(program.programName === ctx.name('program'), `programName should be ${ctx.name('program')}, got ${String(program.programName)}`);
      expectThat(!Number.isNaN(Date.parse(String(program.createdDateTime))), `createdDateTime should be a date-time, got ${String(program.createdDateTime)}`);
    },
  },
  {
    id: 'P3_0020_TH_BL', title: 'Read a program by its ID',
    requirement: 'GET programs/{id} answers the program as created.',
    async run(ctx) {
      const program = await ctx.program();
      const read = await ctx.bl.ok('GET', `programs/${program.id}`);
      expectThat(read.id === program.id && read.programName === program.programName, `read ${JSON.stringify(read).slice(0, 200)} differs from the created program`);
    },
  },
  {
    id: 'P3_0030_TH_BL', title: 'Update a program',
    requirement: 'PUT programs/{id} replaces the program; a read shows the change and a modificationDateTime not before the creation.',
    async run(ctx) {
      const program = await ctx.program();
      const renamed = ctx.name('renamed');
      await ctx.bl.ok('PUT', `programs/${program.id}`, { programName: renamed }, 200);
      const read = await ctx.bl.ok('GET', `programs/${program.id}`);
      expectThat(read.programName === renamed, `programName after PUT should be ${renamed}, got ${String(read.programName)}`);
      expectThat(Date.parse(String(read.modificationDateTime)) >= Date.parse(String(program.createdDateTime)), `modificationDateTime ${String(read.modificationDateTime)} is before the creation`);
    },
  },
  {
    id: 'P3_0040_TH_BL', title: 'A second program of the same name is refused (409)',
    requirement: 'programName is unique: a duplicate gets 409 with a problem object.',
    async run(ctx) {
      const program = await ctx.program();
      const again = await ctx.bl.request('POST', 'programs', { body: { programName: program.programName } });
      if (again.status === 201) ctx.later(() => ctx.bl.request('DELETE', `programs/${String(field(again.body, 'id'))}`));
      expectProblem(again, 409, 'POST programs with a name in use');
    },
  },
  {
    id: 'P3_0050_TH_BL', title: 'A program without a name is refused (400)',
    requirement: 'programName is required: its absence gets 400 with a problem object.',
    async run(ctx) {
      expectProblem(await ctx.bl.request('POST', 'programs', { body: { programLongName: 'no name' } }), 400, 'POST programs without programName');
    },
  },
  {
    id: 'P3_0060_TH_BL', title: 'An unknown program is not found (404)',
    requirement: 'GET programs/{id} of no program gets 404 with a problem object.',
    async run(ctx) {
      expectProblem(await ctx.bl.request('GET', `programs/${ctx.name('missing')}`), 404, 'GET of an unknown program');
    },
  },
  {
    id: 'P3_0070_TH_BL', title: 'Programs are paged by skip and limit',
    requirement: 'A search answers at most limit objects; walking skip by limit finds every program once.',
    async run(ctx) {
      const made = [await ctx.program('page-a'), await ctx.program('page-b'), await ctx.program('page-c')].map((p) => p.id);
      const seen: string[] = [];
      for (let skip = 0; skip < 10_000; skip += 2) {
        const page = await ctx.bl.ok<unknown[]>('GET', 'programs', undefined, 200, { skip: String(skip), limit: '2' });
        expectThat(Array.isArray(page) && page.length <= 2, `a page of limit 2 had ${Array.isArray(page) ? page.length : 'no list of'} objects`);
        seen.push(...idsOf(page));
        if (page.length < 2) break;
      }
      for (const id of made) expectThat(seen.filter((s) => s === id).length === 1, `program ${id} was seen ${seen.filter((s) => s === id).length} times walking the pages`);
    },
  },
  {
    id: 'P3_0080_TH_BL', title: 'A limit above 50 is refused (400)',
    requirement: 'limit has maximum 50 in the specification: limit=51 gets 400 with a problem object.',
    async run(ctx) {
      expectProblem(await ctx.bl.request('GET', 'programs', { query: { limit: '51' } }), 400, 'GET programs?limit=51');
    },
  },
  {
    id: 'P3_0090_TH_VEN', title: 'A VEN client reads programs', notApplicable: needsVen,
    requirement: 'read_all or read_targets lets a VEN search programs: 200 with a list.',
    async run(ctx) {
      await ctx.venObject();
      const answer = await ctx.ven.request('GET', 'programs');
      expectStatus(answer, 200, 'GET programs as a VEN');
      expectThat(Array.isArray(answer.body), `GET programs as a VEN should answer a list, got ${answer.text.slice(0, 200)}`);
    },
  },
  {
    id: 'P3_0100_TH_BL', title: 'Delete a program, or refuse with a reason',
    requirement: 'DELETE programs/{id} answers the deleted program (then a read is 404), or a 409 problem when the VTN keeps it.',
    async run(ctx) {
      const program = await ctx.program();
      const answer = await ctx.bl.request('DELETE', `programs/${program.id}`);
      if (answer.status === 409) return expectProblem(answer, 409, 'DELETE program refused');
      expectStatus(answer, 200, 'DELETE program');
      expectThat(field(answer.body, 'id') === program.id, `DELETE should answer the deleted program, got ${answer.text.slice(0, 200)}`);
      expectProblem(await ctx.bl.request('GET', `programs/${program.id}`), 404, 'GET of a deleted program');
    },
  },
];
