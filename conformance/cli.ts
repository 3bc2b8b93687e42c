import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../src/free-port.js';
import { openTestPki, readPem } from '../src/pki.js';
import { vtnCases, xmppVtnCases } from './cases/vtn/index.js';
import { venCases } from './cases/ven/index.js';
import { startVenCase, type VenTarget } from './harness/ven-target.js';
import { junitXml, resultTable } from './harness/report.js';
import { runCases, type CaseResult } from './harness/runner.js';
import { flexBridgeOperator, vtnCaseContext, type VtnTarget } from './harness/vtn-target.js';
import { xmppVtnCaseContext, type XmppVtnAccess } from './harness/vtn-xmpp-target.js';
import { vtn3Cases } from './cases/vtn3/index.js';
import { Vtn3CaseContext, type Vtn3Target } from './harness/vtn3-target.js';

const USAGE = `usage: flexbridge conformance --vtn URL --ca FILE (--pki DIR | --cert FILE --key FILE) [--operator-api URL [--operator-token T]] [--cases REGEX] [--json FILE] [--junit FILE]
       flexbridge conformance --vtn-xmpp JID --xmpp-service URL --xmpp-accounts FILE --ca FILE [--operator-api URL] [--cases REGEX] [--json FILE] [--junit FILE]
       flexbridge conformance --vtn3 URL --client-id ID --client-secret S [--ven-client-id ID --ven-client-secret S] [--ca FILE] [--callback-host HOST] [--callback-timeout SECONDS] [--cases REGEX] [--json FILE] [--junit FILE]
       flexbridge conformance --ven 'COMMAND {url} {dir} [{venId}]' [--ven-push 'COMMAND {url} {dir} {port}'] --ca FILE (--pki DIR | --cert FILE --key FILE) [--cases REGEX] [--json FILE] [--junit FILE]
  --vtn: runs the OpenADR 2.0b VTN case list (pull, push, security) against the VTN at URL (…/OpenADR2/Simple/2.0b),
         the harness acting as its VENs (push cases open HTTPS endpoints on 127.0.0.1 for the VTN to post to).
  --vtn3: runs the OpenADR 3.x VTN case list (auth, programs, events, VENs and resources, reports, subscriptions
         with their callbacks, errors) against the VTN whose 3.x base URL is URL, the harness acting as the business
         logic client (--client-id/--client-secret) and, when given, a VEN client (VEN-role cases are not applicable
         without one); callbacks are received on an HTTP port of this machine the VTN reaches as --callback-host
         (default 127.0.0.1), each callback case waiting --callback-timeout seconds (default 10). Objects the cases make are named conf-… and deleted after each case where the VTN allows.
  --vtn-xmpp: runs the push list and the security cases over the XMPP binding against the VTN's full JID; the harness
         logs in to --xmpp-service (xmpps://host:port, server certificate from --ca) with one account of
         --xmpp-accounts (a JSON list of {"username","password"}) per fresh VEN.
  --ven: runs the VEN case list, the harness acting as the VTN (HTTPS, mutual TLS, its certificate from --pki or
         --cert/--key); COMMAND starts the VEN under test for each case, with {url} replaced by the harness VTN's URL
         and {dir} by a fresh directory (so each case starts unregistered); with {venId} in it, the pre-allocated
         venID cases run too. --ven-push starts the VEN as a push VEN listening on 127.0.0.1:{port} (push
         cases are not applicable without it). Cases where the VEN must act on its own (opts, cancelling its
         registration) need a VEN the harness can drive and are not applicable from the command line.
  --pki DIR      a test PKI (npm run pki) whose CA the VTN trusts: one fresh VEN certificate per case
  --cert/--key   one client certificate for every case (cases then share a VEN)
  --operator-api a FlexBridge-shaped operator API, for the cases where the VTN must act (issue events, cancel a
                 registration, request reports); without it those cases are reported not applicable`;

/** `flexbridge conformance …`: a pass/fail table with reasons, progress while it runs, JSON and JUnit reports. */
export async function runConformance(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: {
      vtn: { type: 'string' }, ven: { type: 'string' }, ca: { type: 'string' }, pki: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' },
      'operator-api': { type: 'string' }, 'ven-push': { type: 'string' }, 'operator-token': { type: 'string' }, 'vtn-xmpp': { type: 'string' }, 'xmpp-service': { type: 'string' }, 'xmpp-accounts': { type: 'string' }, vtn3: { type: 'string' }, 'client-id': { type: 'string' }, 'client-secret': { type: 'string' }, 'ven-client-id': { type: 'string' }, 'ven-client-secret': { type: 'string' }, 'callback-host': { type: 'string' }, 'callback-timeout': { type: 'string' }, cases: { type: 'string' }, json: { type: 'string' }, junit: { type: 'string' }, help: { type: 'boolean', default: false },
    } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) { console.log(USAGE); return 0; }
  const operator = values['operator-api'] ? { operator: flexBridgeOperator(values['operator-api'], values['operator-token']) } : {};
  if (!values.vtn3 && (!values.ca || (!values['vtn-xmpp'] && ((!values.vtn && !values.ven) || (!values.pki && !(values.cert && values.key)))))) { console.error(USAGE); return 2; }
  const pki = values.pki ? openTestPki(values.pki) : undefined;
  const report = (title: string, results: CaseResult[], target = values.vtn ?? values['vtn-xmpp'] ?? values.ven, role = values.ven ? 'VEN' : 'VTN'): number => {
    console.log(`\n${resultTable(results)}`);
    const write = (file: string, text: string): void => { mkdirSync(dirname(file), { recursive: true }); writeFileSync(file, text); };
    if (values.json) write(values.json, `${JSON.stringify({ target, role, ranAt: new Date().toISOString(), results }, null, 2)}\n`);
    if (values.junit) write(values.junit, junitXml(title, results));
    return results.some((r) => r.outcome === 'fail') ? 1 : 0;
  };
  const progress = (r: CaseResult, i: number, total: number): void => {
    process.stdout.write(`[${String(i + 1).padStart(String(total).length)}/${total}] ${r.id} ${r.outcome}${r.outcome === 'pass' ? '' : ` — ${r.reason}`}\n`);
  };
  if (values.vtn3) {
    if (!values['client-id'] || !values['client-secret'] || Boolean(values['ven-client-id']) !== Boolean(values['ven-client-secret'])) { console.error(USAGE); return 2; }
    const target: Vtn3Target = {
      url: values.vtn3, bl: { clientId: values['client-id'], clientSecret: values['client-secret'] },
      ...(values['ven-client-id'] ? { ven: { clientId: values['ven-client-id'], clientSecret: values['ven-client-secret']! } } : {}),
      ...(values.ca ? { ca: readFileSync(values.ca, 'utf8') } : {}), ...(values['callback-host'] ? { callbackHost: values['callback-host'] } : {}),
      ...(values['callback-timeout'] ? { callbackTimeoutMs: Number(values['callback-timeout']) * 1000 } : {}),
    };
    const selected = values.cases ? vtn3Cases.filter((c) => new RegExp(values.cases!).test(c.id)) : vtn3Cases;
    console.log(`OpenADR 3.x conformance: ${selected.length} VTN cases against ${values.vtn3}\n`);
    const results = await runCases(selected, target, () => new Vtn3CaseContext(target), progress);
    return report('OpenADR 3.x VTN conformance', results, values.vtn3, 'VTN');
  }
  if (values['vtn-xmpp']) {
    if (!values['xmpp-service'] || !values['xmpp-accounts']) { console.error(USAGE); return 2; }
    const jid = values['vtn-xmpp'];
    const accounts = JSON.parse(readFileSync(values['xmpp-accounts'], 'utf8')) as { username: string; password: string }[];
    const access: XmppVtnAccess = {
      service: values['xmpp-service'], domain: jid.split('@')[1]?.split('/')[0] ?? '', ca: readFileSync(values.ca!, 'utf8'), vtnJid: jid,
      account() {
        const next = accounts.shift();
        if (!next) throw new Error(`--xmpp-accounts ran out of accounts (each case needs one or two fresh VENs)`);
        return next;
      },
    };
    const target: VtnTarget = { oadrUrl: `xmpp:${jid}`, ca: access.ca, identities: () => ({ keyPem: '', certPem: '' }), ...operator };
    const selected = values.cases ? xmppVtnCases.filter((c) => new RegExp(values.cases!).test(c.id)) : xmppVtnCases;
    console.log(`OpenADR 2.0b conformance: ${selected.length} VTN cases over XMPP against ${jid}\n`);
    return report('OpenADR 2.0b VTN conformance (XMPP)', await runCases(selected, target, () => xmppVtnCaseContext(target, access), progress));
  }
  if (values.ven) {
    const command = values.ven;
    const server = pki ? pki.issue('conformance-harness-vtn', 'ecdsa') : undefined;
    const pushCommand = values['ven-push'];
    const target: VenTarget = {
      server: { key: readFileSync(server?.keyPath ?? values.key!, 'utf8'), cert: readFileSync(server?.certPath ?? values.cert!, 'utf8'), ca: readFileSync(values.ca!, 'utf8') },
      push: pushCommand !== undefined, preallocatedVenId: command.includes('{venId}'),
      async start(url, { delivery, venId }) {
        const dir = mkdtempSync(join(tmpdir(), 'conformance-ven-'));
        const port = delivery === 'push' ? await freePort() : 0;
        const line = (delivery === 'push' ? pushCommand! : command).replaceAll('{url}', url).replaceAll('{dir}', dir).replaceAll('{port}', String(port)).replaceAll('{venId}', venId ?? '');
        const child = spawn('sh', ['-c', line], { stdio: 'ignore', detached: true });
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
    return report('OpenADR 2.0b VEN conformance', await runCases(selected, target, (c) => startVenCase(target, c), progress));
  }
  const target: VtnTarget = {
    oadrUrl: values.vtn!, ca: readFileSync(values.ca!, 'utf8'),
    identities: (label) => {
      if (!pki) return { keyPem: readFileSync(values.key!, 'utf8'), certPem: readFileSync(values.cert!, 'utf8') };
      const issued = pki.issue(label, 'ecdsa');
      return { keyPem: readPem(issued.keyPath), certPem: readPem(issued.certPath) };
    },
    ...operator,
  };
  const selected = values.cases ? vtnCases.filter((c) => new RegExp(values.cases!).test(c.id)) : vtnCases;
  console.log(`OpenADR 2.0b conformance: ${selected.length} VTN cases against ${values.vtn!}\n`);
  return report('OpenADR 2.0b VTN conformance', await runCases(selected, target, () => vtnCaseContext(target), progress));
}

