import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_READ_LIMITS, OadrParseError, parsePayload } from '../index.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, 'hostile');
const manifest = JSON.parse(readFileSync(join(corpus, 'manifest.json'), 'utf8')) as Record<string, { expect: string; why: string }>;
const DEADLINE_MS = 60_000;

interface CaseResult {
  file: string;
  started?: true;
  parse?: { error: string; kind?: string; responseCode?: number };
  verify?: { error: string; kind?: string };
}

// The corpus runs in a child process with a hard deadline: a parser that hangs is killed and
// named, instead of blocking the test runner forever.
function runCorpus(): Promise<CaseResult[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', join(here, 'hostile-runner.ts')], { timeout: DEADLINE_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as CaseResult);
      if (error) {
        const last = lines.at(-1);
        reject(new Error(`hostile corpus runner failed (${error.message.split('\n')[0]}); last case started: ${last?.file ?? 'none'}`));
        return;
      }
      resolve(lines.filter((l) => !l.started));
    });
  });
}

describe('hostile input corpus', () => {
  let results: CaseResult[];
  beforeAll(async () => {
    results = await runCorpus();
  }, DEADLINE_MS + 5_000);

  it('describes every file of the corpus in its manifest', () => {
    const files = readdirSync(corpus).filter((f) => f !== 'manifest.json').sort();
    expect(files.length).toBeGreaterThanOrEqual(25);
    expect(files).toEqual(Object.keys(manifest).sort());
  });

  it.each(Object.entries(manifest))('%s gives the typed error it should', (file, { expect: kind }) => {
    const result = results.find((r) => r.file === file);
    expect(result).toBeDefined();
    expect(result!.parse).toMatchObject({ error: expect.stringMatching(/^Oadr/), kind, responseCode: 454 });
  });

  it.each(Object.keys(manifest))('%s is refused with a typed error by the signature verifier too', (file) => {
    const result = results.find((r) => r.file === file);
    expect(result!.verify!.error).toMatch(/^Oadr/);
  });

  it('refuses a body over the default cap before parsing it', () => {
    const huge = `<?xml version="1.0"?><oadrPayload>${'x'.repeat(DEFAULT_READ_LIMITS.maxBytes)}</oadrPayload>`;
    expect(() => parsePayload(huge)).toThrow(OadrParseError);
    expect(() => parsePayload(Buffer.from(huge))).toThrow(/exceeds the limit/);
  });
});
