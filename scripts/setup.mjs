#!/usr/bin/env node
// npm run setup — installs, idempotently, everything the tests need beyond `npm install`.
// Each step checks first and does nothing when its part is already in place.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provideFabric } from './fabric-binaries.mjs';
import { NODE24_VERSION, provideNode24 } from './node24.mjs';
import { OPENLEADR_VTN_VERSION, provideOpenleadrClientDriver, provideOpenleadrVtn } from './openleadr-rs.mjs';
import { POSTGRES17_VERSION, providePostgres17 } from './postgres17.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.flexbridge', 'python');
const requirements = join(root, 'conformance', 'interop', 'requirements.txt');
const venv3 = join(root, '.flexbridge', 'python-openadr3');
const requirements3 = join(root, 'conformance', 'interop', 'requirements-openadr3.txt');

/** A Python of at least 3.12 (ElaadNL's openadr3-client needs it; Debian 12 has 3.11). */
function python312() {
  const candidates = [process.env.FLEXBRIDGE_PYTHON312, 'python3.13', 'python3.12'];
  const pyenv = join(homedir(), '.pyenv', 'versions');
  if (existsSync(pyenv)) for (const v of readdirSync(pyenv).filter((v) => /^3\.(1[2-9])\./.test(v)).sort().reverse()) candidates.push(join(pyenv, v, 'bin', 'python3'));
  for (const c of candidates.filter(Boolean)) {
    try {
      const version = execFileSync(c, ['-c', 'import sys; print(sys.version_info[0] * 100 + sys.version_info[1])'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (Number(version) >= 312) return c;
    } catch {
      // not this one
    }
  }
  throw new Error('no Python >= 3.12 found (python3.12, python3.13 or pyenv): install one, or name it in FLEXBRIDGE_PYTHON312');
}

/** A virtualenv holding a requirements file, reinstalled when the file changes. */
function virtualenv(dir, file, python) {
  const stamp = join(dir, '.requirements.sha256');
  const digest = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === digest && existsSync(join(dir, 'bin', 'python'))) {
    console.log('  already installed');
    return;
  }
  if (!existsSync(join(dir, 'bin', 'python'))) execFileSync(python(), ['-m', 'venv', dir], { stdio: 'inherit' });
  execFileSync(join(dir, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', file], { stdio: 'inherit' });
  writeFileSync(stamp, digest);
}

function have(command, args = ['--version']) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function apt(packages) {
  if (!have('apt-get', ['--version'])) throw new Error(`apt-get is missing; install ${packages.join(', ')} by hand`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

const steps = [
  {
    name: 'OpenADR 2.0b XSD set (from the pinned openleadr wheel on PyPI)',
    run: () => execFileSync(process.execPath, [join(root, 'scripts/fetch-xsd.mjs')], { stdio: 'inherit' }),
  },
  {
    name: 'openssl (test PKI: npm run pki)',
    run: () => { if (!have('openssl', ['version'])) apt(['openssl']); },
  },
  {
    name: `Python interop peers in ${venv} (${readFileSync(requirements, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).join(', ')})`,
    run: () => virtualenv(venv, requirements, () => 'python3'),
  },
  {
    name: `OpenADR 3 interop peers in ${venv3} (${readFileSync(requirements3, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).join(', ')}; Python >= 3.12)`,
    run: () => virtualenv(venv3, requirements3, python312),
  },
  {
    name: "Prosody for the XMPP tests (Debian's prosody package; tests run their own instance)",
    run: () => {
      if (existsSync('/usr/bin/prosody')) { console.log('  already installed'); return; }
      apt(['prosody']);
    },
  },
  {
    name: "PostgreSQL server for the VTN store tests (Debian's postgresql package; tests run a private cluster)",
    run: () => {
      const base = '/usr/lib/postgresql';
      const server = existsSync(base) && readdirSync(base).some((major) => existsSync(join(base, major, 'bin', 'postgres')));
      if (server && existsSync('/etc/passwd') && readFileSync('/etc/passwd', 'utf8').includes('\npostgres:')) { console.log('  already installed'); return; }
      apt(['postgresql']);
    },
  },
  {
    name: "Mosquitto for the OpenADR 3 MQTT notifications (Debian's mosquitto package; tests run their own broker)",
    run: () => {
      if (existsSync('/usr/sbin/mosquitto')) { console.log('  already installed'); return; }
      apt(['mosquitto']);
    },
  },
  {
    name: "HAProxy for the two-node VTN test (Debian's haproxy package; the test runs its own instance)",
    run: () => {
      if (existsSync('/usr/sbin/haproxy')) { console.log('  already installed'); return; }
      apt(['haproxy']);
    },
  },
  {
    name: 'faketime for the suites run with the clock moved ahead (Debian\'s faketime package)',
    run: () => {
      if (existsSync('/usr/bin/faketime')) { console.log('  already installed'); return; }
      apt(['faketime']);
    },
  },
  {
    name: `Node.js ${NODE24_VERSION} and better-sqlite3 built for it (npm run test:node24), cached by version`,
    run: () => { provideNode24(); },
  },
  {
    name: 'Hyperledger Fabric binaries (FLEXBRIDGE_FABRIC_BIN, or built from FLEXBRIDGE_FABRIC_SRC and cached by digest)',
    run: () => provideFabric(),
  },
  {
    name: `openleadr-rs's OpenADR 3.1 VTN (openleadr-vtn ${OPENLEADR_VTN_VERSION} from crates.io, built with cargo and cached by version)`,
    run: () => { console.log(`  ${provideOpenleadrVtn()}`); },
  },
  {
    name: "Our driver of openleadr-rs's OpenADR 3.1 client library (openleadr-client 0.2.8 from crates.io, built with cargo and cached by the digest of its sources)",
    run: () => { console.log(`  ${provideOpenleadrClientDriver()}`); },
  },
  {
    name: `PostgreSQL ${POSTGRES17_VERSION} for openleadr-rs's VTN (its migrations need PostgreSQL >= 16; Zonky's build from Maven Central, cached)`,
    run: async () => { console.log(`  ${await providePostgres17()}`); },
  },
  {
    name: "Chromium for the dashboard's browser test (Debian's chromium package)",
    run: () => {
      if (existsSync('/usr/bin/chromium')) { console.log('  already installed'); return; }
      apt(['chromium']);
    },
  },
];

for (const [i, step] of steps.entries()) {
  console.log(`[setup ${i + 1}/${steps.length}] ${step.name}`);
  await step.run();
}
console.log('setup: done');
