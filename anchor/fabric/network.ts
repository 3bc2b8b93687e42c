import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ATTRIBUTE } from '../chaincode/records.js';
import type { LedgerIdentity } from '../ledger/embedded-ledger.js';
import { FabricLedger, type FabricSigningIdentity } from './fabric-ledger.js';
import { OrganisationPki, pem, type Identity, type TlsPair } from './msp.js';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

export type Consensus = 'raft' | 'bft';

export interface FabricNetworkOptions {
  /** Where crypto material, data, logs and the state file live. */
  readonly dir: string;
  /** Fabric's release layout (bin/, config/, builders/ccaas/); default: what `npm run setup` recorded. */
  readonly fabricHome?: string;
  readonly consensus?: Consensus;
  /** First of the ports the network takes on 127.0.0.1 (about 30 consecutive ones). */
  readonly basePort?: number;
  /** Block cutting: seed 002's settings are 2 s and 10 (the defaults here are tuned: 250 ms, 100). */
  readonly batchTimeout?: string;
  readonly maxMessageCount?: number;
  readonly channel?: string;
  readonly chaincode?: string;
  /** Progress lines for a person (the CLI prints them). */
  readonly progress?: (line: string) => void;
}

export interface OrgDefinition {
  readonly key: 'operator' | 'retailer';
  readonly mspId: string;
  readonly domain: string;
}

/** Seed 002 §4.3–4.4: the system operator (the infrastructural node) and a retailer with its customers. */
export const ORGANISATIONS: readonly OrgDefinition[] = [
  { key: 'operator', mspId: 'SystemOperatorMSP', domain: 'operator.flexbridge.example' },
  { key: 'retailer', mspId: 'RetailerMSP', domain: 'retailer.flexbridge.example' },
];
const ORDERER_MSP = 'OrdererMSP';
/** The channel-, application- and orderer-level policies every section of configtx.yaml shares. */
const IMPLICIT_POLICIES = `    Readers: { Type: ImplicitMeta, Rule: "ANY Readers" }
    Writers: { Type: ImplicitMeta, Rule: "ANY Writers" }
    Admins: { Type: ImplicitMeta, Rule: "MAJORITY Admins" }`;

interface ProcessRecord { readonly name: string; readonly pid: number; readonly log: string }
interface NetworkState { processes: ProcessRecord[]; packageId?: string; ready?: boolean; consensus: Consensus; basePort?: number }

export interface PeerEndpoint {
  readonly org: OrgDefinition;
  readonly address: string;
  readonly tlsCaPath: string;
  readonly hostOverride: string;
}

/**
 * A local Hyperledger Fabric network started natively (no Docker): an ordering service of three
 * Raft orderers (or four SmartBFT ones) joined to one application channel through the channel
 * participation API, one peer per organisation (LevelDB, TLS everywhere), and the DR contract
 * deployed through the lifecycle as chaincode-as-a-service with an endorsement policy that needs
 * both organisations. Every port is on 127.0.0.1; everything lives under `dir`.
 */
export class FabricNetwork {
  readonly dir: string;
  readonly home: string;
  readonly consensus: Consensus;
  readonly channel: string;
  readonly chaincode: string;
  private readonly basePort: number;
  private readonly progress: (line: string) => void;
  private readonly pkis = new Map<string, OrganisationPki>();
  private readonly signers = new Map<string, FabricSigningIdentity>();

  constructor(private readonly options: FabricNetworkOptions) {
    this.dir = resolve(options.dir);
    this.home = options.fabricHome ?? fabricHome();
    this.consensus = options.consensus ?? (this.readState()?.consensus ?? 'raft');
    this.channel = options.channel ?? 'flexbridge';
    this.chaincode = options.chaincode ?? 'flexbridge-dr';
    // A network already made in `dir` keeps its ports: env, status and proof commands find it.
    this.basePort = options.basePort ?? this.readState()?.basePort ?? 7050;
    this.progress = options.progress ?? (() => undefined);
  }

  get ordererCount(): number {
    return this.consensus === 'bft' ? 4 : 3;
  }

  // ---- ports ------------------------------------------------------------------------------
  ordererPort(i: number): number { return this.basePort + i; }
  private ordererAdminPort(i: number): number { return this.basePort + 5 + i; }
  private ordererOpsPort(i: number): number { return this.basePort + 10 + i; }
  peerPort(org: OrgDefinition): number { return this.basePort + 15 + ORGANISATIONS.indexOf(org) * 3; }
  private peerChaincodePort(org: OrgDefinition): number { return this.peerPort(org) + 1; }
  private peerOpsPort(org: OrgDefinition): number { return this.peerPort(org) + 2; }
  chaincodePort(): number { return this.basePort + 25; }

  // ---- material ---------------------------------------------------------------------------
  /** One PKI object per organisation: opening one writes its MSP folder, which is done once. */
  private pki(org: OrgDefinition | 'orderer'): OrganisationPki {
    const key = org === 'orderer' ? 'orderer' : org.key;
    let pki = this.pkis.get(key);
    if (!pki) {
      pki = org === 'orderer'
        ? new OrganisationPki(join(this.dir, 'crypto', 'orderer'), ORDERER_MSP, 'orderer.flexbridge.example')
        : new OrganisationPki(join(this.dir, 'crypto', org.key), org.mspId, org.domain);
      this.pkis.set(key, pki);
    }
    return pki;
  }

  org(key: 'operator' | 'retailer'): OrgDefinition {
    return ORGANISATIONS.find((o) => o.key === key)!;
  }

  /** A client identity of an organisation with the contract's X.509 attributes (issued once, reused). */
  clientIdentity(key: 'operator' | 'retailer', name: string, attributes: Readonly<Record<string, string>>): Identity & { mspId: string } {
    const org = this.org(key);
    return { ...this.pki(org).identity(name, 'client', attributes), mspId: org.mspId };
  }

  /**
   * The certificate and key that act for a contract identity: issued by its organisation's CA
   * with the identity's attributes (flexbridge.role, retailerId, customerId), once, then reused.
   */
  signerFor(identity: LedgerIdentity): FabricSigningIdentity {
    // Asked on every submit: issued and read from disk once per identity.
    const cacheKey = `${identity.mspId}\n${identity.id}\n${JSON.stringify(identity.attributes)}`;
    const cached = this.signers.get(cacheKey);
    if (cached) return cached;
    const org = ORGANISATIONS.find((o) => o.mspId === identity.mspId);
    if (!org) throw new Error(`no organisation ${identity.mspId} on this network (${ORGANISATIONS.map((o) => o.mspId).join(', ')})`);
    const name = identity.id.replace(/^x509::/, '').replace(/^CN=/, '').replace(/[^\w.-]/g, '_') || 'client';
    const issued = this.clientIdentity(org.key, name, identity.attributes);
    const signer = { mspId: org.mspId, certificatePem: pem(issued.certPath), privateKeyPem: pem(issued.keyPath) };
    this.signers.set(cacheKey, signer);
    return signer;
  }

  /** The DR contract on this network through the operator's gateway peer (or the retailer's). */
  ledger(through: 'operator' | 'retailer' = 'operator'): FabricLedger {
    const peer = this.peerEndpoint(through);
    return new FabricLedger({
      endpoint: peer.address, tlsCaPem: pem(peer.tlsCaPath), hostOverride: peer.hostOverride, channel: this.channel, chaincode: this.chaincode,
      signerFor: (identity) => this.signerFor(identity),
    });
  }

  adminIdentity(key: 'operator' | 'retailer'): Identity {
    return this.pki(this.org(key)).identity('Admin', 'admin');
  }

  peerEndpoint(key: 'operator' | 'retailer'): PeerEndpoint {
    const org = this.org(key);
    return { org, address: `127.0.0.1:${this.peerPort(org)}`, tlsCaPath: this.pki(org).tlsCaPath, hostOverride: 'localhost' };
  }

  private configDir(): string {
    return join(this.dir, 'config');
  }

  /** Crypto material, core.yaml/orderer.yaml and the channel's genesis block (idempotent). */
  prepare(): void {
    const orderer = this.pki('orderer');
    for (let i = 0; i < this.ordererCount; i++) { orderer.identity(`orderer${i}`, 'orderer'); orderer.tls(`orderer${i}`); }
    orderer.identity('Admin', 'admin');
    orderer.tls('admin');
    for (const org of ORGANISATIONS) {
      const pki = this.pki(org);
      pki.identity('peer0', 'peer');
      pki.tls('peer0');
      pki.identity('Admin', 'admin');
      pki.tls('admin');
    }
    const config = this.configDir();
    mkdirSync(config, { recursive: true });
    // Peers must not look for a Docker daemon (no Docker here; chaincode runs as a service).
    const core = readFileSync(join(this.home, 'config', 'core.yaml'), 'utf8').replace(/endpoint: unix:\/\/\/var\/run\/docker\.sock/, 'endpoint: ""');
    writeFileSync(join(config, 'core.yaml'), core);
    copyFileSync(join(this.home, 'config', 'orderer.yaml'), join(config, 'orderer.yaml'));
    writeFileSync(join(config, 'configtx.yaml'), this.configtx());
  }

  private configtx(): string {
    const orderer = this.pki('orderer');
    const policies = (msp: string, withEndorsement: boolean): string => `    Policies:
      Readers: { Type: Signature, Rule: "OR('${msp}.member')" }
      Writers: { Type: Signature, Rule: "OR('${msp}.member')" }
      Admins: { Type: Signature, Rule: "OR('${msp}.admin')" }${withEndorsement ? `\n      Endorsement: { Type: Signature, Rule: "OR('${msp}.peer')" }` : ''}`;
    const orgs = ORGANISATIONS.map((o) => `  - &${o.key}
    Name: ${o.mspId}
    ID: ${o.mspId}
    MSPDir: ${this.pki(o).mspDir}
${policies(o.mspId, true)}
    AnchorPeers:
      - { Host: 127.0.0.1, Port: ${this.peerPort(o)} }`).join('\n');
    const tls = (i: number): TlsPair => orderer.tls(`orderer${i}`);
    const indices = Array.from({ length: this.ordererCount }, (_, i) => i);
    const consensus = this.consensus === 'raft'
      ? `  OrdererType: etcdraft
  EtcdRaft:
    Consenters:
${indices.map((i) => `      - { Host: 127.0.0.1, Port: ${this.ordererPort(i)}, ClientTLSCert: ${tls(i).certPath}, ServerTLSCert: ${tls(i).certPath} }`).join('\n')}
    Options: { TickInterval: 250ms, ElectionTick: 10, HeartbeatTick: 1, MaxInflightBlocks: 5, SnapshotIntervalSize: 16 MB }`
      : `  OrdererType: BFT
  ConsenterMapping:
${indices.map((i) => `    - { ID: ${i + 1}, Host: 127.0.0.1, Port: ${this.ordererPort(i)}, MSPID: ${ORDERER_MSP}, ClientTLSCert: ${tls(i).certPath}, ServerTLSCert: ${tls(i).certPath}, Identity: ${orderer.identity(`orderer${i}`, 'orderer').certPath} }`).join('\n')}
  SmartBFT:
    RequestBatchMaxCount: 100
    RequestBatchMaxInterval: 50ms
    # Shorter than the sample's 5 s / 20 s: a stopped leader stalls commits ~6 s instead of ~25 s.
    RequestForwardTimeout: 2s
    RequestComplainTimeout: 5s
    RequestAutoRemoveTimeout: 3m0s
    ViewChangeResendInterval: 5s
    ViewChangeTimeout: 20s
    LeaderHeartbeatTimeout: 1m0s
    LeaderHeartbeatCount: 10
    CollectTimeout: 1s
    IncomingMessageBufferSize: 200
    RequestPoolSize: 100000`;
    return `# Written by flexbridge fabric: the FlexBridge channel (seed 002 §4.3–4.4).
Organizations:
  - &OrdererOrg
    Name: ${ORDERER_MSP}
    ID: ${ORDERER_MSP}
    MSPDir: ${orderer.mspDir}
${policies(ORDERER_MSP, false)}
    OrdererEndpoints:
${indices.map((i) => `      - 127.0.0.1:${this.ordererPort(i)}`).join('\n')}
${orgs}

Capabilities:
  Channel: &ChannelCapabilities { V3_0: true }
  Orderer: &OrdererCapabilities { V2_0: true }
  Application: &ApplicationCapabilities { V2_5: true }

Application: &ApplicationDefaults
  Organizations:
  Policies:
${IMPLICIT_POLICIES}
    LifecycleEndorsement: { Type: ImplicitMeta, Rule: "MAJORITY Endorsement" }
    Endorsement: { Type: ImplicitMeta, Rule: "MAJORITY Endorsement" }
  Capabilities: *ApplicationCapabilities

Orderer: &OrdererDefaults
${consensus}
  BatchTimeout: ${this.options.batchTimeout ?? '250ms'}
  BatchSize:
    MaxMessageCount: ${this.options.maxMessageCount ?? 100}
    AbsoluteMaxBytes: 99 MB
    PreferredMaxBytes: 2 MB
  Organizations:
  Policies:
${IMPLICIT_POLICIES}
    BlockValidation: { Type: ImplicitMeta, Rule: "ANY Writers" }

Channel: &ChannelDefaults
  Policies:
${IMPLICIT_POLICIES}
  Capabilities: *ChannelCapabilities

Profiles:
  FlexBridgeChannel:
    <<: *ChannelDefaults
    Orderer:
      <<: *OrdererDefaults
      Organizations: [*OrdererOrg]
      Capabilities: *OrdererCapabilities
    Application:
      <<: *ApplicationDefaults
      Organizations: [${ORGANISATIONS.map((o) => `*${o.key}`).join(', ')}]
      Capabilities: *ApplicationCapabilities
`;
  }

  // ---- processes --------------------------------------------------------------------------
  private statePath(): string {
    return join(this.dir, 'state.json');
  }

  private readState(): NetworkState | undefined {
    try {
      return JSON.parse(readFileSync(this.statePath(), 'utf8')) as NetworkState;
    } catch {
      return undefined;
    }
  }

  private writeState(state: NetworkState): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(this.statePath(), JSON.stringify(state, null, 2));
  }

  private binary(name: string): string {
    return join(this.home, 'bin', name);
  }

  /** Starts a long-running process detached from us, its output in a log file; recorded in the state. */
  private startProcess(state: NetworkState, name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ProcessRecord {
    const existing = state.processes.find((p) => p.name === name);
    if (existing && alive(existing.pid)) return existing;
    const log = join(this.dir, 'logs', `${name}.log`);
    mkdirSync(dirname(log), { recursive: true });
    const out = openSync(log, 'a');
    const child = spawn(command, args, { cwd: repoRoot, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', out, out], detached: true });
    // A binary that cannot be started is reported by its exit below (waitHealthy), never thrown from an event.
    child.on('error', (error) => { try { writeFileSync(log, `start failed: ${error.message}\n`, { flag: 'a' }); } catch { /* log unwritable */ } });
    child.unref();
    const record = { name, pid: child.pid!, log };
    state.processes = [...state.processes.filter((p) => p.name !== name), record];
    this.writeState(state);
    return record;
  }

  ordererEnv(i: number): NodeJS.ProcessEnv {
    const orderer = this.pki('orderer');
    const id = orderer.identity(`orderer${i}`, 'orderer');
    const tls = orderer.tls(`orderer${i}`);
    const data = join(this.dir, 'data', `orderer${i}`);
    return {
      FABRIC_CFG_PATH: this.configDir(), FABRIC_LOGGING_SPEC: 'INFO',
      ORDERER_GENERAL_LISTENADDRESS: '127.0.0.1', ORDERER_GENERAL_LISTENPORT: String(this.ordererPort(i)),
      ORDERER_GENERAL_LOCALMSPID: ORDERER_MSP, ORDERER_GENERAL_LOCALMSPDIR: id.mspDir,
      ORDERER_GENERAL_TLS_ENABLED: 'true', ORDERER_GENERAL_TLS_PRIVATEKEY: tls.keyPath, ORDERER_GENERAL_TLS_CERTIFICATE: tls.certPath, ORDERER_GENERAL_TLS_ROOTCAS: `[${tls.caPath}]`,
      ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: tls.certPath, ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: tls.keyPath, ORDERER_GENERAL_CLUSTER_ROOTCAS: `[${tls.caPath}]`,
      ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none', ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
      ORDERER_ADMIN_LISTENADDRESS: `127.0.0.1:${this.ordererAdminPort(i)}`, ORDERER_ADMIN_TLS_ENABLED: 'true',
      ORDERER_ADMIN_TLS_CERTIFICATE: tls.certPath, ORDERER_ADMIN_TLS_PRIVATEKEY: tls.keyPath, ORDERER_ADMIN_TLS_ROOTCAS: `[${tls.caPath}]`,
      ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true', ORDERER_ADMIN_TLS_CLIENTROOTCAS: `[${tls.caPath}]`,
      ORDERER_OPERATIONS_LISTENADDRESS: `127.0.0.1:${this.ordererOpsPort(i)}`, ORDERER_METRICS_PROVIDER: 'disabled',
      ORDERER_FILELEDGER_LOCATION: join(data, 'ledger'), ORDERER_CONSENSUS_WALDIR: join(data, 'wal'), ORDERER_CONSENSUS_SNAPDIR: join(data, 'snap'),
    };
  }

  peerEnv(org: OrgDefinition): NodeJS.ProcessEnv {
    const pki = this.pki(org);
    const id = pki.identity('peer0', 'peer');
    const tls = pki.tls('peer0');
    const data = join(this.dir, 'data', `peer0.${org.key}`);
    const address = `127.0.0.1:${this.peerPort(org)}`;
    return {
      FABRIC_CFG_PATH: this.configDir(), FABRIC_LOGGING_SPEC: 'INFO',
      CORE_PEER_ID: `peer0.${org.domain}`, CORE_PEER_ADDRESS: address, CORE_PEER_LISTENADDRESS: address,
      CORE_PEER_CHAINCODELISTENADDRESS: `127.0.0.1:${this.peerChaincodePort(org)}`,
      CORE_PEER_GOSSIP_BOOTSTRAP: address, CORE_PEER_GOSSIP_EXTERNALENDPOINT: address, CORE_PEER_GOSSIP_RECONNECTINTERVAL: '2s',
      CORE_PEER_LOCALMSPID: org.mspId, CORE_PEER_MSPCONFIGPATH: id.mspDir,
      CORE_PEER_TLS_ENABLED: 'true', CORE_PEER_TLS_CERT_FILE: tls.certPath, CORE_PEER_TLS_KEY_FILE: tls.keyPath, CORE_PEER_TLS_ROOTCERT_FILE: tls.caPath,
      CORE_PEER_FILESYSTEMPATH: data, CORE_LEDGER_SNAPSHOTS_ROOTDIR: join(data, 'snapshots'), CORE_LEDGER_STATE_STATEDATABASE: 'goleveldb',
      CORE_OPERATIONS_LISTENADDRESS: `127.0.0.1:${this.peerOpsPort(org)}`, CORE_METRICS_PROVIDER: 'disabled',
      CORE_CHAINCODE_EXTERNALBUILDERS: `[{name: ccaas_builder, path: ${join(this.home, 'builders', 'ccaas')}}]`,
    };
  }

  /** What Fabric's own `peer` CLI needs to act as an organisation's admin against its peer. */
  adminEnv(key: 'operator' | 'retailer'): Record<string, string> {
    const org = this.org(key);
    const pki = this.pki(org);
    return {
      PATH: `${join(this.home, 'bin')}:${process.env.PATH ?? ''}`,
      FABRIC_CFG_PATH: this.configDir(),
      CORE_PEER_TLS_ENABLED: 'true', CORE_PEER_LOCALMSPID: org.mspId, CORE_PEER_MSPCONFIGPATH: this.adminIdentity(key).mspDir,
      CORE_PEER_ADDRESS: `127.0.0.1:${this.peerPort(org)}`, CORE_PEER_TLS_ROOTCERT_FILE: pki.tlsCaPath,
      CORE_PEER_TLS_SERVERHOSTOVERRIDE: 'localhost',
      ORDERER_ADDRESS: `127.0.0.1:${this.ordererPort(0)}`, ORDERER_CA: this.pki('orderer').tlsCaPath,
      FLEXBRIDGE_CHANNEL: this.channel, FLEXBRIDGE_CHAINCODE: this.chaincode,
    };
  }

  private async peerCli(key: 'operator' | 'retailer', args: string[], timeoutMs = 60_000): Promise<string> {
    const env = { ...process.env, ...this.adminEnv(key) };
    try {
      const { stdout, stderr } = await run(this.binary('peer'), args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
      return `${stdout}${stderr}`;
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`peer ${args.slice(0, 3).join(' ')} (${key}) failed: ${(e.stderr || e.stdout || e.message).trim().split('\n').slice(-3).join(' | ')}`);
    }
  }

  /** Brings the network up (idempotent): material, orderers, channel, peers, chaincode. Resolves when it commits. */
  async up(): Promise<void> {
    const state: NetworkState = this.readState() ?? { processes: [], consensus: this.consensus };
    if (state.consensus !== this.consensus && state.processes.some((p) => alive(p.pid))) throw new Error(`a ${state.consensus} network is running in ${this.dir}: 'flexbridge fabric down' first`);
    state.consensus = this.consensus;
    state.basePort = this.basePort;
    this.writeState(state);
    this.progress(`material: MSPs for ${ORDERER_MSP}, ${ORGANISATIONS.map((o) => o.mspId).join(', ')} (our PKI, openssl)`);
    this.prepare();
    const block = join(this.dir, 'channel', `${this.channel}.block`);
    if (!existsSync(block)) {
      mkdirSync(dirname(block), { recursive: true });
      await run(this.binary('configtxgen'), ['-configPath', this.configDir(), '-profile', 'FlexBridgeChannel', '-channelID', this.channel, '-outputBlock', block], { env: { ...process.env, FABRIC_CFG_PATH: this.configDir() } });
    }
    this.progress(`orderers: ${this.ordererCount} ${this.consensus === 'raft' ? 'Raft' : 'SmartBFT'} nodes on ports ${this.ordererPort(0)}–${this.ordererPort(this.ordererCount - 1)}`);
    for (let i = 0; i < this.ordererCount; i++) this.startProcess(state, `orderer${i}`, this.binary('orderer'), [], this.ordererEnv(i));
    for (let i = 0; i < this.ordererCount; i++) await waitHealthy(`orderer${i}`, this.ordererOpsPort(i), state);
    const ordererTls = this.pki('orderer').tls('admin');
    for (let i = 0; i < this.ordererCount; i++) {
      const admin = ['-o', `127.0.0.1:${this.ordererAdminPort(i)}`, '--ca-file', ordererTls.caPath, '--client-cert', ordererTls.certPath, '--client-key', ordererTls.keyPath];
      const list = await run(this.binary('osnadmin'), ['channel', 'list', ...admin]);
      if (list.stdout.includes(`"${this.channel}"`)) continue;
      // osnadmin exits 0 whatever the orderer answered: the HTTP status it prints is the outcome.
      const joined = await run(this.binary('osnadmin'), ['channel', 'join', '--channelID', this.channel, '--config-block', block, ...admin]);
      if (!/Status: 20[01]/.test(joined.stdout)) throw new Error(`orderer${i} refused to join ${this.channel}: ${joined.stdout.trim()}`);
    }
    this.progress(`channel '${this.channel}' joined by the ordering service`);
    for (const org of ORGANISATIONS) this.startProcess(state, `peer0.${org.key}`, this.binary('peer'), ['node', 'start'], this.peerEnv(org));
    for (const org of ORGANISATIONS) await waitHealthy(`peer0.${org.key}`, this.peerOpsPort(org), state);
    for (const org of ORGANISATIONS) {
      const joined = await this.peerCli(org.key, ['channel', 'list']);
      if (!joined.split('\n').some((l) => l.trim() === this.channel)) await retry(() => this.peerCli(org.key, ['channel', 'join', '-b', block]), 10, 1_000);
    }
    this.progress(`peers: ${ORGANISATIONS.map((o) => `peer0.${o.key} (${o.mspId}) on ${this.peerPort(o)}`).join(', ')}, joined`);
    await this.deployChaincode(state);
    await this.waitEndorsable();
    state.ready = true;
    this.writeState(state);
    this.progress(`ready: chaincode '${this.chaincode}' committed on '${this.channel}', endorsement by both organisations`);
  }

  private async deployChaincode(state: NetworkState): Promise<void> {
    const work = join(this.dir, 'chaincode');
    mkdirSync(work, { recursive: true });
    const pkg = join(work, `${this.chaincode}.tgz`);
    if (!existsSync(pkg)) await packageCcaas(work, pkg, this.chaincode, `127.0.0.1:${this.chaincodePort()}`);
    const packageId = (await this.peerCli('operator', ['lifecycle', 'chaincode', 'calculatepackageid', pkg])).trim().split('\n').pop()!.trim();
    state.packageId = packageId;
    this.writeState(state);
    // The chaincode server: our contract in fabric-shim's server mode, one for both peers.
    const server = chaincodeServerCommand();
    this.startProcess(state, 'chaincode', server.command, server.args, {
      CORE_CHAINCODE_ID: packageId, CORE_CHAINCODE_ADDRESS: `127.0.0.1:${this.chaincodePort()}`, CORE_PEER_LOCALMSPID: 'SystemOperatorMSP', NODE_OPTIONS: '',
    });
    for (const org of ORGANISATIONS) {
      const installed = await this.peerCli(org.key, ['lifecycle', 'chaincode', 'queryinstalled']);
      if (!installed.includes(packageId)) await this.peerCli(org.key, ['lifecycle', 'chaincode', 'install', pkg], 120_000);
    }
    const committed = await this.peerCli('operator', ['lifecycle', 'chaincode', 'querycommitted', '-C', this.channel]).catch(() => '');
    if (committed.includes(`Name: ${this.chaincode},`)) return;
    const policy = `AND(${ORGANISATIONS.map((o) => `'${o.mspId}.peer'`).join(',')})`;
    const orderer = ['-o', `127.0.0.1:${this.ordererPort(0)}`, '--ordererTLSHostnameOverride', 'localhost', '--tls', '--cafile', this.pki('orderer').tlsCaPath];
    const common = ['--channelID', this.channel, '--name', this.chaincode, '--version', '1.0', '--sequence', '1', '--signature-policy', policy];
    for (const org of ORGANISATIONS) {
      // Right after the channel starts, Raft may have no leader yet: retry.
      await retry(() => this.peerCli(org.key, ['lifecycle', 'chaincode', 'approveformyorg', ...orderer, ...common, '--package-id', packageId, '--waitForEvent']), 20, 1_000);
    }
    const peers = ORGANISATIONS.flatMap((o) => ['--peerAddresses', `127.0.0.1:${this.peerPort(o)}`, '--tlsRootCertFiles', this.pki(o).tlsCaPath]);
    await retry(() => this.peerCli('operator', ['lifecycle', 'chaincode', 'commit', ...orderer, ...common, ...peers, '--waitForEvent']), 10, 1_000);
  }

  /** Until the operator's gateway can gather endorsements from both organisations (or 90 s). */
  private async waitEndorsable(): Promise<void> {
    const ledger = this.ledger();
    const probe = { id: 'x509::CN=flexbridge-readiness', mspId: this.org('operator').mspId, attributes: { [ATTRIBUTE.role]: 'operator' } };
    try {
      const deadline = Date.now() + 90_000;
      while (!(await ledger.endorsable(probe))) {
        if (Date.now() > deadline) throw new Error('the peers did not find each other within 90 s (gossip): see the peer logs');
        await sleep(500);
      }
    } finally {
      ledger.close();
    }
  }

  /** Stops every process this network started (SIGTERM, then SIGKILL). */
  async down(options: { purge?: boolean } = {}): Promise<void> {
    const state = this.readState();
    for (const p of state?.processes ?? []) kill(p.pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while ((state?.processes ?? []).some((p) => alive(p.pid)) && Date.now() < deadline) await sleep(100);
    for (const p of state?.processes ?? []) if (alive(p.pid)) kill(p.pid, 'SIGKILL');
    if (state) this.writeState({ ...state, processes: [], ready: false });
    if (options.purge) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Each process with whether it runs; `ready` once the chaincode was committed and nothing died. */
  status(): { ready: boolean; consensus: Consensus; processes: { name: string; pid: number; running: boolean; log: string }[] } {
    const state = this.readState();
    const processes = (state?.processes ?? []).map((p) => ({ ...p, running: alive(p.pid) }));
    return { ready: Boolean(state?.ready) && processes.length > 0 && processes.every((p) => p.running), consensus: state?.consensus ?? this.consensus, processes };
  }

  /** The record of one process (for fault tests: kill -9 and restart). */
  processNamed(name: string): { pid: number; log: string } | undefined {
    return this.readState()?.processes.find((p) => p.name === name);
  }

  /** Starts one stopped process again with its own configuration. */
  async restart(name: string): Promise<void> {
    const state = this.readState() ?? { processes: [], consensus: this.consensus };
    if (name.startsWith('orderer')) {
      const i = Number(name.slice('orderer'.length));
      this.startProcess(state, name, this.binary('orderer'), [], this.ordererEnv(i));
      await waitHealthy(name, this.ordererOpsPort(i), state);
    } else if (name.startsWith('peer0.')) {
      const org = this.org(name.slice('peer0.'.length) as 'operator' | 'retailer');
      this.startProcess(state, name, this.binary('peer'), ['node', 'start'], this.peerEnv(org));
      await waitHealthy(name, this.peerOpsPort(org), state);
    } else {
      throw new Error(`no process ${name}`);
    }
  }

  /** `export` lines that let a person use Fabric's own peer CLI as an organisation's admin. */
  envLines(key: 'operator' | 'retailer'): string[] {
    return Object.entries(this.adminEnv(key)).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  }
}

/** The Fabric release layout `npm run setup` recorded (FLEXBRIDGE_FABRIC_HOME overrides). */
export function fabricHome(): string {
  const given = process.env.FLEXBRIDGE_FABRIC_HOME ?? process.env.FLEXBRIDGE_FABRIC_BIN;
  if (given) return resolve(given);
  const pointer = join(repoRoot, '.flexbridge', 'fabric-home');
  if (!existsSync(pointer)) throw new Error("no Fabric binaries: run 'npm run setup' (builds them from ../shared/fabric, or set FLEXBRIDGE_FABRIC_BIN to a Fabric release)");
  return readFileSync(pointer, 'utf8').trim();
}

function chaincodeServerCommand(): { command: string; args: string[] } {
  // From the TypeScript sources (tests, tsx) or the built dist/ (the installed CLI).
  const ts = join(here, 'chaincode-server.ts');
  if (existsSync(ts) && !here.includes(`${join('dist', 'anchor')}`)) return { command: process.execPath, args: ['--import', 'tsx', ts] };
  return { command: process.execPath, args: [join(here, 'chaincode-server.js')] };
}

/** A chaincode-as-a-service package: metadata.json and code.tar.gz holding connection.json, deterministic. */
async function packageCcaas(work: string, pkg: string, label: string, address: string): Promise<void> {
  const src = join(work, 'pkg-src');
  rmSync(src, { recursive: true, force: true });
  mkdirSync(join(src, 'code'), { recursive: true });
  writeFileSync(join(src, 'code', 'connection.json'), JSON.stringify({ address, dial_timeout: '10s', tls_required: false }));
  writeFileSync(join(src, 'metadata.json'), JSON.stringify({ type: 'ccaas', label }));
  // A fixed mtime and owner keep the package ID the same for the same content.
  const tarArgs = ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner'];
  await run('sh', ['-c', `tar ${tarArgs.join(' ')} -C code -cf - connection.json | gzip -n > code.tar.gz && tar ${tarArgs.join(' ')} -cf - metadata.json code.tar.gz | gzip -n > ${shellQuote(pkg)}`], { cwd: src });
}

async function waitHealthy(name: string, port: number, state: NetworkState): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    const record = state.processes.find((p) => p.name === name);
    if (record && !alive(record.pid)) throw new Error(`${name} exited during start; see ${record.log}:\n${tail(record.log)}`);
    if (Date.now() > deadline) throw new Error(`${name} not healthy within 60 s; see ${record?.log ?? 'its log'}:\n${record ? tail(record.log) : ''}`);
    await sleep(200);
  }
}

async function retry<T>(attempt: () => Promise<T>, times: number, delayMs: number): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= times) throw error;
      await sleep(delayMs);
    }
  }
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    // Detached processes lead their own group: the chaincode server's children go too.
    process.kill(-pid, signal);
  } catch {
    try { process.kill(pid, signal); } catch { /* already gone */ }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
