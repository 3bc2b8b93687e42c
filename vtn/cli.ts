import { ConfigError, loadVtnConfig } from './config.js';
import { createVtn } from './vtn.js';

/** `flexbridge vtn [--config FILE]`: runs the VTN until SIGINT/SIGTERM. */
export async function runVtn(args: string[]): Promise<number> {
  const i = args.indexOf('--config');
  let config;
  try {
    config = loadVtnConfig(i >= 0 ? args[i + 1] : undefined);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  const vtn = createVtn(config);
  const { oadrUrl, apiUrl } = await vtn.start();
  // One machine-readable line whatever the log level, for supervisors and tests.
  process.stdout.write(`${JSON.stringify({ msg: 'VTN listening', oadrUrl, apiUrl })}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await vtn.stop();
  return 0;
}
