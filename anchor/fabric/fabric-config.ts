import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import type { LedgerIdentity } from '../ledger/embedded-ledger.js';
import { FabricLedger, type FabricSigningIdentity } from './fabric-ledger.js';
import { FabricNetwork } from './network.js';

const signer = z.object({
  mspId: z.string().min(1),
  /** The enrollment certificate (PEM file); its attributes are what the contract's access control reads. */
  cert: z.string().min(1),
  key: z.string().min(1),
});

/**
 * An existing Fabric network the anchor writes to: a gateway peer, the channel and chaincode where
 * the DR contract runs, and the identities the anchor acts as. Many users already run one.
 */
export const fabricGatewayConfigSchema = z.object({
  kind: z.literal('fabric'),
  /** The gateway peer, host:port. */
  endpoint: z.string().min(1),
  /** The CA that issued the peer's TLS certificate (PEM file). */
  tlsCa: z.string().min(1),
  /** The name in the peer's TLS certificate, when the endpoint's host is not it. */
  hostOverride: z.string().optional(),
  channel: z.string().min(1),
  chaincode: z.string().min(1),
  contractName: z.string().default('flexbridge.dr'),
  commitTimeoutMs: z.number().int().positive().default(30_000),
  signers: z.object({ operator: signer, retailer: signer }),
  /** Rows the anchor submits at once: Fabric cuts a block from many in-flight writes. */
  deliveryConcurrency: z.number().int().positive().max(500).default(50),
});

/** A network started with `flexbridge fabric up --dir DIR` (its own PKI issues the identities). */
export const fabricLocalConfigSchema = z.object({
  kind: z.literal('fabric-local'),
  dir: z.string().default('.flexbridge/fabric'),
  deliveryConcurrency: z.number().int().positive().max(500).default(50),
});

export type FabricGatewayConfig = z.infer<typeof fabricGatewayConfigSchema>;
export type FabricLocalConfig = z.infer<typeof fabricLocalConfigSchema>;

export interface OpenedFabric {
  readonly ledger: FabricLedger;
  /** The identities the anchor acts as on this network. */
  readonly identities: { readonly operator: LedgerIdentity; readonly retailer: LedgerIdentity } | undefined;
}

/**
 * Opens the Fabric backend a configuration names. For an existing network the contract identities
 * are those of the configured certificates (the subject names them; the attributes travel inside
 * the certificate); for a local network the configured contract identities are issued by its PKI.
 */
export function openFabricLedger(config: FabricGatewayConfig | FabricLocalConfig): OpenedFabric {
  if (config.kind === 'fabric-local') {
    const network = new FabricNetwork({ dir: config.dir });
    if (!network.status().ready) throw new Error(`no running Fabric network in ${config.dir}: run 'flexbridge fabric up --dir ${config.dir}' first`);
    return { ledger: network.ledger(), identities: undefined };
  }
  const load = (role: 'operator' | 'retailer'): { identity: LedgerIdentity; signer: FabricSigningIdentity } => {
    const s = config.signers[role];
    const certificatePem = readFileSync(s.cert, 'utf8');
    const privateKeyPem = readFileSync(s.key, 'utf8');
    let subject: string;
    try {
      subject = new X509Certificate(certificatePem).subject.replace(/\n/g, ',');
    } catch (error) {
      throw new Error(`signers.${role}.cert (${s.cert}) is not a PEM certificate: ${(error as Error).message}`);
    }
    return { identity: { id: `x509::${subject}`, mspId: s.mspId, attributes: {} }, signer: { mspId: s.mspId, certificatePem, privateKeyPem } };
  };
  const operator = load('operator');
  const retailer = load('retailer');
  const ledger = new FabricLedger({
    endpoint: config.endpoint, tlsCaPem: readFileSync(config.tlsCa, 'utf8'), ...(config.hostOverride ? { hostOverride: config.hostOverride } : {}),
    channel: config.channel, chaincode: config.chaincode, contractName: config.contractName, commitTimeoutMs: config.commitTimeoutMs,
    signerFor: (identity) => {
      if (identity.id === operator.identity.id && identity.mspId === operator.identity.mspId) return operator.signer;
      if (identity.id === retailer.identity.id && identity.mspId === retailer.identity.mspId) return retailer.signer;
      throw new Error(`no configured Fabric signer acts as ${identity.id} (${identity.mspId})`);
    },
  });
  return { ledger, identities: { operator: operator.identity, retailer: retailer.identity } };
}
