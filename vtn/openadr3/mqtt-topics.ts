import type { ObjectType3 } from '../../schemas/openadr3/model.js';

// MQTT topic names of the 3.1 notifier binding, as openleadr-rs names them too: `<objects>/<op>`,
// `<objects>/<id>/<op>` for one object, `programs/<id>/events/<op>`, and per VEN
// `vens/<venID>/<objects>/<op>` for what reaches that VEN. The broker's ACL must keep a VEN to its
// own `vens/<venID>/…` topics (docs/openadr3.md).

export type Op = 'CREATE' | 'UPDATE' | 'DELETE';
const lower = (op: Op): string => op.toLowerCase();
const PLURAL: Readonly<Record<ObjectType3, string>> = { PROGRAM: 'programs', EVENT: 'events', REPORT: 'reports', SUBSCRIPTION: 'subscriptions', VEN: 'vens', RESOURCE: 'resources' };

/** The operations' topics under a path, as GET notifiers/mqtt/topics/… answers them. */
export function operationTopics(prefix: string, path: string, withCreate: boolean): Record<string, string> {
  return { ...(withCreate ? { CREATE: `${prefix}${path}/create` } : {}), UPDATE: `${prefix}${path}/update`, DELETE: `${prefix}${path}/delete`, ALL: `${prefix}${path}/+` };
}

/** The public topics a change is published on (business logic listens there). */
export function publicTopics(prefix: string, type: ObjectType3, op: Op, id: string, programId: string | undefined): string[] {
  if (type === 'SUBSCRIPTION') return [];
  const topics = [`${prefix}${PLURAL[type]}/${lower(op)}`];
  if (op !== 'CREATE' && (type === 'PROGRAM' || type === 'VEN')) topics.push(`${prefix}${PLURAL[type]}/${id}/${lower(op)}`);
  if (type === 'EVENT' && programId) topics.push(`${prefix}programs/${programId}/events/${lower(op)}`);
  return topics;
}

/** The topic of one VEN for a change that reaches it. */
export function venTopic(prefix: string, venId: string, type: ObjectType3, op: Op): string | undefined {
  if (type === 'EVENT' || type === 'PROGRAM' || type === 'RESOURCE') return `${prefix}vens/${venId}/${PLURAL[type]}/${lower(op)}`;
  if (type === 'VEN' && op !== 'CREATE') return `${prefix}vens/${venId}/${lower(op)}`;
  return undefined;
}
