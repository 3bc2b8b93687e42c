import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// A newcomer's first move: every command explains itself on --help and does nothing else.
describe('flexbridge --help', () => {
  it('lists every command, and describes today\'s demo', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), '--help'], { cwd: root });
    for (const command of ['demo', 'vtn', 'ven', 'iec104', 'conformance', 'fabric', 'anchor', 'pki', 'validate']) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(stdout).not.toMatch(/what exists so far/);
  }, 30_000);

  it.each(['demo', 'vtn', 'ven', 'iec104', 'conformance', 'fabric', 'anchor', 'pki', 'validate'])('%s --help prints its usage and exits 0', async (command) => {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', join(root, 'cli.ts'), command, '--help'], { cwd: root, timeout: 30_000 });
    expect(`${stdout}${stderr}`).toMatch(/usage:/);
    expect(`${stdout}${stderr}`).not.toMatch(/FlexBridge demo —|test PKI in|Error/);
  }, 30_000);
});
