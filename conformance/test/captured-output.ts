/** Runs `fn` with console.log and stdout captured (the CLI's progress and table), restoring both after. */
export async function withCapturedOutput<T>(fn: () => Promise<T>): Promise<{ result: T; output: string }> {
  const log = console.log;
  const write = process.stdout.write.bind(process.stdout);
  const lines: string[] = [];
  console.log = (...a: unknown[]) => { lines.push(`${a.join(' ')}\n`); };
  process.stdout.write = ((chunk: string) => { lines.push(String(chunk)); return true; }) as typeof process.stdout.write;
  try {
    return { result: await fn(), output: lines.join('') };
  } finally {
    console.log = log;
    process.stdout.write = write;
  }
}
