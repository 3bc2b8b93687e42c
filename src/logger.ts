import { pino, stdTimeFunctions, type Logger as PinoLogger } from 'pino';
import { currentRequestId } from './request-id.js';

/** Structured logs on pino: one JSON object per line (`npx pino-pretty` makes them readable). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** Secrets never reach a log line, wherever they sit in the fields (one level deep). */
const SECRETS = ['token', 'password', 'authorization', 'secret', 'clientSecret', 'privateKeyPem', 'keyPem', 'certificatePem', 'certPem', 'key', 'cert'];
export const REDACTED_PATHS = [...SECRETS, ...SECRETS.map((s) => `*.${s}`), 'headers.authorization', '*.headers.authorization'];

export function createLogger(options: { level?: LogLevel; write?: (line: string) => void; base?: Record<string, unknown> } = {}): Logger {
  const destination = options.write ? { write: options.write } : pino.destination({ fd: 1, sync: true });
  return wrap(pino({
    level: options.level ?? 'info',
    base: options.base ?? {},
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // The request being served, when there is one (src/request-id.ts).
    mixin: () => { const requestId = currentRequestId(); return requestId === undefined ? {} : { requestId }; },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { error: errorFields, err: errorFields },
  }, destination));
}

function wrap(logger: PinoLogger): Logger {
  const at = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>): void => { if (fields) logger[level](fields, msg); else logger[level](msg); };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (fields) => wrap(logger.child(fields)) };
}

/** An error as name and message (a stack in a log line leaks paths and says little to an operator). */
function errorFields(value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}

export const silentLogger: Logger = createLogger({ level: 'error', write: () => undefined });
