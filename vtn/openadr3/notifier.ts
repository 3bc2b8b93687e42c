import type { DomainChange } from '../service/context.js';
import type { Object3Record } from '../store/records.js';
import type { VtnStoreTransaction } from '../store/store.js';
import type { ClientRole } from './auth.js';
import { compact, eventObject, type EventExtras } from './event-mapping.js';
import { LEGACY_OPERATIONS, operationOf, type ObjectType3 } from '../../schemas/openadr3/model.js';
import type { Change3 } from './openadr3-service.js';
import { programObject } from './program-mapping.js';
import { publicTopics, venTopic } from './mqtt-topics.js';
import { DIALECT_FIELD, objectTo301, targetsTo301 } from './dialect-301.js';

/** Deliveries to the MQTT broker sit in the webhook queue under this name, their URL `mqtt:<topic>`. */
export const MQTT_SUBSCRIPTION = '(mqtt)';

const OPERATION_OF: Readonly<Record<DomainChange['action'], Change3['operation']>> = { created: 'CREATE', modified: 'UPDATE', updated: 'UPDATE', cancelled: 'DELETE' };

/**
 * Turns changes into webhook deliveries, in the transaction that made them: whatever made a change
 * (either API, a grid order), each subscription whose objects, operations, program and targets
 * match gets one notification per callback URL, queued durably and sent by the webhook sender.
 * A VEN client is notified only of what it could read: its own objects, and the programs and
 * events that reach it (their targets hidden as in a read).
 */
export class Openadr3Notifier {
  constructor(
    private readonly roleOf: (clientId: string, recorded: ClientRole | undefined) => ClientRole | undefined,
    private readonly now: () => number,
    /** MQTT notifications too, under this topic prefix. */
    private readonly mqtt?: { readonly topicPrefix: string },
  ) {}

  /** A shared program or event changed (the operator service tells). */
  async domainChanged(tx: VtnStoreTransaction, change: DomainChange): Promise<void> {
    if (change.kind === 'program') {
      const object = programObject(change.record, await tx.getObject3('program', change.record.programId));
      await this.notify(tx, { objectType: 'PROGRAM', operation: OPERATION_OF[change.action], object, programId: change.record.programId }, undefined);
      return;
    }
    const extras = await tx.getObject3('event', change.record.eventId);
    const object = eventObject(change.record, extras?.body as EventExtras | undefined);
    await this.notify(tx, { objectType: 'EVENT', operation: OPERATION_OF[change.action], object, programId: change.record.programId }, new Set(await tx.eventTargets(change.record.eventId)));
  }

  /** A VEN-side object changed through the OpenADR 3 API. */
  objectChanged(tx: VtnStoreTransaction, change: Change3): Promise<void> {
    return this.notify(tx, change, undefined);
  }

  private async notify(tx: VtnStoreTransaction, change: Change3, reachedVens: ReadonlySet<string> | undefined): Promise<void> {
    if (this.mqtt) await this.publish(tx, change, reachedVens);
    const subscriptions = await tx.listObjects3('subscription');
    if (subscriptions.length === 0) return;
    const grants = new Map<string, { venIds: Set<string>; targets: Set<string> }>();
    const grantsOf = async (clientId: string): Promise<{ venIds: Set<string>; targets: Set<string> }> => {
      const known = grants.get(clientId);
      if (known) return known;
      const vens = await tx.listObjects3('ven', clientId);
      const venIds = new Set(vens.map((v) => v.id));
      const targets = new Set(vens.flatMap((v) => (v.body.targets as string[] | undefined) ?? []));
      for (const r of await tx.listObjects3('resource')) if (venIds.has(String(r.body.venID))) for (const t of (r.body.targets as string[] | undefined) ?? []) targets.add(t);
      const made = { venIds, targets };
      grants.set(clientId, made);
      return made;
    };
    for (const subscription of subscriptions) {
      const shown = await this.visibleTo(subscription, change, reachedVens, grantsOf);
      if (!shown) continue;
      const sent = new Set<string>();
      for (const entry of (subscription.body.objectOperations as { objects: string[]; operations: string[]; callbackUrl: string; bearerToken?: string }[]) ?? []) {
        if (!entry.objects.includes(change.objectType) || sent.has(entry.callbackUrl)) continue;
        const asked = entry.operations.find((o) => operationOf(o) === change.operation);
        if (!asked) continue;
        sent.add(entry.callbackUrl);
        // The operation in the words the subscriber used (3.0.1's HTTP names or 3.1's).
        const operation = LEGACY_OPERATIONS[asked] ? asked : change.operation;
        const targets = shown.targets as string[] | undefined;
        // A subscription made through 3.0.1 is told in 3.0.1 (targets as {type, values}).
        const body = subscription.body[DIALECT_FIELD] === '3.0.1'
          ? JSON.stringify(compact({ objectType: change.objectType, operation, object: objectTo301(shown), targets: targetsTo301(targets) }))
          : JSON.stringify(compact({ objectType: change.objectType, operation, object: shown, targets }));
        await tx.enqueueWebhook({ subscriptionId: subscription.id, url: entry.callbackUrl, ...(entry.bearerToken ? { bearerToken: entry.bearerToken } : {}), body }, this.now());
      }
    }
  }

  /**
   * Queues the MQTT messages of a change: on its public topics as business logic sees it, and on
   * each 3.1 VEN's own topic as that VEN may see it (targets hidden). Same queue as webhooks: kept
   * until the broker acknowledged it (QoS 1), in order per topic.
   */
  private async publish(tx: VtnStoreTransaction, change: Change3, reachedVens: ReadonlySet<string> | undefined): Promise<void> {
    const prefix = this.mqtt!.topicPrefix;
    const id = String(change.object.id ?? '');
    const message = (object: Record<string, unknown>): string => JSON.stringify(compact({ objectType: change.objectType, operation: change.operation, object, targets: object.targets }));
    const publicBody = message(change.object);
    for (const topic of publicTopics(prefix, change.objectType, change.operation, id, change.programId)) {
      await tx.enqueueWebhook({ subscriptionId: MQTT_SUBSCRIPTION, url: `mqtt:${topic}`, body: publicBody }, this.now());
    }
    const targets = change.object.targets as string[] | undefined;
    for (const ven of await tx.listObjects3('ven')) {
      let object: Record<string, unknown> | undefined;
      const granted = new Set((ven.body.targets as string[] | undefined) ?? []);
      if (change.objectType === 'EVENT') object = reachedVens?.has(ven.id) ? change.object : undefined;
      else if (change.objectType === 'PROGRAM') object = !targets?.length || targets.some((t) => granted.has(t)) ? change.object : undefined;
      else if (change.objectType === 'RESOURCE') object = change.object.venID === ven.id ? change.object : undefined;
      else if (change.objectType === 'VEN') object = change.object.id === ven.id ? change.object : undefined;
      const topic = object ? venTopic(prefix, ven.id, change.objectType, change.operation) : undefined;
      if (!object || !topic) continue;
      const shown = change.objectType === 'EVENT' || change.objectType === 'PROGRAM' ? compact({ ...object, targets: targets?.filter((t) => granted.has(t)) }) : object;
      await tx.enqueueWebhook({ subscriptionId: MQTT_SUBSCRIPTION, url: `mqtt:${topic}`, body: message(shown) }, this.now());
    }
  }

  /** The object as the subscription's client may see it, or undefined when it is none of its business. */
  private async visibleTo(
    subscription: Object3Record, change: Change3, reachedVens: ReadonlySet<string> | undefined,
    grantsOf: (clientId: string) => Promise<{ venIds: Set<string>; targets: Set<string> }>,
  ): Promise<Record<string, unknown> | undefined> {
    const clientId = subscription.clientId ?? '';
    const role = this.roleOf(clientId, subscription.clientRole);
    if (!role) return undefined;
    const program = subscription.body.programID as string | undefined;
    if (program && change.programId !== undefined && change.programId !== program) return undefined;
    if (program && change.programId === undefined && (change.objectType === 'EVENT' || change.objectType === 'PROGRAM')) return undefined;
    const objectTargets = change.object.targets as string[] | undefined;
    const wanted = subscription.body.targets as string[] | undefined;
    if (wanted?.length && objectTargets?.length && !objectTargets.some((t) => wanted.includes(t))) return undefined;
    if (role === 'bl') return change.object;
    const own: ObjectType3[] = ['VEN', 'RESOURCE', 'REPORT', 'SUBSCRIPTION'];
    if (own.includes(change.objectType)) return change.object.clientID === clientId ? change.object : undefined;
    const grants = await grantsOf(clientId);
    if (change.objectType === 'EVENT') {
      if (![...grants.venIds].some((v) => reachedVens?.has(v))) return undefined;
    } else if (objectTargets?.length && !objectTargets.some((t) => grants.targets.has(t))) {
      return undefined;
    }
    return compact({ ...change.object, targets: objectTargets?.filter((t) => grants.targets.has(t)) });
  }
}
