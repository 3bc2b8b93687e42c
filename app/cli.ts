// flexbridge's commands: each is one small module of its layer; this file only dispatches.
import { runDemo } from './demo.js';
import { runValidate } from './validate-command.js';
import { runPki } from './pki-command.js';
import { runVtn } from '../vtn/cli.js';
import { runAnchor } from '../anchor/cli.js';
import { runVen } from '../ven/cli.js';
import { runIec104 } from '../iec104/cli.js';
import { runConformance } from '../conformance/cli.js';
import { runFabric } from '../anchor/fabric/cli.js';
import { AnchorConfigError } from '../anchor/index.js';
import { vtnHooks } from './anchored-vtn.js';

/** Help for the commands that do not print their own on --help. */
const HELP: Record<string, string> = {
  demo: `usage: flexbridge demo [--households N] [--ledger embedded|fabric] [--upstream] [--port P] [--serve | --exit]

Replays seed 002's DR day on embedded defaults: a test PKI, the VTN with mutual TLS, N simulated
households as VENs (default 2), 35 days of telemetry anchored on the embedded ledger, a DR event
07:00–19:00 allocated by the contract and sent as per-VEN OpenADR events, households that comply and
households that do not, settlement in tokens, the UVAM's IEC 104 station. Prints a table and plots,
then serves the dashboard until Ctrl-C in a terminal (--serve from a script, --exit to stop at once;
--port for the dashboard, default 8080). With --ledger fabric the contract runs on a local
Hyperledger Fabric network that the demo brings up and down. With --upstream FlexBridge is also the
bridge: openleadr-rs's OpenADR 3.1 VTN (built from crates.io on first use, about 10 minutes; npm run
setup builds it too) plays the utility, its setpoint is shared among the households by the contract,
and the fleet's power is reported back to it; the dashboard's "Upstream events" table shows the
chain. Data goes to .flexbridge/demo-<time>/.`,
  pki: `usage: flexbridge pki [DIR]

Creates (or reuses) a test PKI with openssl in DIR (default .flexbridge/pki): a CA, the VTN's and
VENs' certificates in RSA and ECDSA, and prints each certificate's venID. For tests and demos only.`,
  validate: `usage: flexbridge validate FILE…

Checks OpenADR 2.0b payload files against the official XSD set and prints each decoded message, or
the typed error (kind, the responseCode a VTN would answer) when a file is refused.`,
};

const commands: Record<string, { summary: string; run: (args: string[]) => Promise<number> }> = {
  demo: { summary: "replay seed 002's DR day end to end: VTN, household VENs, contract allocation, anchoring, settlement, dashboard", run: runDemo },
  vtn: { summary: 'run the VTN (OpenADR 2.0b over HTTPS with mutual TLS, OpenADR 3.1, operator API; a bridge to an upstream VTN): --config FILE', run: runVtnCommand },
  ven: { summary: 'run a VEN (HTTP pull, mutual TLS) with telemetry from a file or a constant: --config FILE', run: runVen },
  iec104: { summary: 'IEC 60870-5-104 controlling station: interrogate, clock, setpoint, watch a station (TCP or TLS)', run: runIec104 },
  conformance: { summary: 'run the OpenADR 2.0b conformance cases against a VTN (pass/fail table, JSON and JUnit reports)', run: runConformance },
  fabric: { summary: 'a local Hyperledger Fabric network (two organisations, Raft or BFT, the DR contract): up, down, status, env', run: runFabric },
  anchor: { summary: 'verify the embedded ledger, export a settlement proof, check a proof offline', run: runAnchor },
  pki: { summary: 'create a test PKI (CA, VTN and VEN certificates, RSA and ECDSA) with openssl', run: runPki },
  validate: { summary: 'validate OpenADR 2.0b payload files against the official XSD and print the decoded message', run: runValidate },
};

/** `flexbridge vtn`, with the bridge and, given `--anchor FILE`, the anchor and the contract's allocation in the process. */
async function runVtnCommand(args: string[]): Promise<number> {
  let hooks;
  try {
    hooks = vtnHooks(args);
  } catch (error) {
    if (!(error instanceof AnchorConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  return runVtn(args, hooks);
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.log('usage: flexbridge <command> [options]\n');
    for (const [key, value] of Object.entries(commands)) console.log(`  ${key.padEnd(10)} ${value.summary}`);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  if ((args.includes('--help') || args.includes('-h')) && HELP[name!]) {
    console.log(HELP[name!]);
    return 0;
  }
  return command.run(args);
}
