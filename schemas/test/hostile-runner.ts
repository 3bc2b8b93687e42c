// Parses every file of the hostile corpus in this process and prints one JSON line per case,
// so the test can bound the whole run with a hard deadline from outside (a hang cannot hide).
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OadrError, parsePayload, verifyPayloadSignature, MemoryReplayCache } from '../index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'hostile');
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, { maxBytes?: number }>;
const files = readdirSync(dir).filter((f) => f !== 'manifest.json').sort();

for (const file of files) {
  const bytes = readFileSync(join(dir, file));
  const limits = manifest[file]?.maxBytes ? { maxBytes: manifest[file].maxBytes } : undefined;
  process.stdout.write(`${JSON.stringify({ file, started: true })}\n`);
  const started = process.hrtime.bigint();
  const outcome = (run: () => unknown): { error: string; kind?: string; responseCode?: number; message?: string } => {
    try {
      run();
      return { error: 'none' };
    } catch (error) {
      if (error instanceof OadrError) return { error: error.name, kind: error.kind, responseCode: error.responseCode, message: error.message.slice(0, 160) };
      return { error: `untyped ${(error as Error)?.name}`, message: String((error as Error)?.message).slice(0, 160) };
    }
  };
  const parse = outcome(() => parsePayload(bytes, { limits }));
  // The signature path reads the same untrusted bytes with another parser: it must refuse them too.
  const verify = outcome(() => verifyPayloadSignature(bytes, { now: { epochMs: 0, microsOfMs: 0 }, replayCache: new MemoryReplayCache(1), required: true, limits }));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${JSON.stringify({ file, parse, verify, elapsedMs })}\n`);
}
