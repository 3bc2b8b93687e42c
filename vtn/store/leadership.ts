import pg from 'pg';
import type { Logger } from '../../src/logger.js';

/**
 * Whether this node runs a task that must run once among the VTN nodes sharing a store (the UVAM's
 * IEC 104 station). Listeners hear `true` when this node takes the task and `false` when it must stop.
 */
export interface Leadership {
  readonly leading: boolean;
  onChange(listener: (leading: boolean) => void): void;
  /** Stops running for the task (and lets another node take it at once). */
  resign(): Promise<void>;
}

/** One process on its own store: it leads, or not, as it was told at start. */
export class FixedLeadership implements Leadership {
  constructor(readonly leading: boolean) {}
  onChange(listener: (leading: boolean) => void): void {
    if (this.leading) queueMicrotask(() => listener(true));
  }
  async resign(): Promise<void> {}
}

/**
 * Election on PostgreSQL: the node whose session holds the task's advisory lock leads. The lock
 * goes with the session, so a node that dies (or loses its connection) releases it and another node
 * takes it at its next try. A leader that cannot reach the database steps down at once.
 */
export class AdvisoryLockLeadership implements Leadership {
  private current = false;
  private stopped = false;
  private client: pg.Client | undefined;
  private readonly listeners: ((leading: boolean) => void)[] = [];
  /** The advisory lock key (pg_locks.objid) the task is held by. */
  readonly key: number;
  private readonly loop: Promise<void>;

  constructor(private readonly url: string, readonly task: string, private readonly logger: Logger, private readonly intervalMs = 1_000) {
    // A stable 31-bit key per task name (advisory lock keys are bigints; the store's own keys differ).
    let hash = 0x811c9dc5;
    for (const c of `flexbridge-leader:${task}`) hash = Math.imul(hash ^ c.charCodeAt(0), 0x01000193) >>> 0;
    this.key = hash & 0x7fffffff;
    this.loop = this.run();
  }

  get leading(): boolean {
    return this.current;
  }

  onChange(listener: (leading: boolean) => void): void {
    this.listeners.push(listener);
    if (this.current) queueMicrotask(() => listener(true));
  }

  async resign(): Promise<void> {
    this.stopped = true;
    this.set(false);
    await this.client?.end().catch(() => undefined);
    await this.loop;
  }

  private set(leading: boolean): void {
    if (leading === this.current) return;
    this.current = leading;
    this.logger.info(leading ? 'leading' : 'no longer leading', { task: this.task });
    for (const listener of this.listeners) {
      try { listener(leading); } catch (error) { this.logger.error('leadership listener failed', { task: this.task, reason: (error as Error).message }); }
    }
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!this.client) {
          const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000, keepAlive: true });
          client.on('error', () => undefined);
          client.on('end', () => { if (this.client === client) { this.client = undefined; this.set(false); } });
          await client.connect();
          this.client = client;
        }
        if (this.current) {
          await this.client.query('SELECT 1');
        } else {
          const { rows } = await this.client.query('SELECT pg_try_advisory_lock($1) AS got', [this.key]);
          if (rows[0]?.got === true) this.set(true);
        }
      } catch (error) {
        if (!this.stopped) this.logger.warn('leadership check failed', { task: this.task, reason: (error as Error).message });
        this.set(false);
        await this.client?.end().catch(() => undefined);
        this.client = undefined;
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, this.intervalMs));
    }
  }
}
