import { runDemo } from '../../app/demo.js';

describe('npm start (the demo)', () => {
  it('runs seed 002\'s DR day on embedded defaults and ends with a verified ledger', async () => {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const log = console.log;
    process.stdout.write = ((chunk: string) => { lines.push(String(chunk)); return true; }) as typeof process.stdout.write;
    console.log = (...parts: unknown[]) => { lines.push(parts.join(' ')); };
    let code: number;
    try {
      code = await runDemo(['--households', '2']);
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
  }, 120_000);
});
