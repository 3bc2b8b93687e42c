import { existsSync, mkdirSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FabricNetwork, fabricHome, type Consensus } from '../../anchor/fabric/network.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the suite's Fabric networks live, and their ports (apart from a person's `fabric up`). */
export const TEST_FABRIC = { raft: { dir: join(root, '.flexbridge', 'test-fabric-raft'), basePort: 17050 }, bft: { dir: join(root, '.flexbridge', 'test-fabric-bft'), basePort: 17150 } } as const;

/**
 * The suite's real Fabric network, started once and shared by every test file that needs it
 * (a lock keeps two jest workers from starting it together); jest's global teardown stops it.
 * No binaries is a failure that says what to run, never a skip.
 */
export async function sharedFabric(consensus: Consensus = 'raft'): Promise<FabricNetwork> {
  try {
    fabricHome();
  } catch (error) {
    throw new Error(`Fabric tests need Fabric's binaries: ${(error as Error).message}`);
  }
  const { dir, basePort } = TEST_FABRIC[consensus];
  const network = new FabricNetwork({ dir, basePort, consensus });
  const lock = `${dir}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`another test process holds ${lock} for over 3 minutes`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    if (!network.status().ready) await network.up();
  } finally {
    if (existsSync(lock)) rmdirSync(lock);
  }
  return network;
}
