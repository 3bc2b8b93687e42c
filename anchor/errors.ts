import { FlexBridgeError } from '../src/errors.js';

/** The base of every error the anchor (contract, ledgers, services) throws on purpose; `code` is stable. */
export abstract class AnchorError extends FlexBridgeError {}

export type ContractRefusal = 'forbidden' | 'not-found' | 'conflict' | 'invalid';

/** A refusal by the contract, on either ledger; `code` says why, for callers and tests. */
export class ContractError extends AnchorError {
  constructor(readonly code: ContractRefusal, message: string) {
    super(message);
  }
}

/** Profiles or parameters the contract's arithmetic cannot work on (lengths differ, values out of range). */
export class ContractInputError extends AnchorError {
  readonly code: string = 'invalid-input';
}

/** Too few eligible history days for a baseline: the customer is reported as not baselined, never averaged silently. */
export class InsufficientHistoryError extends ContractInputError {
  override readonly code = 'insufficient-history';
  constructor(readonly eligibleDays: number, readonly requiredDays: number, message: string) {
    super(message);
  }
}

/** The anchor's configuration cannot be read or does not validate. */
export class AnchorConfigError extends AnchorError {
  readonly code = 'invalid-config';
}
