// jest globalTeardown: stops the suite's Fabric networks and its PostgreSQL cluster and removes
// their directories, so that every run starts from an empty ledger and database (plain JavaScript:
// it runs outside jest's transform).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// As in test/support/postgres.ts (TEST_POSTGRES_DIR).
const postgresDir = join(tmpdir(), `flexbridge-test-pg-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`);

function stopPostgres() {
  if (!existsSync(join(postgresDir, 'data', 'postmaster.pid'))) { rmSync(postgresDir, { recursive: true, force: true }); return; }
  const base = '/usr/lib/postgresql';
  const major = readdirSync(base).sort((a, b) => Number(b) - Number(a))[0];
  const owner = process.getuid?.() === 0 ? readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':')).find((f) => f[0] === 'postgres') : undefined;
  try {
    execFileSync(join(base, major, 'bin', 'pg_ctl'), ['-D', join(postgresDir, 'data'), 'stop', '-m', 'immediate', '-w'], { stdio: 'ignore', cwd: tmpdir(), ...(owner ? { uid: Number(owner[2]), gid: Number(owner[3]) } : {}) });
  } catch { /* already stopped */ }
  rmSync(postgresDir, { recursive: true, force: true });
}

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const kill = (pid, signal) => { try { process.kill(-pid, signal); } catch { try { process.kill(pid, signal); } catch { /* gone */ } } };

export default async function teardown() {
  stopPostgres();
  for (const name of ['test-fabric-raft', 'test-fabric-bft']) {
    const dir = join(root, '.flexbridge', name);
    let state;
    try { state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')); } catch { continue; }
    const pids = (state.processes ?? []).map((p) => p.pid);
    for (const pid of pids) kill(pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const pid of pids) if (alive(pid)) kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
