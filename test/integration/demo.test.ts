import { execFileSync } from 'node:child_process';
import { runDemo } from '../../app/demo.js';

describe('npm start (the demo)', () => {
  // With --upstream (the bridge on top of the day): the plain path is the dashboard test's.
  it('runs seed 002\'s DR day on embedded defaults, then the bridge with openleadr-rs as the utility, and ends with a verified ledger', async () => {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const log = console.log;
    process.stdout.write = ((chunk: string) => { lines.push(String(chunk)); return true; }) as typeof process.stdout.write;
    console.log = (...parts: unknown[]) => { lines.push(parts.join(' ')); };
    let code: number;
    try {
      code = await runDemo(['--households', '2', '--upstream']);
    } finally {
      process.stdout.write = write;
      console.log = log;
    }
    const output = lines.join('\n');
    expect(code).toBe(0);
    expect(output).toMatch(/chain of \d+ blocks verified: ok/);
    expect(output).toMatch(/household-1\s+optIn .* 48\/48/);
    expect(output).toMatch(/household-2\s+optOut/);
    expect(output).toMatch(/TSO setpoint \d+ W confirmed in \d+ ms; shared by the DR contract \(ledger event iec104-/);
    // The utility's setpoint, shared by the contract, received by both households, reported back up, anchored.
    expect(output).toMatch(/utility event \S+: \d+ W for 15 minutes → 2 household events, opt optIn upstream; shared by the DR contract \(ledger event up-/);
    expect(output.match(/household-\d\s+\d+ W █+ {2}event up-\S+, received by its VEN/g)).toHaveLength(2);
    expect(output).toMatch(/the utility holds FlexBridge's report: DEMAND \d+(\.\d+)? kW/);
    expect(output).toMatch(/the upstream chain anchored; chain of \d+ blocks verified: ok/);
    const proof = /anchor proof --ledger (\S+) --node-cert (\S+) gridOrder (\S+)/.exec(output);
    expect(proof).not.toBeNull();
    // The utility's request is on the ledger, with the events it became and how they were shared.
    const exported = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'cli.ts', 'anchor', 'proof', '--ledger', proof![1]!, '--node-cert', proof![2]!, 'gridOrder', proof![3]!], { encoding: 'utf8' })) as { value: string };
    const order = JSON.parse(Buffer.from(exported.value, 'base64').toString('utf8')) as { source: string; eventIds: string[]; allocatedBy: string };
    expect(order).toMatchObject({ source: 'openadr3-upstream', allocatedBy: expect.stringMatching(/^the DR contract/) });
    expect(order.eventIds).toHaveLength(2);
  }, 120_000);
});
