#!/usr/bin/env node
// Provides Hyperledger Fabric's binaries (peer, orderer, configtxgen, osnadmin, cryptogen), the
// chaincode-as-a-service builder and the config templates, idempotently:
//   FLEXBRIDGE_FABRIC_BIN  a directory laid out like Fabric's release tarball (bin/, config/, builders/ccaas/bin/)
//   FLEXBRIDGE_FABRIC_SRC  a source tarball (default ../shared/fabric/fabric-3.1.5.tar.xz), built with Go
// A build is cached outside the clone, keyed by the tarball's SHA-256, so a second run does nothing.
// The resolved directory is written to .flexbridge/fabric-home for the CLI and the tests.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BINARIES = ['peer', 'orderer', 'configtxgen', 'osnadmin', 'cryptogen'];
const BUILDER = ['detect', 'build', 'release'];
const CONFIG = ['core.yaml', 'orderer.yaml', 'configtx.yaml'];

/** True when `dir` holds every binary, the ccaas builder and the config templates. */
export function isFabricHome(dir) {
  return BINARIES.every((b) => existsSync(join(dir, 'bin', b)))
    && BUILDER.every((b) => existsSync(join(dir, 'builders', 'ccaas', 'bin', b)))
    && CONFIG.every((c) => existsSync(join(dir, 'config', c)));
}

function sha256File(path) {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (d) => hash.update(d)).on('end', () => resolvePromise(hash.digest('hex'))).on('error', reject);
  });
}

/** The digest the tarball's own SHA256SUMS (if it has one beside it) states; a mismatch stops the build. */
function expectedDigest(tarball) {
  const sums = join(dirname(tarball), 'SHA256SUMS');
  if (!existsSync(sums)) return undefined;
  const line = readFileSync(sums, 'utf8').split('\n').find((l) => l.trim().endsWith(basename(tarball)));
  return line?.split(/\s+/)[0];
}

function build(tarball, target, version) {
  const work = mkdtempSync(join(tmpdir(), 'fabric-build-'));
  try {
    console.log(`  extracting ${tarball}`);
    execFileSync('tar', ['-xJf', tarball, '-C', work], { stdio: 'inherit' });
    const src = join(work, execFileSync('tar', ['-tJf', tarball], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).split('\n')[0].split('/')[0]);
    const staging = `${target}.partial`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(join(staging, 'bin'), { recursive: true });
    mkdirSync(join(staging, 'builders', 'ccaas', 'bin'), { recursive: true });
    mkdirSync(join(staging, 'config'), { recursive: true });
    const env = { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local' };
    console.log(`  go build ${BINARIES.join(', ')} (vendored modules, about a minute on 2 cores)`);
    execFileSync('go', ['build', '-ldflags', `-X github.com/hyperledger/fabric/common/metadata.Version=${version}`, '-o', join(staging, 'bin') + '/', ...BINARIES.map((b) => `./cmd/${b}`)], {
      cwd: src, stdio: 'inherit', env: { ...env, GOFLAGS: '-mod=vendor', GOPROXY: 'off' },
    });
    console.log('  go build the chaincode-as-a-service builder (detect, build, release)');
    execFileSync('go', ['build', '-o', join(staging, 'builders', 'ccaas', 'bin') + '/', './cmd/...'], { cwd: join(src, 'ccaas_builder'), stdio: 'inherit', env });
    for (const c of CONFIG) copyFileSync(join(src, 'sampleconfig', c), join(staging, 'config', c));
    writeFileSync(join(staging, 'VERSION'), `${version}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function provideFabric() {
  const pointer = join(root, '.flexbridge', 'fabric-home');
  mkdirSync(dirname(pointer), { recursive: true });
  const given = process.env.FLEXBRIDGE_FABRIC_BIN;
  if (given) {
    const home = resolve(given);
    if (!isFabricHome(home)) {
      throw new Error(`FLEXBRIDGE_FABRIC_BIN=${home} is not a Fabric release layout: it needs bin/{${BINARIES.join(',')}}, builders/ccaas/bin/{${BUILDER.join(',')}} and config/{${CONFIG.join(',')}}`);
    }
    writeFileSync(pointer, home);
    console.log(`  using ${home} (FLEXBRIDGE_FABRIC_BIN)`);
    return home;
  }
  const tarball = resolve(process.env.FLEXBRIDGE_FABRIC_SRC ?? join(root, '..', 'shared', 'fabric', 'fabric-3.1.5.tar.xz'));
  if (!existsSync(tarball)) {
    throw new Error(`no Fabric binaries: set FLEXBRIDGE_FABRIC_BIN to an unpacked hyperledger-fabric-linux-amd64-3.1.x release, or FLEXBRIDGE_FABRIC_SRC to a Fabric source tarball with vendor/ (${tarball} does not exist)`);
  }
  const digest = await sha256File(tarball);
  const expected = expectedDigest(tarball);
  if (expected && expected !== digest) throw new Error(`${tarball}: SHA-256 ${digest} does not match SHA256SUMS (${expected})`);
  const version = /fabric-(\d+\.\d+\.\d+)/.exec(basename(tarball))?.[1] ?? 'unknown';
  const cache = process.env.FLEXBRIDGE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'flexbridge');
  const home = join(cache, 'fabric', `${version}-${digest.slice(0, 16)}`);
  if (isFabricHome(home)) {
    console.log(`  already built: ${home}`);
  } else {
    mkdirSync(dirname(home), { recursive: true });
    build(tarball, home, version);
    if (!isFabricHome(home)) throw new Error(`the Fabric build in ${home} is incomplete`);
    console.log(`  built ${home}`);
  }
  writeFileSync(pointer, home);
  return home;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  provideFabric().catch((error) => {
    console.error(`fabric: ${error.message}`);
    process.exit(1);
  });
}
