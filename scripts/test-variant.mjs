#!/usr/bin/env node
// The suite's other runs, beside `npm test` on the machine's Node 20:
//   node scripts/test-variant.mjs node24   the unit and integration suites on Node.js 24
//   node scripts/test-variant.mjs future   the time-sensitive suites with the clock 400 days ahead (faketime)
// Extra arguments are passed to jest (e.g. a path pattern to run fewer suites).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { provideNode24 } from './node24.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
// Unit and integration suites: everything but the conformance case lists and interop peers,
// which test other programs and run once, on Node 20.
const UNIT_AND_INTEGRATION = ['schemas/', 'vtn/', 'ven/', 'anchor/', 'iec104/', 'bridge/test/derive', 'bridge/test/bridge.test', 'bridge/test/upstream-config', 'bridge/test/bridge-push-xmpp', 'test/integration/'];
// Suites that meet the wall clock: a VTN, a VEN or an anchor running on real time, certificates,
// signatures with freshness windows, day boundaries.
const TIME_SENSITIVE = ['test/integration/', 'vtn/test/', 'ven/test/', 'anchor/test/', 'schemas/test/signature', 'conformance/test/vtn-conformance', 'conformance/interop/openleadr-ven'];

const [variant, ...rest] = process.argv.slice(2);
const patterns = rest.length ? rest : variant === 'future' ? TIME_SENSITIVE : UNIT_AND_INTEGRATION;
let command;
let args;
const env = { ...process.env };
if (variant === 'node24') {
  const { node, binding } = provideNode24();
  command = node;
  args = ['--experimental-vm-modules', jest, ...patterns];
  env.FLEXBRIDGE_SQLITE_BINDING = binding;
  console.log(`test: the unit and integration suites on ${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}`);
} else if (variant === 'future') {
  if (!existsSync('/usr/bin/faketime')) {
    console.error("test: faketime is missing: run `npm run setup` (installs Debian's faketime package)");
    process.exit(1);
  }
  command = '/usr/bin/faketime';
  // The wall clock a year ahead, flowing normally; monotonic time (timers) untouched.
  // Two kinds of suite stay on the true clock, in the main run: Fabric's (its peers and orderers are
  // static Go binaries that faketime cannot move, so they would refuse certificates issued a year
  // ahead; excluded by name, reported skipped) and the browser test (Chromium does not load a page
  // under libfaketime).
  args = ['-f', '+400d', process.execPath, '--experimental-vm-modules', jest, '--testPathIgnorePatterns', '/node_modules/', '/dist/', 'fabric-', 'dashboard\\.test', '-t', '^(?!.*(Fabric))', ...patterns];
  env.FAKETIME_DONT_FAKE_MONOTONIC = '1';
  // Certificates issued under the moved clock go to their own test PKI.
  env.FLEXBRIDGE_TEST_PKI = join(root, '.flexbridge', 'test-pki-future');
  const year = spawnSync('/usr/bin/faketime', ['-f', '+400d', 'date', '-u', '+%Y-%m-%d'], { encoding: 'utf8', env }).stdout.trim();
  console.log(`test: the time-sensitive suites with the clock 400 days ahead (${year})`);
} else {
  console.error('usage: node scripts/test-variant.mjs node24|future [jest arguments]');
  process.exit(2);
}
const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
process.exit(run.status ?? 1);
