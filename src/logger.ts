/** Structured logs: one JSON object per line, so operators can ship them anywhere. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(options: { level?: LogLevel; write?: (line: string) => void; base?: Record<string, unknown> } = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const base = options.base ?? {};
  const log = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < min) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields }, errorReplacer)}\n`);
  };
  return {
    debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}

export const silentLogger: Logger = createLogger({ write: () => undefined });

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message } : value;
}
