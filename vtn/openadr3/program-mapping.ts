import type { Object3Record, ProgramRecord } from '../store/records.js';
import { compact } from './event-mapping.js';
import { iso, type ProgramRequest } from '../../schemas/openadr3/model.js';

/** A shared program as an OpenADR 3 program object: the record, plus the 3.x fields kept beside it. */
export function programObject(program: ProgramRecord, extras: Object3Record | undefined): Record<string, unknown> {
  const request = (extras?.body ?? {}) as Partial<ProgramRequest>;
  return compact({
    id: program.programId, createdDateTime: iso(program.createdAt), modificationDateTime: iso(extras?.updatedAt ?? program.createdAt), objectType: 'PROGRAM',
    ...request,
    programName: program.name,
    programDescriptions: request.programDescriptions ?? (/^https?:/.test(program.marketContext) ? [{ URL: program.marketContext }] : undefined),
  });
}
