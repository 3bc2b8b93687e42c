// jest globalTeardown: stops the suite's Fabric networks and removes their directories, so that
// every run starts from an empty ledger (plain JavaScript: it runs outside jest's transform).
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
const kill = (pid, signal) => { try { process.kill(-pid, signal); } catch { try { process.kill(pid, signal); } catch { /* gone */ } } };

export default async function teardown() {
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
