import { ContractError, ContractInputError, InsufficientHistoryError } from '../anchor/index.js';
import { Iec104CodecError, Iec104CommandError, decodeAsdu } from '../iec104/index.js';
import { OadrParseError, parsePayload } from '../schemas/index.js';
import { ConfigError, loadVtnConfig, VtnRequestError } from '../vtn/index.js';
import { VenNotRegisteredError, VtnRefusedError, VtnUnavailableError } from '../ven/index.js';
import { allocate } from '../anchor/domain/index.js';
import { BodyTooLargeError, FlexBridgeError } from '../src/errors.js';

// Every module's errors share one base with a stable `code`: callers match on it, never on text.
describe('errors', () => {
  it('carry their stable code and class name through the one base', () => {
    const cases: [FlexBridgeError, string, string][] = [
      [new BodyTooLargeError(10), 'body-too-large', 'BodyTooLargeError'],
      [new VtnUnavailableError('down'), 'vtn-unavailable', 'VtnUnavailableError'],
      [new VtnRequestError(452, 'x'), 'request-refused', 'VtnRequestError'],
      [new VtnRefusedError(463, 'x'), 'vtn-refused', 'VtnRefusedError'],
      [new VenNotRegisteredError(), 'not-registered', 'VenNotRegisteredError'],
      [new ContractError('conflict', 'x'), 'conflict', 'ContractError'],
      [new InsufficientHistoryError(3, 10, 'x'), 'insufficient-history', 'InsufficientHistoryError'],
      [new Iec104CommandError('x', 47), 'command-failed', 'Iec104CommandError'],
    ];
    for (const [error, code, name] of cases) {
      expect(error).toBeInstanceOf(FlexBridgeError);
      expect([error.code, error.name]).toEqual([code, name]);
    }
    expect(new InsufficientHistoryError(3, 10, 'x')).toBeInstanceOf(ContractInputError);
  });

  it('are what the modules throw', () => {
    const thrown = (f: () => unknown): unknown => { try { f(); } catch (error) { return error; } return undefined; };
    const codec = thrown(() => decodeAsdu(Buffer.from([13, 1])));
    expect(codec).toBeInstanceOf(Iec104CodecError);
    expect((codec as Iec104CodecError).code).toBe('truncated');
    const parse = thrown(() => parsePayload('<not-xml'));
    expect(parse).toBeInstanceOf(OadrParseError);
    expect((parse as OadrParseError).code).toBe('not-well-formed');
    const config = thrown(() => loadVtnConfig('/nonexistent/flexbridge.json'));
    expect(config).toBeInstanceOf(ConfigError);
    expect((config as ConfigError).code).toBe('invalid-config');
    const input = thrown(() => allocate([1, 2], [{ customerId: 'a', baseline: [1], availability: [1] }]));
    expect(input).toBeInstanceOf(ContractInputError);
    expect((input as ContractInputError).code).toBe('invalid-input');
  });
});
