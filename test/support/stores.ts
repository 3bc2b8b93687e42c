import pg from 'pg';
import { PostgresVtnStore, SqliteVtnStore, type VtnStore } from '../../vtn/index.js';
import { sharedPostgres } from './postgres.js';

/** A VTN store backend the suites run against: each store test and conformance suite runs on both. */
export interface StoreBackend {
  readonly name: 'sqlite' | 'postgres';
  /** An empty store. */
  open(options?: { nodeId?: string }): Promise<VtnStore>;
  /** A second store on the same data (another VTN node); SQLite has no such thing. */
  openSibling?(options?: { nodeId?: string }): Promise<VtnStore>;
  /** The `store` section of a VTN config for an empty store. */
  config(): Promise<{ url?: string }>;
}

const TABLES = ['vens', 'programs', 'events', 'event_versions', 'event_targets', 'event_responses', 'opts', 'report_registrations', 'report_requests', 'readings', 'outbox', 'feed', 'nonces'];

/** One database per test file, emptied for each store the file opens. */
let database: Promise<string> | undefined;

async function emptyDatabase(): Promise<string> {
  database ??= sharedPostgres().then((cluster) => cluster.createDatabase('vtn'));
  const url = await database;
  // The schema is the store's own: migrate through it, then empty every table.
  const store = new PostgresVtnStore({ url, poolSize: 1 });
  await store.ready();
  await store.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY`);
  } finally {
    await client.end();
  }
  return url;
}

export const sqliteBackend: StoreBackend = {
  name: 'sqlite',
  open: async () => new SqliteVtnStore({ path: ':memory:' }),
  config: async () => ({}),
};

export const postgresBackend: StoreBackend = {
  name: 'postgres',
  open: async (options) => {
    const store = new PostgresVtnStore({ url: await emptyDatabase(), ...options });
    await store.ready();
    return store;
  },
  openSibling: async (options) => {
    const url = await (database ?? emptyDatabase());
    const store = new PostgresVtnStore({ url, ...options });
    await store.ready();
    return store;
  },
  config: async () => ({ url: await emptyDatabase() }),
};

export const STORE_BACKENDS: readonly StoreBackend[] = [sqliteBackend, postgresBackend];
