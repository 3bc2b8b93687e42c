import type { Logger } from '../../src/logger.js';

export interface LeaseLoopOptions<T> {
  /** What the loop delivers, for its log lines ("push", "webhook"). */
  readonly name: string;
  /** Deliveries in flight at most. */
  readonly concurrency: number;
  /** How often it looks for due work when nobody kicks it. */
  readonly intervalMs: number;
  /** Leases up to `count` due entries (in a store transaction); they are this loop's until delivered or the lease runs out. */
  claim(count: number): Promise<readonly T[]>;
  /** Delivers one entry and records its outcome; a throw is logged and the lease makes it come back. */
  deliver(entry: T): Promise<void>;
  readonly logger: Logger;
}

/**
 * The durable queues' sender loop (2.0b push, OpenADR 3 webhooks and MQTT): claims due entries up
 * to `concurrency` in flight, refills free slots as deliveries end, and otherwise waits for a kick
 * (something was queued) or the interval. A store that fails is logged and tried again; nothing
 * leaves the queue but by a recorded delivery.
 */
export class LeaseLoop<T> {
  private running = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: LeaseLoopOptions<T>) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming and waits for the deliveries in flight. */
  async stop(): Promise<void> {
    this.running = false;
    this.kick();
    await this.loop;
  }

  /** Look for due entries now. */
  kick(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    const { name, concurrency, intervalMs, logger } = this.options;
    const inFlight = new Set<Promise<void>>();
    while (this.running) {
      const free = concurrency - inFlight.size;
      const due = free <= 0 ? [] : await this.options.claim(free).catch((error: unknown) => {
        logger.warn(`${name} claim failed (store unavailable?); will look again`, { reason: error instanceof Error ? error.message : String(error) });
        return [] as readonly T[];
      });
      for (const entry of due) {
        const delivery: Promise<void> = this.options.deliver(entry).catch((error: unknown) => {
          // The store failed around a delivery: the lease runs out and the entry is claimed again.
          logger.warn(`${name} bookkeeping failed`, { reason: error instanceof Error ? error.message : String(error) });
        }).finally(() => { inFlight.delete(delivery); this.kick(); });
        inFlight.add(delivery);
      }
      if (due.length > 0 && inFlight.size < concurrency) continue;
      // Full, or nothing due: wait for a slot, a kick (something queued) or the interval.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        this.wake = () => { clearTimeout(timer); this.wake = undefined; resolve(); };
      });
    }
    await Promise.allSettled([...inFlight]);
  }
}
