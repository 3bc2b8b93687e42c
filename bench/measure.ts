/** Runs `fn` until at least `minMs` have passed (after a warm-up) and returns microseconds per call. */
export function measure(fn: () => unknown, minMs = 250, warmup = 20): number {
  for (let i = 0; i < warmup; i++) fn();
  let iterations = 0;
  const start = process.hrtime.bigint();
  let elapsedNs = 0n;
  const minNs = BigInt(minMs) * 1_000_000n;
  while (elapsedNs < minNs) {
    for (let i = 0; i < 10; i++) fn();
    iterations += 10;
    elapsedNs = process.hrtime.bigint() - start;
  }
  return Number(elapsedNs) / 1000 / iterations;
}

export async function measureAsync(fn: () => Promise<unknown>, minMs = 250, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  let iterations = 0;
  const start = process.hrtime.bigint();
  const minNs = BigInt(minMs) * 1_000_000n;
  while (process.hrtime.bigint() - start < minNs) {
    await fn();
    iterations++;
  }
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

export function table(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? format(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => String(r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map((r) => line(r.map(String)))].join('\n');
}

function format(n: number): string {
  if (n >= 1000) return Math.round(n).toLocaleString('en-US');
  if (n >= 100) return n.toFixed(0);
  if (n >= 10) return n.toFixed(1);
  return n.toFixed(2);
}
