#!/usr/bin/env node
// npm run setup — installs, idempotently, everything the tests need beyond `npm install`.
// Each step checks first and does nothing when its part is already in place. Later issues add
// steps here (Prosody from Debian, OpenLEADR/c104/asyncua from PyPI, Fabric binaries built with Go).
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const steps = [
  {
    name: 'OpenADR 2.0b XSD set (from the pinned openleadr wheel on PyPI)',
    run: () => execFileSync(process.execPath, [join(root, 'scripts/fetch-xsd.mjs')], { stdio: 'inherit' }),
  },
];

for (const [i, step] of steps.entries()) {
  console.log(`[setup ${i + 1}/${steps.length}] ${step.name}`);
  step.run();
}
console.log('setup: done');
