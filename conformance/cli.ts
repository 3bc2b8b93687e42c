import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { openTestPki, readPem } from '../src/pki.js';
import { vtnCases } from './cases/vtn/index.js';
import { venCases } from './cases/ven/index.js';
import { startVenCase, type VenTarget } from './harness/ven-target.js';
import { junitXml, resultTable } from './harness/report.js';
import { runCases, type CaseResult } from './harness/runner.js';
import { flexBridgeOperator, vtnCaseContext, type VtnTarget } from './harness/vtn-target.js';

const USAGE = `usage: flexbridge conformance --vtn URL --ca FILE (--pki DIR | --cert FILE --key FILE) [--operator-api URL] [--cases REGEX] [--json FILE] [--junit FILE]
       flexbridge conformance --ven 'COMMAND {url} {dir}' --ca FILE (--pki DIR | --cert FILE --key FILE) [--cases REGEX] [--json FILE] [--junit FILE]
  --vtn: runs the OpenADR 2.0b VTN case list against the VTN at URL (…/OpenADR2/Simple/2.0b), the harness acting as its VENs.
  --ven: runs the VEN case list, the harness acting as the VTN (HTTPS, mutual TLS, its certificate from --pki or
         --cert/--key); COMMAND starts the VEN under test for each case, with {url} replaced by the harness VTN's URL
         and {dir} by a fresh directory (so each case starts unregistered).
  --pki DIR      a test PKI (npm run pki) whose CA the VTN trusts: one fresh VEN certificate per case
  --cert/--key   one client certificate for every case (cases then share a VEN)
  --operator-api a FlexBridge-shaped operator API, for the cases where the VTN must issue events`;

/** `flexbridge conformance …`: a pass/fail table with reasons, progress while it runs, JSON and JUnit reports. */
export async function runConformance(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      vtn: { type: 'string' }, ven: { type: 'string' }, ca: { type: 'string' }, pki: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' },
      'operator-api': { type: 'string' }, cases: { type: 'string' }, json: { type: 'string' }, junit: { type: 'string' }, help: { type: 'boolean', default: false },
    } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) { console.log(USAGE); return 0; }
  if ((!values.vtn && !values.ven) || !values.ca || (!values.pki && !(values.cert && values.key))) { console.error(USAGE); return 2; }
  const pki = values.pki ? openTestPki(values.pki) : undefined;
  const report = (title: string, results: CaseResult[]): number => {
    console.log(`\n${resultTable(results)}`);
    const write = (file: string, text: string): void => { mkdirSync(dirname(file), { recursive: true }); writeFileSync(file, text); };
    if (values.json) write(values.json, `${JSON.stringify({ target: values.vtn ?? values.ven, role: values.vtn ? 'VTN' : 'VEN', ranAt: new Date().toISOString(), results }, null, 2)}\n`);
    if (values.junit) write(values.junit, junitXml(title, results));
    return results.some((r) => r.outcome === 'fail') ? 1 : 0;
  };
  const progress = (r: CaseResult, i: number, total: number): void => {
    process.stdout.write(`[${String(i + 1).padStart(2)}/${total}] ${r.id} ${r.outcome}${r.outcome === 'pass' ? '' : ` — ${r.reason}`}\n`);
  };
  if (values.ven) {
    const command = values.ven;
    const server = pki ? pki.issue('conformance-harness-vtn', 'ecdsa') : undefined;
    const target: VenTarget = {
      server: { key: readFileSync(server?.keyPath ?? values.key!, 'utf8'), cert: readFileSync(server?.certPath ?? values.cert!, 'utf8'), ca: readFileSync(values.ca, 'utf8') },
      async start(url) {
        const dir = mkdtempSync(join(tmpdir(), 'conformance-ven-'));
        const child = spawn('sh', ['-c', command.replaceAll('{url}', url).replaceAll('{dir}', dir)], { stdio: 'ignore', detached: true });
        return {
          async stop() {
            if (child.exitCode !== null) return;
            const exited = new Promise((r) => child.once('exit', r));
            try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([exited, new Promise((r) => { timer = setTimeout(r, 5_000); })]);
            clearTimeout(timer);
          },
        };
      },
    };
    const selected = values.cases ? venCases.filter((c) => new RegExp(values.cases!).test(c.id)) : venCases;
    console.log(`OpenADR 2.0b conformance: ${selected.length} VEN cases against \`${command}\`\n`);
    return report('OpenADR 2.0b VEN conformance', await runCases(selected, target, () => startVenCase(target), progress));
  }
  const target: VtnTarget = {
    oadrUrl: values.vtn!, ca: readFileSync(values.ca, 'utf8'),
    identities: (label) => {
      if (!pki) return { keyPem: readFileSync(values.key!, 'utf8'), certPem: readFileSync(values.cert!, 'utf8') };
      const issued = pki.issue(label, 'ecdsa');
      return { keyPem: readPem(issued.keyPath), certPem: readPem(issued.certPath) };
    },
    ...(values['operator-api'] ? { operator: flexBridgeOperator(values['operator-api']) } : {}),
  };
  const selected = values.cases ? vtnCases.filter((c) => new RegExp(values.cases!).test(c.id)) : vtnCases;
  console.log(`OpenADR 2.0b conformance: ${selected.length} VTN cases against ${values.vtn!}\n`);
  return report('OpenADR 2.0b VTN conformance', await runCases(selected, target, () => vtnCaseContext(target), progress));
}
