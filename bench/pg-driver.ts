// npm run bench:pg-driver — the two maintained PostgreSQL drivers for Node (`pg` and `postgres`) on
// the VTN store's own shapes of work, against one private cluster, alternating rounds. The store
// uses the one that wins; this script is how that choice can be checked again.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import postgres from 'postgres';
import { PostgresCluster } from '../test/support/postgres.js';
import { table } from './measure.js';

const CONCURRENCY = 16;
const ROUND_MS = 3_000;
const ROUNDS = 3;

interface Driver {
  readonly name: string;
  /** A point read outside a transaction (a poll that finds nothing). */
  read(venId: string): Promise<unknown>;
  /** What a request does: BEGIN, read the VEN, insert a row, COMMIT. */
  write(venId: string, n: number): Promise<unknown>;
  end(): Promise<void>;
}

function pgDriver(url: string): Driver {
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY });
  return {
    name: 'pg',
    read: (venId) => pool.query({ name: 'read', text: 'SELECT body FROM vens WHERE ven_id = $1', values: [venId] }),
    write: async (venId, n) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        await client.query({ name: 'read', text: 'SELECT body FROM vens WHERE ven_id = $1', values: [venId] });
        await client.query({ name: 'ins', text: 'INSERT INTO outbox (ven_id, body) VALUES ($1, $2)', values: [venId, JSON.stringify({ kind: 'message', n })] });
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    end: () => pool.end(),
  };
}

function postgresDriver(url: string): Driver {
  const sql = postgres(url, { max: CONCURRENCY, onnotice: () => undefined });
  return {
    name: 'postgres',
    read: (venId) => sql`SELECT body FROM vens WHERE ven_id = ${venId}`,
    write: (venId, n) => sql.begin('ISOLATION LEVEL SERIALIZABLE', async (tx) => {
      await tx`SELECT body FROM vens WHERE ven_id = ${venId}`;
      await tx`INSERT INTO outbox (ven_id, body) VALUES (${venId}, ${JSON.stringify({ kind: 'message', n })})`;
    }),
    end: () => sql.end(),
  };
}

async function load(work: (i: number) => Promise<unknown>): Promise<{ perSecond: number; p99: number; cpuUs: number }> {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  let i = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() - start < ROUND_MS) {
      const t = performance.now();
      await work(i++);
      latencies.push(performance.now() - t);
    }
  }));
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return { perSecond: (latencies.length / elapsed) * 1000, p99: latencies[Math.floor(latencies.length * 0.99)]!, cpuUs: (used.user + used.system) / latencies.length };
}

const cluster = await PostgresCluster.create(join(tmpdir(), `fb-pg-bench-${process.pid}`), { fsync: 'on', full_page_writes: 'on' });
cluster.start();
try {
  const url = await cluster.createDatabase('bench');
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(`CREATE TABLE vens (ven_id TEXT PRIMARY KEY, body TEXT NOT NULL);
    CREATE TABLE outbox (id BIGSERIAL PRIMARY KEY, ven_id TEXT NOT NULL, body TEXT NOT NULL);
    INSERT INTO vens SELECT 'ven-' || i, '{"venId":"ven-' || i || '"}' FROM generate_series(0, 999) i;`);
  await setup.end();
  const drivers = [pgDriver(url), postgresDriver(url)];
  const results = new Map<string, { perSecond: number; p99: number; cpuUs: number }[]>();
  console.log(`PostgreSQL drivers: ${CONCURRENCY} concurrent callers, ${ROUNDS} alternating rounds of ${ROUND_MS / 1000} s, fsync on`);
  for (let round = 0; round < ROUNDS; round++) {
    for (const driver of round % 2 === 0 ? drivers : [...drivers].reverse()) {
      for (const kind of ['read', 'write'] as const) {
        const r = await load((i) => (kind === 'read' ? driver.read(`ven-${i % 1000}`) : driver.write(`ven-${i % 1000}`, i)));
        const key = `${driver.name} ${kind}`;
        results.set(key, [...(results.get(key) ?? []), r]);
        process.stderr.write(`  round ${round + 1} ${key}: ${Math.round(r.perSecond)}/s\n`);
      }
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(table(['driver, work', 'per s', 'p99 ms', 'client CPU µs each'], [...results].map(([key, rs]) => [
    key, median(rs.map((r) => r.perSecond)), median(rs.map((r) => r.p99)), median(rs.map((r) => r.cpuUs)),
  ])));
  await Promise.all(drivers.map((d) => d.end()));
} finally {
  cluster.destroy();
}
