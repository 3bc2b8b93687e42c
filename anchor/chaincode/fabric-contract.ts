import contractApi, { type Context } from 'fabric-contract-api';
import { canonicalJson } from '../../src/canonical-json.js';
import { drContract, type DrTransaction } from './dr-contract.js';
import type { ContractContext } from './ledger-api.js';
import { ContractError } from '../errors.js';

/** Read-only transactions: evaluated, never ordered. */
const QUERIES = new Set<DrTransaction>(['evaluateBaseline', 'evaluateAvailability', 'queryLoadReduction', 'balanceOf', 'queryEnergy', 'querySettlement', 'queryGridOrder', 'queryRecord']);

// fabric-contract-api is CommonJS: its named exports are read from the default import, so the
// same code runs under Node's ESM loader (the chaincode server), tsx and jest.
const { Contract, Info, Transaction } = contractApi;
// Reflect is made global by fabric-contract-api's own reflect-metadata.
const reflect = Reflect as unknown as { defineMetadata(key: string, value: unknown, target: object, property: string): void };

/**
 * @Transaction with the parameter types declared here rather than emitted by the compiler
 * (esbuild and swc differ there): (Context, string) → string, which fabric-contract-api reads to
 * leave the context out and pass the JSON argument through as a string.
 */
function transaction(submit = true) {
  return (target: object, property: string, descriptor: PropertyDescriptor): void => {
    reflect.defineMetadata('design:paramtypes', [contractApi.Context, String], target, property);
    reflect.defineMetadata('design:returntype', String, target, property);
    (Transaction(submit) as (t: object, p: string, d: PropertyDescriptor) => void)(target, property, descriptor);
  };
}

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

  @transaction() async registerMeter(ctx: Context, input: string): Promise<string> { return call(ctx, 'registerMeter', input); }
  @transaction() async recordEnergy(ctx: Context, input: string): Promise<string> { return call(ctx, 'recordEnergy', input); }
  @transaction() async recordEnergyBatch(ctx: Context, input: string): Promise<string> { return call(ctx, 'recordEnergyBatch', input); }
  @transaction() async recordEventVersion(ctx: Context, input: string): Promise<string> { return call(ctx, 'recordEventVersion', input); }
  @transaction() async recordTelemetryWindow(ctx: Context, input: string): Promise<string> { return call(ctx, 'recordTelemetryWindow', input); }
  @transaction() async recordGridOrder(ctx: Context, input: string): Promise<string> { return call(ctx, 'recordGridOrder', input); }
  @transaction(false) async evaluateBaseline(ctx: Context, input: string): Promise<string> { return call(ctx, 'evaluateBaseline', input); }
  @transaction(false) async evaluateAvailability(ctx: Context, input: string): Promise<string> { return call(ctx, 'evaluateAvailability', input); }
  @transaction() async notifyDREvent(ctx: Context, input: string): Promise<string> { return call(ctx, 'notifyDREvent', input); }
  @transaction(false) async queryLoadReduction(ctx: Context, input: string): Promise<string> { return call(ctx, 'queryLoadReduction', input); }
  @transaction() async settle(ctx: Context, input: string): Promise<string> { return call(ctx, 'settle', input); }
  @transaction(false) async balanceOf(ctx: Context, input: string): Promise<string> { return call(ctx, 'balanceOf', input); }
  @transaction(false) async queryEnergy(ctx: Context, input: string): Promise<string> { return call(ctx, 'queryEnergy', input); }
  @transaction(false) async querySettlement(ctx: Context, input: string): Promise<string> { return call(ctx, 'querySettlement', input); }
  @transaction(false) async queryGridOrder(ctx: Context, input: string): Promise<string> { return call(ctx, 'queryGridOrder', input); }
  @transaction(false) async queryRecord(ctx: Context, input: string): Promise<string> { return call(ctx, 'queryRecord', input); }
}

export const FABRIC_QUERIES = QUERIES;

/** What fabric-chaincode-node (and chaincode-as-a-service) loads. */
export const contracts = [FlexBridgeDrContract];
