import type { CaseResult } from './runner.js';

const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** The pass/fail table, one line per case, with the reason of each failure. */
export function resultTable(results: readonly CaseResult[]): string {
  const width = Math.max(...results.map((r) => r.id.length), 4);
  const lines = results.map((r) => `${r.id.padEnd(width)}  ${r.outcome.toUpperCase().padEnd(4)}  ${r.title}${r.reason ? `\n${' '.repeat(width + 8)}↳ ${r.reason}` : ''}`);
  const count = (o: CaseResult['outcome']): number => results.filter((r) => r.outcome === o).length;
  return [...lines, '', `${count('pass')} passed, ${count('fail')} failed, ${count('n/a')} not applicable, of ${results.length}`].join('\n');
}

export function junitXml(suite: string, results: readonly CaseResult[]): string {
  const failures = results.filter((r) => r.outcome === 'fail').length;
  const skipped = results.filter((r) => r.outcome === 'n/a').length;
  const time = results.reduce((s, r) => s + r.durationMs, 0) / 1000;
  const cases = results.map((r) => {
    const body = r.outcome === 'fail' ? `<failure message="${escapeXml(r.reason ?? '')}"/>` : r.outcome === 'n/a' ? `<skipped message="${escapeXml(r.reason ?? '')}"/>` : '';
    return `  <testcase classname="${escapeXml(suite)}" name="${escapeXml(`${r.id} ${r.title}`)}" time="${(r.durationMs / 1000).toFixed(3)}">${body}</testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${escapeXml(suite)}" tests="${results.length}" failures="${failures}" skipped="${skipped}" time="${time.toFixed(3)}">\n${cases.join('\n')}\n</testsuite>\n`;
}
