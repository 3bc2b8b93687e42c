import { createHash, verify as verifySignature, X509Certificate } from 'node:crypto';
import { common, ledger as ledgerProtos, msp, peer } from '@hyperledger/fabric-protos';
import type { LedgerIdentity } from '../ledger/embedded-ledger.js';
import type { FabricLedger } from './fabric-ledger.js';

/**
 * What a third party needs to check one Fabric transaction without trusting the operator: the
 * block that holds it (its envelope, the endorsements, the validation flag), the channel's
 * configuration block (the organisations' CA certificates) and the endorsement policy.
 */
export interface FabricTransactionProof {
  readonly kind: 'fabric-transaction';
  readonly channel: string;
  readonly chaincode: string;
  readonly txId: string;
  readonly blockNumber: number;
  /** The block holding the transaction, protobuf bytes in base64. */
  readonly block: string;
  /** The channel's configuration block (block 0), with each organisation's MSP, in base64. */
  readonly configBlock: string;
  /** The endorsement policy the proof is checked against: every listed organisation must endorse. */
  readonly endorsementPolicy: { readonly allOf: readonly string[] };
}

export async function exportFabricProof(ledger: FabricLedger, reader: LedgerIdentity, txId: string, options: { channel: string; chaincode: string; allOf: readonly string[] }): Promise<FabricTransactionProof> {
  const block = await ledger.blockOfTransaction(reader, txId);
  const config = await ledger.block(reader, 0);
  return {
    kind: 'fabric-transaction', channel: options.channel, chaincode: options.chaincode, txId, blockNumber: block.getHeader()!.getNumber(),
    block: Buffer.from(block.serializeBinary()).toString('base64'), configBlock: Buffer.from(config.serializeBinary()).toString('base64'),
    endorsementPolicy: { allOf: [...options.allOf] },
  };
}

export interface FabricProofCheck {
  readonly ok: boolean;
  readonly problems: string[];
  readonly blockNumber: number;
  /** The organisations whose peers' endorsement signatures verified. */
  readonly endorsedBy: string[];
  readonly creator?: { readonly mspId: string; readonly subject: string };
  /** What the transaction wrote to the chaincode's namespace (values as text). */
  readonly writes: { readonly key: string; readonly value: string }[];
}

/**
 * Checks a proof offline: the block's data hash covers the transaction; the orderer marked it
 * VALID; the creator's signature over the transaction and every endorser's signature over the
 * proposal response verify with certificates issued by their organisations' CAs (from the channel
 * configuration), endorsers being peers; the endorsing organisations satisfy the policy; and the
 * read/write set is what the endorsers signed. It does not prove that the block is in the chain
 * the channel's members hold (compare its header hash with theirs) nor that the proof is the
 * latest word on the key.
 */
export function checkFabricProof(proof: FabricTransactionProof): FabricProofCheck {
  const problems: string[] = [];
  const endorsedBy = new Set<string>();
  const writes: { key: string; value: string }[] = [];
  let creator: FabricProofCheck['creator'];
  const block = common.Block.deserializeBinary(Buffer.from(proof.block, 'base64'));
  const header = block.getHeader();
  const blockNumber = header?.getNumber() ?? -1;
  const data = block.getData()?.getDataList_asU8() ?? [];
  const dataHash = createHash('sha256').update(Buffer.concat(data.map((d) => Buffer.from(d)))).digest();
  if (!header || !dataHash.equals(Buffer.from(header.getDataHash_asU8()))) problems.push('the block\'s data hash does not cover its transactions');
  const roots = organisationRoots(proof.configBlock, problems);

  const index = data.findIndex((bytes) => channelHeaderOf(bytes)?.getTxId() === proof.txId);
  if (index < 0) {
    problems.push(`transaction ${proof.txId} is not in block ${blockNumber}`);
    return { ok: false, problems, blockNumber, endorsedBy: [], writes };
  }
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
  if (!filter || filter[index] !== peer.TxValidationCode.VALID) problems.push(`the transaction is not marked VALID in the block (code ${filter?.[index] ?? 'missing'})`);

  const envelope = common.Envelope.deserializeBinary(data[index]!);
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const signatureHeader = common.SignatureHeader.deserializeBinary(payload.getHeader()!.getSignatureHeader_asU8());
  const creatorId = msp.SerializedIdentity.deserializeBinary(signatureHeader.getCreator_asU8());
  const creatorCert = issuedBy(creatorId, roots, problems, 'creator');
  if (creatorCert) {
    creator = { mspId: creatorId.getMspid(), subject: creatorCert.subject.replace(/\n/g, ', ') };
    if (!signatureHolds(creatorCert, envelope.getPayload_asU8(), envelope.getSignature_asU8())) problems.push('the creator\'s signature over the transaction does not verify');
  }

  const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
  for (const action of transaction.getActionsList()) {
    const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction();
    if (!endorsed) { problems.push('an action carries no endorsed result'); continue; }
    const responseBytes = endorsed.getProposalResponsePayload_asU8();
    for (const endorsement of endorsed.getEndorsementsList()) {
      const endorserBytes = endorsement.getEndorser_asU8();
      const endorser = msp.SerializedIdentity.deserializeBinary(endorserBytes);
      const cert = issuedBy(endorser, roots, problems, 'endorser');
      if (!cert) continue;
      if (!/\bOU=peer\b/.test(cert.subject)) { problems.push(`endorser ${cert.subject.replace(/\n/g, ', ')} is not a peer`); continue; }
      if (!signatureHolds(cert, Buffer.concat([Buffer.from(responseBytes), Buffer.from(endorserBytes)]), endorsement.getSignature_asU8())) {
        problems.push(`the endorsement of ${endorser.getMspid()} does not verify`);
        continue;
      }
      endorsedBy.add(endorser.getMspid());
    }
    // What the endorsers signed: the read/write set of the chaincode's namespace.
    const response = peer.ProposalResponsePayload.deserializeBinary(responseBytes);
    const chaincodeAction = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8());
    const rwset = ledgerProtos.rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8());
    for (const ns of rwset.getNsRwsetList()) {
      if (ns.getNamespace() !== proof.chaincode) continue;
      for (const write of ledgerProtos.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()).getWritesList()) {
        writes.push({ key: write.getKey().replace(/\u0000/g, '/'), value: Buffer.from(write.getValue_asU8()).toString('utf8') });
      }
    }
  }
  for (const required of proof.endorsementPolicy.allOf) if (!endorsedBy.has(required)) problems.push(`the endorsement policy needs ${required}, which did not endorse`);
  return { ok: problems.length === 0, problems, blockNumber, endorsedBy: [...endorsedBy].sort(), ...(creator ? { creator } : {}), writes };
}

function channelHeaderOf(bytes: Uint8Array): common.ChannelHeader | undefined {
  try {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
    return common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8());
  } catch {
    return undefined;
  }
}

/** Each application organisation's root CA certificates, from the channel's configuration block. */
function organisationRoots(configBlock: string, problems: string[]): Map<string, X509Certificate[]> {
  const roots = new Map<string, X509Certificate[]>();
  try {
    const block = common.Block.deserializeBinary(Buffer.from(configBlock, 'base64'));
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(block.getData()!.getDataList_asU8()[0]!).getPayload_asU8());
    const config = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig()!;
    const application = config.getChannelGroup()!.getGroupsMap().get('Application');
    application?.getGroupsMap().forEach((group: common.ConfigGroup) => {
      const value = group.getValuesMap().get('MSP');
      if (!value) return;
      const fabricMsp = msp.FabricMSPConfig.deserializeBinary(msp.MSPConfig.deserializeBinary(value.getValue_asU8()).getConfig_asU8());
      roots.set(fabricMsp.getName(), fabricMsp.getRootCertsList_asU8().map((pem) => new X509Certificate(Buffer.from(pem))));
    });
  } catch (error) {
    problems.push(`the configuration block cannot be read: ${(error as Error).message}`);
  }
  return roots;
}

/** The identity's certificate, when its organisation's CA issued it. */
function issuedBy(identity: msp.SerializedIdentity, roots: Map<string, X509Certificate[]>, problems: string[], role: string): X509Certificate | undefined {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(identity.getIdBytes_asU8()));
  } catch {
    problems.push(`the ${role}'s certificate cannot be read`);
    return undefined;
  }
  const cas = roots.get(identity.getMspid()) ?? [];
  if (!cas.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey))) {
    problems.push(`the ${role}'s certificate (${cert.subject.replace(/\n/g, ', ')}) was not issued by a CA of ${identity.getMspid()}`);
    return undefined;
  }
  return cert;
}

function signatureHolds(cert: X509Certificate, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verifySignature('sha256', data, cert.publicKey, signature);
  } catch {
    return false;
  }
}
