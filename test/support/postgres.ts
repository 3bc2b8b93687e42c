import { createHash } from 'node:crypto';
import { mkdirSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresCluster, postgresBin } from '../../src/postgres-cluster.js';

export { PostgresCluster, postgresBin } from '../../src/postgres-cluster.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where this clone's shared test cluster lives (outside the clone: the `postgres` user must reach it). */
export const TEST_POSTGRES_DIR = join(tmpdir(), `flexbridge-test-pg-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`);

/**
 * The suite's PostgreSQL, started once and shared by every test file (a lock keeps two jest workers
 * from creating it together); jest's global teardown removes it. Each test file takes its own database.
 */
export async function sharedPostgres(): Promise<PostgresCluster> {
  postgresBin();
  const lock = `${TEST_POSTGRES_DIR}.lock`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`another test process holds ${lock} for over 2 minutes`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    let cluster = PostgresCluster.open(TEST_POSTGRES_DIR);
    if (cluster && !cluster.running()) {
      try { cluster.start(); } catch { cluster = undefined; }
    }
    if (!cluster) {
      cluster = await PostgresCluster.create(TEST_POSTGRES_DIR);
      cluster.start();
    }
    return cluster;
  } finally {
    rmdirSync(lock);
  }
}
