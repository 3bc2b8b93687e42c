import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The request a piece of work serves, followed through async calls (transport → services → store →
 * feed → anchor) without passing it by hand: every log line written on its behalf carries it.
 */
const storage = new AsyncLocalStorage<string>();

/** A caller's ID when it is a sane token (letters, digits, `-_.:`, ≤ 64), else a new one. */
export function requestIdFrom(given: string | string[] | undefined): string {
  const value = Array.isArray(given) ? given[0] : given;
  return value !== undefined && /^[\w.:-]{1,64}$/.test(value) ? value : randomUUID();
}

export function withRequestId<T>(requestId: string, work: () => T): T {
  return storage.run(requestId, work);
}

export function currentRequestId(): string | undefined {
  return storage.getStore();
}
