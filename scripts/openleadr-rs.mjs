#!/usr/bin/env node
// openleadr-rs's OpenADR 3.1 VTN (the crate openleadr-vtn from crates.io, with its own OAuth
// provider), the independent 3.1 implementation the interop suites run against. Built once with
// cargo and cached outside the clone, keyed by version (about 10 minutes on 2 cores); a second run
// does nothing. Prints the binary's path as JSON.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OPENLEADR_VTN_VERSION = process.env.FLEXBRIDGE_OPENLEADR_VTN_VERSION ?? '0.2.8';

export function openleadrVtnPath() {
  const cache = process.env.FLEXBRIDGE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'flexbridge');
  return join(cache, 'openleadr-rs', OPENLEADR_VTN_VERSION, 'bin', 'openleadr-vtn');
}

export function provideOpenleadrVtn() {
  const binary = openleadrVtnPath();
  if (existsSync(binary)) return binary;
  const cargo = process.env.CARGO ?? (existsSync(join(homedir(), '.cargo', 'bin', 'cargo')) ? join(homedir(), '.cargo', 'bin', 'cargo') : 'cargo');
  try {
    execFileSync(cargo, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('cargo is missing: install Rust (rustup) to build openleadr-vtn for the OpenADR 3 interop tests');
  }
  // Built into a scratch root and moved into place whole: an interrupted build leaves no half binary.
  const work = mkdtempSync(join(tmpdir(), 'openleadr-vtn-'));
  try {
    console.error(`  building openleadr-vtn ${OPENLEADR_VTN_VERSION} from crates.io (about 10 minutes on 2 cores)`);
    // Not --locked: the crate's lock file names releases the registry mirror may not serve; cargo resolves compatible ones.
    execFileSync(cargo, ['install', 'openleadr-vtn', '--version', `=${OPENLEADR_VTN_VERSION}`, '--features', 'internal-oauth', '--root', work, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const home = dirname(dirname(binary));
    mkdirSync(dirname(home), { recursive: true });
    rmSync(home, { recursive: true, force: true });
    renameSync(work, home);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify({ openleadrVtn: provideOpenleadrVtn() }));
}
