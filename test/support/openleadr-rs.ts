import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { POSTGRES17_BIN, startOpenleadrVtn as startVtn, type OpenleadrUser, type OpenleadrVtnOptions, type RunningOpenleadrVtn } from '../../app/openleadr-rs-vtn.js';
import { openleadrClientDriverPath } from '../../scripts/openleadr-rs.mjs';

export { OPENLEADR_BL_SCOPES, OPENLEADR_VEN_SCOPES, type OpenleadrUser, type RunningOpenleadrVtn } from '../../app/openleadr-rs-vtn.js';

export const OPENLEADR_VTN_VERSION = '0.2.8';

/** Our driver of openleadr-rs's client library, built by `npm run setup`; a missing one fails the test saying so. */
export function openleadrClientDriverBinary(): string {
  const binary = openleadrClientDriverPath();
  if (!existsSync(binary)) throw new Error(`the openleadr-client driver is not built (${binary} missing): run \`npm run setup\` (needs cargo)`);
  return binary;
}

/** openleadr-rs's VTN binary, built by `npm run setup`; a missing one fails the test saying so (tests do not build it). */
export function openleadrVtnBinary(): string {
  const cache = process.env.FLEXBRIDGE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'flexbridge');
  const binary = join(cache, 'openleadr-rs', OPENLEADR_VTN_VERSION, 'bin', 'openleadr-vtn');
  if (!existsSync(binary)) throw new Error(`openleadr-vtn ${OPENLEADR_VTN_VERSION} is not built (${binary} missing): run \`npm run setup\` (needs cargo)`);
  if (!existsSync(join(POSTGRES17_BIN, 'postgres'))) throw new Error(`PostgreSQL 17 is missing (${POSTGRES17_BIN}): run \`npm run setup\``);
  return binary;
}

/** openleadr-rs's VTN as the tests run it: the binary setup built, on a private PostgreSQL 17. */
export function startOpenleadrVtn(users: readonly OpenleadrUser[], options: OpenleadrVtnOptions = {}): Promise<RunningOpenleadrVtn> {
  return startVtn(openleadrVtnBinary(), users, options);
}
