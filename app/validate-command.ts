import { readFile } from 'node:fs/promises';
import { OadrError, OadrSchemaError, parsePayload } from '../schemas/index.js';

/** `flexbridge validate FILE…`: exit code 0 when every file is a valid 2.0b payload. */
export async function runValidate(files: string[]): Promise<number> {
  if (files.length === 0) {
    console.error('usage: flexbridge validate FILE…');
    return 2;
  }
  let failures = 0;
  for (const file of files) {
    try {
      const { message, signed } = parsePayload(await readFile(file));
      console.log(`${file}: valid ${message.type}${signed ? ' (signed; signature not checked here)' : ''}`);
      console.log(JSON.stringify(message, null, 2));
    } catch (error) {
      if (!(error instanceof OadrError)) throw error;
      failures++;
      console.log(`${file}: INVALID (${error.kind}, responseCode ${error.responseCode}) ${error.message}`);
      if (error instanceof OadrSchemaError) for (const v of error.violations.slice(1)) console.log(`  line ${v.line}: ${v.message}`);
    }
  }
  return failures === 0 ? 0 : 1;
}
