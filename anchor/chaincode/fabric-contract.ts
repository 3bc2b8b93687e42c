import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { canonicalJson } from './canonical-json.js';
import { drContract, type DrTransaction } from './dr-contract.js';
import { ContractError, type ContractContext } from './ledger-api.js';

/** Read-only transactions: evaluated, never ordered. */
const QUERIES = new Set<DrTransaction>(['evaluateBaseline', 'evaluateAvailability', 'queryLoadReduction', 'balanceOf', 'queryEnergy', 'querySettlement', 'queryGridOrder']);

async function call(ctx: Context, fn: DrTransaction, argument: string): Promise<string> {
  let args: unknown;
  try {
    args = JSON.parse(argument);
  } catch {
    throw new Error(`invalid: ${fn} takes one JSON argument`);
  }
  try {
    // Fabric's Context has the stub and client identity the contract is written against.
    const result = await (drContract[fn] as (c: ContractContext, a: unknown) => Promise<unknown>)(ctx as unknown as ContractContext, args);
    return canonicalJson(result ?? null);
  } catch (error) {
    // The code travels in the message: Fabric returns only the message to the client.
    if (error instanceof ContractError) throw new Error(`${error.code}: ${error.message}`);
    throw error;
  }
}

/**
 * The DR contract for Hyperledger Fabric (fabric-contract-api): each transaction takes one JSON
 * argument and returns canonical JSON; the logic is drContract, shared with the embedded ledger.
 */
@Info({ title: 'FlexBridge DR contract', description: 'Seed 002 §4.5: baselines, availability, allocation, reward; records of OpenADR events, telemetry and settlements' })
export class FlexBridgeDrContract extends Contract {
  constructor() {
    super('flexbridge.dr');
  }

  @Transaction() async registerMeter(ctx: Context, input: string): Promise<string> { return call(ctx, 'registerMeter', input); }
  @Transaction() async recordEnergy(ctx: Context, input: string): Promise<string> { return call(ctx, 'recordEnergy', input); }
  @Transaction() async recordEventVersion(ctx: Context, input: string): Promise<string> { return call(ctx, 'recordEventVersion', input); }
  @Transaction() async recordTelemetryWindow(ctx: Context, input: string): Promise<string> { return call(ctx, 'recordTelemetryWindow', input); }
  @Transaction() async recordGridOrder(ctx: Context, input: string): Promise<string> { return call(ctx, 'recordGridOrder', input); }
  @Transaction(false) async evaluateBaseline(ctx: Context, input: string): Promise<string> { return call(ctx, 'evaluateBaseline', input); }
  @Transaction(false) async evaluateAvailability(ctx: Context, input: string): Promise<string> { return call(ctx, 'evaluateAvailability', input); }
  @Transaction() async notifyDREvent(ctx: Context, input: string): Promise<string> { return call(ctx, 'notifyDREvent', input); }
  @Transaction(false) async queryLoadReduction(ctx: Context, input: string): Promise<string> { return call(ctx, 'queryLoadReduction', input); }
  @Transaction() async settle(ctx: Context, input: string): Promise<string> { return call(ctx, 'settle', input); }
  @Transaction(false) async balanceOf(ctx: Context, input: string): Promise<string> { return call(ctx, 'balanceOf', input); }
  @Transaction(false) async queryEnergy(ctx: Context, input: string): Promise<string> { return call(ctx, 'queryEnergy', input); }
  @Transaction(false) async querySettlement(ctx: Context, input: string): Promise<string> { return call(ctx, 'querySettlement', input); }
  @Transaction(false) async queryGridOrder(ctx: Context, input: string): Promise<string> { return call(ctx, 'queryGridOrder', input); }
}

export const FABRIC_QUERIES = QUERIES;

/** What fabric-chaincode-node (and chaincode-as-a-service) loads. */
export const contracts = [FlexBridgeDrContract];
