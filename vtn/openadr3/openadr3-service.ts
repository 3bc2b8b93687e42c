import type { Clock } from '../../src/clock.js';
import type { OperatorService } from '../service/index.js';
import { eventInputFromJson } from '../api/operator-schemas.js';
import type { EventRecord, Object3Kind, Object3Record, ReadingRecord, VenRecord } from '../store/records.js';
import { OPENADR3_TRANSPORT } from '../store/record-rules.js';
import type { VtnStore, VtnStoreTransaction } from '../store/store.js';
import { OperatorApiError } from '../errors.js';
import { requireScope, type Principal } from './auth.js';
import { compact, eventInputJson, eventObject, type EventExtras } from './event-mapping.js';
import { durationMs3 } from '../../schemas/openadr3/signals.js';
import { programObject } from './program-mapping.js';
import { iso, type EventRequest, type ObjectType3, type ProgramRequest, type ReportRequest3, type ResourceRequest3, type SubscriptionRequest, type VenRequest3 } from '../../schemas/openadr3/model.js';

/** Skip and limit of a search (limit at most 50, as the specification's schema says). */
export interface Page { readonly skip: number; readonly limit: number }

export interface Openadr3Deps {
  readonly operator: OperatorService;
  readonly store: VtnStore;
  readonly clock: Clock;
  readonly newId: () => string;
  /** Told, in the transaction, of every change to a VEN-side object (VEN, resource, report, subscription) for notifications; programs and events are told by the operator service. */
  readonly changed?: (change: Change3, tx: VtnStoreTransaction) => Promise<void>;
}

export interface Change3 {
  readonly objectType: ObjectType3;
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly object: Record<string, unknown>;
  /** The program it belongs to, where it has one (subscriptions may be scoped to a program). */
  readonly programId?: string;
  readonly targets?: readonly string[];
}

const notFound = (what: string): never => { throw new OperatorApiError(404, `no ${what}`); };
const conflict = (detail: string): never => { throw new OperatorApiError(409, detail); };
const badRequest = (detail: string): never => { throw new OperatorApiError(400, detail); };
const isObjectId = (s: string): boolean => /^[a-zA-Z0-9_-]{1,128}$/.test(s);
const page = <T>(items: readonly T[], p: Page): T[] => items.slice(p.skip, p.skip + p.limit);
const intersect = (a: readonly string[], b: ReadonlySet<string>): string[] => a.filter((t) => b.has(t));
const canReadAll = (p: Principal): boolean => p.scopes.has('read_all');

/**
 * The OpenADR 3 objects over the shared store: programs and events are the ones 2.0b VENs see
 * (created through the operator service), reports become readings, VENs are VTN VENs with the
 * `openadr3` transport. Privacy per the specification: business logic reads everything; a VEN
 * reads its own VENs, resources, reports and subscriptions, and the programs and events whose
 * targets were granted to it.
 */
export class Openadr3Service {
  constructor(private readonly deps: Openadr3Deps) {}

  // ——— who a VEN client is ———

  /** The VEN objects of a client, and the targets granted to it (its VENs' and their resources'). */
  private async grants(p: Principal): Promise<{ venIds: Set<string>; targets: Set<string> }> {
    const vens = await this.deps.store.read.listObjects3('ven', p.clientId);
    const venIds = new Set(vens.map((v) => v.id));
    const targets = new Set(vens.flatMap((v) => (v.body.targets as string[] | undefined) ?? []));
    for (const r of await this.deps.store.read.listObjects3('resource')) {
      if (venIds.has(String(r.body.venID))) for (const t of (r.body.targets as string[] | undefined) ?? []) targets.add(t);
    }
    return { venIds, targets };
  }

  /** Whether an object with these targets is visible to a VEN, and which of its targets it may see. */
  private targeted(objectTargets: readonly string[] | undefined, granted: ReadonlySet<string>, asked: readonly string[] | undefined): { visible: boolean; shown: string[] | undefined } {
    const effective = asked?.length ? new Set(asked.filter((t) => granted.has(t))) : granted;
    if (!objectTargets?.length) return { visible: !asked?.length, shown: undefined };
    const shown = intersect(objectTargets, effective);
    return { visible: shown.length > 0, shown };
  }

  // ——— programs ———

  private async programExtras(id: string): Promise<Object3Record | undefined> {
    return this.deps.store.read.getObject3('program', id);
  }

  async listPrograms(p: Principal, q: { targets?: readonly string[] } & Page): Promise<Record<string, unknown>[]> {
    requireScope(p, 'read_all', 'read_targets');
    const programs = await this.deps.store.read.listPrograms();
    const extras = new Map((await this.deps.store.read.listObjects3('program')).map((o) => [o.id, o]));
    const grants = canReadAll(p) ? undefined : await this.grants(p);
    const out: Record<string, unknown>[] = [];
    for (const program of [...programs].sort((a, b) => a.createdAt - b.createdAt || a.programId.localeCompare(b.programId))) {
      const object = programObject(program, extras.get(program.programId));
      const visible = this.filterTargets(object, grants, q.targets);
      if (visible) out.push(visible);
    }
    return page(out, q);
  }

  /** The object as this principal may see it (targets hidden), or undefined when it may not. */
  private filterTargets(object: Record<string, unknown>, grants: { targets: Set<string> } | undefined, asked: readonly string[] | undefined): Record<string, unknown> | undefined {
    const targets = object.targets as string[] | undefined;
    if (!grants) return !asked?.length || targets?.some((t) => asked.includes(t)) ? object : undefined;
    const { visible, shown } = this.targeted(targets, grants.targets, asked);
    return visible ? compact({ ...object, targets: shown }) : undefined;
  }

  async getProgram(p: Principal, id: string): Promise<Record<string, unknown>> {
    requireScope(p, 'read_all', 'read_targets');
    const program = await this.deps.store.read.getProgram(id) ?? notFound(`program ${id}`);
    const object = programObject(program, await this.programExtras(id));
    return (canReadAll(p) ? object : this.filterTargets(object, await this.grants(p), undefined)) ?? notFound(`program ${id}`);
  }

  async createProgram(p: Principal, body: ProgramRequest): Promise<Record<string, unknown>> {
    requireScope(p, 'write_programs');
    const programs = await this.deps.store.read.listPrograms();
    if (programs.some((x) => x.name === body.programName)) conflict(`a program named ${body.programName} exists`);
    const id = isObjectId(body.programName) && !programs.some((x) => x.programId === body.programName) ? body.programName : this.deps.newId();
    const url = body.programDescriptions?.[0]?.URL;
    let result: Record<string, unknown> = {};
    await this.deps.operator.createProgram({ programId: id, name: body.programName, marketContext: url && /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `urn:flexbridge:program:${id}` }, async (tx, program) => {
      const extras = this.object3('program', id, undefined, requestFields(body), program.createdAt);
      await tx.putObject3(extras);
      result = programObject(program, extras);
    });
    return result;
  }

  async updateProgram(p: Principal, id: string, body: ProgramRequest): Promise<Record<string, unknown>> {
    requireScope(p, 'write_programs');
    const current = await this.deps.store.read.getProgram(id) ?? notFound(`program ${id}`);
    if ((await this.deps.store.read.listPrograms()).some((x) => x.name === body.programName && x.programId !== id)) conflict(`a program named ${body.programName} exists`);
    const url = body.programDescriptions?.[0]?.URL;
    let result: Record<string, unknown> = {};
    await this.deps.operator.updateProgram(id, { name: body.programName, marketContext: url && /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : current.marketContext }, async (tx, program) => {
      const previous = await tx.getObject3('program', id);
      const extras = { ...this.object3('program', id, undefined, requestFields(body), previous?.createdAt ?? program.createdAt), updatedAt: this.deps.clock.now() };
      await tx.putObject3(extras);
      result = programObject(program, extras);
    });
    return result;
  }

  async deleteProgram(p: Principal, id: string): Promise<never> {
    requireScope(p, 'write_programs');
    await this.deps.store.read.getProgram(id) ?? notFound(`program ${id}`);
    return conflict(`program ${id} is kept: settlements on the ledger refer to it (update it instead)`);
  }

  // ——— events ———

  private async eventView(record: EventRecord): Promise<Record<string, unknown>> {
    const extras = await this.deps.store.read.getObject3('event', record.eventId);
    return eventObject(record, extras?.body as EventExtras | undefined);
  }

  async listEvents(p: Principal, q: { programID?: string; targets?: readonly string[]; active?: boolean } & Page): Promise<Record<string, unknown>[]> {
    requireScope(p, 'read_all', 'read_targets');
    // A VEN sees the events that target one of its VENs (by ID, group or resource, as 2.0b VENs do).
    const grants = canReadAll(p) ? undefined : await this.grants(p);
    // Filtered and paged by the store (3.x targets are the event's target groups): only the page is read.
    const records = await this.deps.store.read.searchEvents({
      skip: q.skip, limit: q.limit,
      ...(q.programID ? { programId: q.programID } : {}), ...(q.targets?.length ? { groupIds: q.targets } : {}),
      ...(q.active ? { endsAfter: this.deps.clock.now() } : {}), ...(grants ? { venIds: [...grants.venIds] } : {}),
    });
    const out: Record<string, unknown>[] = [];
    for (const record of records) {
      const object = await this.eventView(record);
      const targets = object.targets as string[] | undefined;
      out.push(grants ? compact({ ...object, targets: targets ? intersect(targets, grants.targets) : undefined }) : object);
    }
    return out;
  }

  async getEvent(p: Principal, id: string): Promise<Record<string, unknown>> {
    requireScope(p, 'read_all', 'read_targets');
    const record = await this.deps.store.read.getEvent(id);
    if (!record || record.cancelled) return notFound(`event ${id}`);
    const object = await this.eventView(record);
    if (canReadAll(p)) return object;
    const grants = await this.grants(p);
    const targetedVens = new Set(await this.deps.store.read.eventTargets(id));
    if (![...grants.venIds].some((v) => targetedVens.has(v))) return notFound(`event ${id}`);
    const targets = object.targets as string[] | undefined;
    return compact({ ...object, targets: targets ? intersect(targets, grants.targets) : undefined });
  }

  async createEvent(p: Principal, body: EventRequest): Promise<Record<string, unknown>> {
    requireScope(p, 'write_events');
    const id = this.deps.newId();
    const input = eventInputFromJson(eventInputJson(body, id, this.deps.clock.now()));
    let result: Record<string, unknown> = {};
    await this.deps.operator.createEvent(input, async (tx, record) => {
      await this.putEventExtras(tx, record, body);
      result = eventObject(record, { modificationNumber: record.modificationNumber, request: body });
    });
    return result;
  }

  async updateEvent(p: Principal, id: string, body: EventRequest): Promise<Record<string, unknown>> {
    requireScope(p, 'write_events');
    const current = await this.deps.store.read.getEvent(id);
    if (!current || current.cancelled) return notFound(`event ${id}`);
    const input = eventInputFromJson(eventInputJson(body, undefined, this.deps.clock.now()));
    let result: Record<string, unknown> = {};
    await this.deps.operator.modifyEvent(id, input, async (tx, record) => {
      await this.putEventExtras(tx, record, body);
      result = eventObject(record, { modificationNumber: record.modificationNumber, request: body });
    });
    return result;
  }

  /** DELETE cancels the event for 2.0b VENs (they must hear of it) and removes it from the 3.x API. */
  async deleteEvent(p: Principal, id: string): Promise<Record<string, unknown>> {
    requireScope(p, 'write_events');
    const current = await this.deps.store.read.getEvent(id);
    if (!current || current.cancelled) return notFound(`event ${id}`);
    const object = await this.eventView(current);
    await this.deps.operator.cancelEvent(id, 'deleted through the OpenADR 3 API', async (tx, record) => {
      await tx.deleteObject3('event', id);
    });
    return object;
  }

  private async putEventExtras(tx: VtnStoreTransaction, record: EventRecord, body: EventRequest): Promise<void> {
    const previous = await tx.getObject3('event', record.eventId);
    const extras: EventExtras = { modificationNumber: record.modificationNumber, request: requestFields(body) as EventRequest };
    await tx.putObject3({ kind: 'event', id: record.eventId, body: extras as unknown as Record<string, unknown>, createdAt: previous?.createdAt ?? record.createdAt, updatedAt: record.updatedAt });
  }

  // ——— VENs and resources (VEN objects are VTN VENs with the openadr3 transport) ———

  private object3(kind: Object3Kind, id: string, clientId: string | undefined, body: Record<string, unknown>, createdAt: number): Object3Record {
    return { kind, id, ...(clientId ? { clientId } : {}), body, createdAt, updatedAt: this.deps.clock.now() };
  }

  /** Lists objects of a kind this principal may read: all for business logic, its own for a VEN. */
  private async own(p: Principal, kind: Object3Kind): Promise<Object3Record[]> {
    requireScope(p, 'read_all', 'read_ven_objects');
    return this.deps.store.read.listObjects3(kind, canReadAll(p) ? undefined : p.clientId);
  }

  private async ownOne(p: Principal, kind: Object3Kind, id: string, what: string): Promise<Object3Record> {
    requireScope(p, 'read_all', 'read_ven_objects');
    const found = await this.deps.store.read.getObject3(kind, id);
    // Another client's object is answered as absent: its existence is not this client's business.
    if (!found || (!canReadAll(p) && found.clientId !== p.clientId)) return notFound(`${what} ${id}`);
    return found;
  }

  async listVens(p: Principal, q: { venName?: string; targets?: readonly string[] } & Page): Promise<Record<string, unknown>[]> {
    const vens = (await this.own(p, 'ven')).filter((v) => (!q.venName || v.body.venName === q.venName)
      && (!q.targets?.length || ((v.body.targets as string[] | undefined) ?? []).some((t) => q.targets!.includes(t))));
    return page(vens.map((v) => v.body as Record<string, unknown>), q);
  }

  async getVen(p: Principal, id: string): Promise<Record<string, unknown>> {
    return (await this.ownOne(p, 'ven', id, 'VEN')).body as Record<string, unknown>;
  }

  async createVen(p: Principal, body: VenRequest3): Promise<Record<string, unknown>> {
    requireScope(p, 'write_vens');
    const bl = canReadAll(p);
    if (!bl && body.targets?.length) throw new OperatorApiError(403, 'only business logic may grant targets to a VEN');
    const clientId = bl ? body.clientID ?? badRequest('clientID: business logic names the client the VEN belongs to') : p.clientId;
    if ((await this.deps.store.read.listObjects3('ven')).some((v) => v.body.venName === body.venName)) conflict(`a VEN named ${body.venName} exists`);
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    const object = compact({ id, createdDateTime: iso(now), modificationDateTime: iso(now), objectType: 'VEN', clientID: clientId, venName: body.venName, attributes: body.attributes, targets: body.targets });
    await this.writeVen(id, object, clientId, now, 'CREATE', []);
    return object;
  }

  async updateVen(p: Principal, id: string, body: VenRequest3): Promise<Record<string, unknown>> {
    requireScope(p, 'write_vens');
    const current = await this.ownOne(p, 'ven', id, 'VEN');
    const bl = canReadAll(p);
    const targets = bl ? body.targets : (current.body.targets as string[] | undefined);
    if (!bl && body.targets?.length && JSON.stringify(body.targets) !== JSON.stringify(current.body.targets ?? [])) throw new OperatorApiError(403, 'only business logic may grant targets to a VEN');
    if ((await this.deps.store.read.listObjects3('ven')).some((v) => v.body.venName === body.venName && v.id !== id)) conflict(`a VEN named ${body.venName} exists`);
    const now = this.deps.clock.now();
    const object = compact({ ...current.body, modificationDateTime: iso(now), venName: body.venName, attributes: body.attributes, targets, ...(bl && body.clientID ? { clientID: body.clientID } : {}) });
    await this.writeVen(id, object, String(object.clientID), current.createdAt, 'UPDATE', await this.resourceTargets(id));
    return object;
  }

  async deleteVen(p: Principal, id: string): Promise<Record<string, unknown>> {
    requireScope(p, 'write_vens');
    const current = await this.ownOne(p, 'ven', id, 'VEN');
    const record = await this.deps.store.read.getVen(id);
    const ven: VenRecord = { ...(record ?? this.venRecord(id, current.body, [])), state: 'cancelled' };
    // The VTN VEN stays (cancelled), as a 2.0b VEN's does: readings and settlements refer to it.
    await this.deps.operator.putManagedVen(ven, async (tx) => {
      await tx.deleteObject3('ven', id);
      for (const r of await tx.listObjects3('resource')) if (r.body.venID === id) await tx.deleteObject3('resource', r.id);
      await this.deps.changed?.({ objectType: 'VEN', operation: 'DELETE', object: current.body as Record<string, unknown> }, tx);
    });
    return current.body as Record<string, unknown>;
  }

  private venRecord(id: string, object: Readonly<Record<string, unknown>>, resourceTargets: readonly string[]): VenRecord {
    const targets = [...new Set([...((object.targets as string[] | undefined) ?? []), ...resourceTargets])];
    return {
      venId: id, registrationId: `openadr3-${id}`, venName: String(object.venName), profileName: '3.1.0', transportName: OPENADR3_TRANSPORT,
      httpPullModel: true, reportOnly: false, xmlSignature: false, registeredAt: Date.parse(String(object.createdDateTime)), state: 'registered',
      // 3.x targets are 2.0b groups: an event for group g reaches 2.0b and 3.x VENs granted g alike.
      groupIds: targets, resourceIds: [],
    };
  }

  private async resourceTargets(venId: string): Promise<string[]> {
    return (await this.deps.store.read.listObjects3('resource')).filter((r) => r.body.venID === venId).flatMap((r) => (r.body.targets as string[] | undefined) ?? []);
  }

  private async writeVen(id: string, object: Record<string, unknown>, clientId: string, createdAt: number, operation: 'CREATE' | 'UPDATE', resourceTargets: readonly string[]): Promise<void> {
    await this.deps.operator.putManagedVen(this.venRecord(id, object, resourceTargets), async (tx) => {
      await tx.putObject3({ kind: 'ven', id, clientId, body: object, createdAt, updatedAt: this.deps.clock.now() });
      await this.deps.changed?.({ objectType: 'VEN', operation, object, ...(object.targets ? { targets: object.targets as string[] } : {}) }, tx);
    });
  }

  async listResources(p: Principal, q: { resourceName?: string; venID?: string; targets?: readonly string[] } & Page): Promise<Record<string, unknown>[]> {
    const resources = (await this.own(p, 'resource')).filter((r) => (!q.resourceName || r.body.resourceName === q.resourceName) && (!q.venID || r.body.venID === q.venID)
      && (!q.targets?.length || ((r.body.targets as string[] | undefined) ?? []).some((t) => q.targets!.includes(t))));
    return page(resources.map((r) => r.body as Record<string, unknown>), q);
  }

  async getResource(p: Principal, id: string): Promise<Record<string, unknown>> {
    return (await this.ownOne(p, 'resource', id, 'resource')).body as Record<string, unknown>;
  }

  async createResource(p: Principal, body: ResourceRequest3): Promise<Record<string, unknown>> {
    requireScope(p, 'write_vens');
    const ven = await this.ownOne(p, 'ven', body.venID, 'VEN');
    if (!canReadAll(p) && body.targets?.length) throw new OperatorApiError(403, 'only business logic may grant targets to a resource');
    const siblings = (await this.deps.store.read.listObjects3('resource')).filter((r) => r.body.venID === body.venID);
    if (siblings.some((r) => r.body.resourceName === body.resourceName)) conflict(`VEN ${body.venID} has a resource named ${body.resourceName}`);
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    const object = compact({ id, createdDateTime: iso(now), modificationDateTime: iso(now), objectType: 'RESOURCE', clientID: ven.clientId, resourceName: body.resourceName, venID: body.venID, attributes: body.attributes, targets: body.targets });
    await this.writeResource(id, object, ven, now, 'CREATE');
    return object;
  }

  async updateResource(p: Principal, id: string, body: ResourceRequest3): Promise<Record<string, unknown>> {
    requireScope(p, 'write_vens');
    const current = await this.ownOne(p, 'resource', id, 'resource');
    if (body.venID !== current.body.venID) badRequest('venID: a resource stays with its VEN');
    const bl = canReadAll(p);
    if (!bl && body.targets?.length && JSON.stringify(body.targets) !== JSON.stringify(current.body.targets ?? [])) throw new OperatorApiError(403, 'only business logic may grant targets to a resource');
    const ven = await this.ownOne(p, 'ven', body.venID, 'VEN');
    const object = compact({ ...current.body, modificationDateTime: iso(this.deps.clock.now()), resourceName: body.resourceName, attributes: body.attributes, targets: bl ? body.targets : current.body.targets });
    await this.writeResource(id, object, ven, current.createdAt, 'UPDATE');
    return object;
  }

  async deleteResource(p: Principal, id: string): Promise<Record<string, unknown>> {
    requireScope(p, 'write_vens');
    const current = await this.ownOne(p, 'resource', id, 'resource');
    const ven = await this.deps.store.read.getObject3('ven', String(current.body.venID));
    const remaining = (await this.deps.store.read.listObjects3('resource')).filter((r) => r.body.venID === current.body.venID && r.id !== id).flatMap((r) => (r.body.targets as string[] | undefined) ?? []);
    await this.deps.operator.putManagedVen(this.venRecord(String(current.body.venID), ven?.body ?? { venName: '', createdDateTime: iso(current.createdAt) }, remaining), async (tx) => {
      await tx.deleteObject3('resource', id);
      await this.deps.changed?.({ objectType: 'RESOURCE', operation: 'DELETE', object: current.body as Record<string, unknown> }, tx);
    });
    return current.body as Record<string, unknown>;
  }

  private async writeResource(id: string, object: Record<string, unknown>, ven: Object3Record, createdAt: number, operation: 'CREATE' | 'UPDATE'): Promise<void> {
    const others = (await this.deps.store.read.listObjects3('resource')).filter((r) => r.body.venID === ven.id && r.id !== id).flatMap((r) => (r.body.targets as string[] | undefined) ?? []);
    const targets = [...others, ...((object.targets as string[] | undefined) ?? [])];
    await this.deps.operator.putManagedVen(this.venRecord(ven.id, ven.body, targets), async (tx) => {
      await tx.putObject3({ kind: 'resource', id, ...(ven.clientId ? { clientId: ven.clientId } : {}), body: object, createdAt, updatedAt: this.deps.clock.now() });
      await this.deps.changed?.({ objectType: 'RESOURCE', operation, object, ...(object.targets ? { targets: object.targets as string[] } : {}) }, tx);
    });
  }

  // ——— reports: stored whole, and their numbers as readings of the VEN (anchored like 2.0b telemetry) ———

  async listReports(p: Principal, q: { programID?: string; eventID?: string; clientName?: string } & Page): Promise<Record<string, unknown>[]> {
    const reports = (await this.own(p, 'report')).filter((r) => (!q.eventID || r.body.eventID === q.eventID) && (!q.clientName || r.body.clientName === q.clientName));
    let out = reports;
    if (q.programID) {
      const events = new Set((await this.deps.store.read.listEvents()).filter((e) => e.programId === q.programID).map((e) => e.eventId));
      out = reports.filter((r) => events.has(String(r.body.eventID)));
    }
    return page(out.map((r) => r.body as Record<string, unknown>), q);
  }

  async getReport(p: Principal, id: string): Promise<Record<string, unknown>> {
    return (await this.ownOne(p, 'report', id, 'report')).body as Record<string, unknown>;
  }

  async createReport(p: Principal, body: ReportRequest3): Promise<Record<string, unknown>> {
    requireScope(p, 'write_reports');
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    const object = compact({ id, createdDateTime: iso(now), modificationDateTime: iso(now), objectType: 'REPORT', clientID: p.clientId, ...requestFields(body) });
    await this.writeReport(p, id, object, body, now, 'CREATE');
    return object;
  }

  async updateReport(p: Principal, id: string, body: ReportRequest3): Promise<Record<string, unknown>> {
    requireScope(p, 'write_reports');
    const current = await this.ownOne(p, 'report', id, 'report');
    const object = compact({ id, createdDateTime: current.body.createdDateTime, modificationDateTime: iso(this.deps.clock.now()), objectType: 'REPORT', clientID: current.clientId, ...requestFields(body) });
    await this.writeReport(p, id, object, body, current.createdAt, 'UPDATE');
    return object;
  }

  async deleteReport(p: Principal, id: string): Promise<Record<string, unknown>> {
    requireScope(p, 'write_reports');
    const current = await this.ownOne(p, 'report', id, 'report');
    // Its readings stay: they may be anchored and settled already.
    await this.deps.store.transaction(async (tx) => {
      await tx.deleteObject3('report', id);
      await this.deps.changed?.({ objectType: 'REPORT', operation: 'DELETE', object: current.body as Record<string, unknown> }, tx);
    });
    return current.body as Record<string, unknown>;
  }

  private async writeReport(p: Principal, id: string, object: Record<string, unknown>, body: ReportRequest3, createdAt: number, operation: 'CREATE' | 'UPDATE'): Promise<void> {
    const event = await this.deps.store.read.getEvent(body.eventID);
    if (!event) return badRequest(`eventID: no event ${body.eventID}`);
    const vens = await this.deps.store.read.listObjects3('ven', p.clientId);
    const ven = vens.find((v) => v.body.venName === body.clientName) ?? (vens.length === 1 ? vens[0] : undefined);
    if (!ven) return badRequest(vens.length ? `clientName: none of this client's VENs is named ${body.clientName}` : 'this client has no VEN: create it first (POST vens), reports are that VEN\'s telemetry');
    const readings = readingsOf(ven.id, id, body, this.deps.clock.now());
    await this.deps.store.transaction(async (tx) => {
      await tx.putObject3({ kind: 'report', id, clientId: p.clientId, body: object, createdAt, updatedAt: this.deps.clock.now() });
      await tx.putReadings(readings);
      if (readings.length) {
        await tx.appendFeed('reading', {
          venId: ven.id, reportRequestId: id, reportSpecifierId: `openadr3:${body.eventID}`,
          from: readings.reduce((m, r) => Math.min(m, r.dtstart), Infinity), to: readings.reduce((m, r) => Math.max(m, r.dtstart + r.durationMs), -Infinity), count: readings.length,
        }, this.deps.clock.now());
      }
      await this.deps.changed?.({ objectType: 'REPORT', operation, object, programId: event.programId }, tx);
    });
  }

  // ——— subscriptions ———

  async listSubscriptions(p: Principal, q: { programID?: string; clientName?: string; objects?: readonly string[] } & Page): Promise<Record<string, unknown>[]> {
    const subs = (await this.own(p, 'subscription')).filter((s) => (!q.programID || s.body.programID === q.programID) && (!q.clientName || s.body.clientName === q.clientName)
      && (!q.objects?.length || (s.body.objectOperations as { objects: string[] }[]).some((o) => o.objects.some((x) => q.objects!.includes(x)))));
    return page(subs.map((s) => s.body as Record<string, unknown>), q);
  }

  async getSubscription(p: Principal, id: string): Promise<Record<string, unknown>> {
    return (await this.ownOne(p, 'subscription', id, 'subscription')).body as Record<string, unknown>;
  }

  async createSubscription(p: Principal, body: SubscriptionRequest, checkUrl: (url: string) => void): Promise<Record<string, unknown>> {
    requireScope(p, 'write_subscriptions');
    for (const o of body.objectOperations) checkUrl(o.callbackUrl);
    if (body.programID && !(await this.deps.store.read.getProgram(body.programID))) badRequest(`programID: no program ${body.programID}`);
    const id = this.deps.newId();
    const now = this.deps.clock.now();
    const object = compact({ id, createdDateTime: iso(now), modificationDateTime: iso(now), objectType: 'SUBSCRIPTION', clientID: p.clientId, ...requestFields(body) });
    await this.deps.store.transaction(async (tx) => {
      await tx.putObject3({ kind: 'subscription', id, clientId: p.clientId, clientRole: p.role, body: object, createdAt: now, updatedAt: now });
      await this.deps.changed?.({ objectType: 'SUBSCRIPTION', operation: 'CREATE', object, ...(body.programID ? { programId: body.programID } : {}) }, tx);
    });
    return object;
  }

  async updateSubscription(p: Principal, id: string, body: SubscriptionRequest, checkUrl: (url: string) => void): Promise<Record<string, unknown>> {
    requireScope(p, 'write_subscriptions');
    const current = await this.ownOne(p, 'subscription', id, 'subscription');
    for (const o of body.objectOperations) checkUrl(o.callbackUrl);
    const object = compact({ id, createdDateTime: current.body.createdDateTime, modificationDateTime: iso(this.deps.clock.now()), objectType: 'SUBSCRIPTION', clientID: current.clientId, ...requestFields(body) });
    await this.deps.store.transaction(async (tx) => {
      await tx.putObject3({ ...current, body: object, updatedAt: this.deps.clock.now() });
      await this.deps.changed?.({ objectType: 'SUBSCRIPTION', operation: 'UPDATE', object, ...(body.programID ? { programId: body.programID } : {}) }, tx);
    });
    return object;
  }

  async deleteSubscription(p: Principal, id: string): Promise<Record<string, unknown>> {
    requireScope(p, 'write_subscriptions');
    const current = await this.ownOne(p, 'subscription', id, 'subscription');
    await this.deps.store.transaction(async (tx) => {
      await tx.deleteObject3('subscription', id);
      await this.deps.changed?.({ objectType: 'SUBSCRIPTION', operation: 'DELETE', object: current.body as Record<string, unknown> }, tx);
    });
    return current.body as Record<string, unknown>;
  }
}

/** The client's fields without the metadata it may not set (the VTN ignores them on POST and PUT). */
function requestFields(body: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, createdDateTime: _c, modificationDateTime: _m, objectType: _o, clientID: _client, ...rest } = body;
  return compact(rest);
}

/** A 3.x report's numbers as readings: one per resource, payload type and interval; rId is `resource/type`. */
function readingsOf(venId: string, reportId: string, body: ReportRequest3, now: number): ReadingRecord[] {
  const out: ReadingRecord[] = [];
  for (const resource of body.resources) {
    let cursor = resource.intervalPeriod?.start ? Date.parse(resource.intervalPeriod.start) : undefined;
    for (const [i, interval] of resource.intervals.entries()) {
      const start = interval.intervalPeriod?.start ? Date.parse(interval.intervalPeriod.start) : cursor;
      const text = interval.intervalPeriod?.duration ?? resource.intervalPeriod?.duration;
      if (start === undefined || Number.isNaN(start)) return badRequest(`resources ${resource.resourceName} intervals[${i}]: no start (give the resource or interval an intervalPeriod)`);
      const durationMs = text ? durationMs3(text, `resources ${resource.resourceName} intervals[${i}] duration`) : 0;
      for (const payload of interval.payloads) {
        const value = payload.values[0];
        if (typeof value !== 'number') continue;
        const rId = `${resource.resourceName}/${payload.type}`;
        out.push({ venId, reportRequestId: reportId, reportSpecifierId: `openadr3:${body.eventID}`, rId, dtstart: start, durationMs, payload: { kind: 'report', rId, value: { kind: 'float', value } }, receivedAt: now });
      }
      cursor = start + durationMs;
    }
  }
  return out;
}
