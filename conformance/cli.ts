import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { openTestPki, readPem } from '../src/pki.js';
import { vtnCases } from './cases/vtn/index.js';
import { junitXml, resultTable } from './harness/report.js';
import { runCases, type CaseResult } from './harness/runner.js';
import { flexBridgeOperator, vtnCaseContext, type VtnTarget } from './harness/vtn-target.js';

const USAGE = `usage: flexbridge conformance --vtn URL --ca FILE (--pki DIR | --cert FILE --key FILE) [--operator-api URL] [--cases REGEX] [--json FILE] [--junit FILE]
  Runs the OpenADR 2.0b VTN case list against the VTN at URL (…/OpenADR2/Simple/2.0b), the harness acting as its VENs.
  --pki DIR      a test PKI (npm run pki) whose CA the VTN trusts: one fresh VEN certificate per case
  --cert/--key   one client certificate for every case (cases then share a VEN)
  --operator-api a FlexBridge-shaped operator API, for the cases where the VTN must issue events`;

/** `flexbridge conformance …`: a pass/fail table with reasons, progress while it runs, JSON and JUnit reports. */
export async function runConformance(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      vtn: { type: 'string' }, ca: { type: 'string' }, pki: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' },
      'operator-api': { type: 'string' }, cases: { type: 'string' }, json: { type: 'string' }, junit: { type: 'string' }, help: { type: 'boolean', default: false },
    } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) { console.log(USAGE); return 0; }
  if (!values.vtn || !values.ca || (!values.pki && !(values.cert && values.key))) { console.error(USAGE); return 2; }
  const pki = values.pki ? openTestPki(values.pki) : undefined;
  const target: VtnTarget = {
    oadrUrl: values.vtn, ca: readFileSync(values.ca, 'utf8'),
    identities: (label) => {
      if (!pki) return { keyPem: readFileSync(values.key!, 'utf8'), certPem: readFileSync(values.cert!, 'utf8') };
      const issued = pki.issue(label, 'ecdsa');
      return { keyPem: readPem(issued.keyPath), certPem: readPem(issued.certPath) };
    },
    ...(values['operator-api'] ? { operator: flexBridgeOperator(values['operator-api']) } : {}),
  };
  const selected = values.cases ? vtnCases.filter((c) => new RegExp(values.cases!).test(c.id)) : vtnCases;
  console.log(`OpenADR 2.0b conformance: ${selected.length} VTN cases against ${values.vtn}\n`);
  const results = await runCases(selected, target, () => vtnCaseContext(target), (r: CaseResult, i, total) => {
    process.stdout.write(`[${String(i + 1).padStart(2)}/${total}] ${r.id} ${r.outcome}${r.outcome === 'pass' ? '' : ` — ${r.reason}`}\n`);
  });
  console.log(`\n${resultTable(results)}`);
  const write = (file: string, text: string): void => { mkdirSync(dirname(file), { recursive: true }); writeFileSync(file, text); };
  if (values.json) write(values.json, `${JSON.stringify({ target: values.vtn, role: 'VTN', ranAt: new Date().toISOString(), results }, null, 2)}\n`);
  if (values.junit) write(values.junit, junitXml('OpenADR 2.0b VTN conformance', results));
  return results.some((r) => r.outcome === 'fail') ? 1 : 0;
}
