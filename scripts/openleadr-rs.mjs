#!/usr/bin/env node
// openleadr-rs's OpenADR 3.1 VTN (the crate openleadr-vtn from crates.io, with its own OAuth
// provider), the independent 3.1 implementation the interop suites run against. Built once with
// cargo and cached outside the clone, keyed by version (about 10 minutes on 2 cores); a second run
// does nothing. Prints the binary's path as JSON.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OPENLEADR_VTN_VERSION = process.env.FLEXBRIDGE_OPENLEADR_VTN_VERSION ?? '0.2.8';

const cacheRoot = () => process.env.FLEXBRIDGE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'flexbridge');

export function openleadrVtnPath() {
  return join(cacheRoot(), 'openleadr-rs', OPENLEADR_VTN_VERSION, 'bin', 'openleadr-vtn');
}

function cargoCommand(what) {
  const cargo = process.env.CARGO ?? (existsSync(join(homedir(), '.cargo', 'bin', 'cargo')) ? join(homedir(), '.cargo', 'bin', 'cargo') : 'cargo');
  try {
    execFileSync(cargo, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`cargo is missing: install Rust (rustup) to build ${what} for the OpenADR 3 interop tests`);
  }
  return cargo;
}

// Our driver of openleadr-rs's client library (conformance/interop/openleadr-client-driver), cached
// by a digest of its sources and lock file: the same sources are built once per machine.
const DRIVER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'conformance', 'interop', 'openleadr-client-driver');

export function openleadrClientDriverPath() {
  const digest = createHash('sha256');
  for (const file of ['Cargo.toml', 'Cargo.lock', 'src/main.rs']) digest.update(file).update(readFileSync(join(DRIVER_DIR, file)));
  return join(cacheRoot(), 'openleadr-client-driver', digest.digest('hex').slice(0, 16), 'flexbridge-openleadr-client-driver');
}

export function provideOpenleadrClientDriver() {
  const binary = openleadrClientDriverPath();
  if (existsSync(binary)) return binary;
  const cargo = cargoCommand('the openleadr-client driver');
  const target = mkdtempSync(join(tmpdir(), 'openleadr-client-driver-'));
  try {
    console.error('  building our driver of openleadr-client 0.2.8 (crates.io) with cargo (a few minutes on 2 cores)');
    // --locked: the lock file is part of the cache key, so what is built is what was keyed.
    execFileSync(cargo, ['build', '--release', '--locked', '--quiet', '--manifest-path', join(DRIVER_DIR, 'Cargo.toml'), '--target-dir', target], { stdio: ['ignore', 'ignore', 'inherit'] });
    mkdirSync(dirname(binary), { recursive: true });
    copyFileSync(join(target, 'release', 'flexbridge-openleadr-client-driver'), `${binary}.part`);
    renameSync(`${binary}.part`, binary);
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
  return binary;
}

export function provideOpenleadrVtn() {
  const binary = openleadrVtnPath();
  if (existsSync(binary)) return binary;
  const cargo = cargoCommand('openleadr-vtn');
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

// `node scripts/openleadr-rs.mjs` provides both; `… vtn` only the VTN (the demo's utility).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const vtnOnly = process.argv[2] === 'vtn';
  console.log(JSON.stringify({ openleadrVtn: provideOpenleadrVtn(), ...(vtnOnly ? {} : { openleadrClientDriver: provideOpenleadrClientDriver() }) }));
}
