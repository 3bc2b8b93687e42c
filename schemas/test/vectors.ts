import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const vectorDirectory = join(dirname(fileURLToPath(import.meta.url)), 'vectors');

export interface Vector {
  readonly name: string;
  /** The message type the file name starts with. */
  readonly type: string;
  readonly xml: string;
}

export function loadVectors(subdirectory = ''): Vector[] {
  const dir = join(vectorDirectory, subdirectory);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => ({ name: subdirectory ? `${subdirectory}/${f}` : f, type: f.split(/[.-]/)[0] ?? '', xml: readFileSync(join(dir, f), 'utf8') }));
}
