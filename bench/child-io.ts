// What the VTN benchmarks share: one POST over a keep-alive agent, and VTN processes started and stopped.
import type { ChildProcess } from 'node:child_process';
import { request, type Agent } from 'node:https';
import { request as plainRequest, type Agent as PlainAgent } from 'node:http';

export function post(agent: Agent | PlainAgent, url: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? request : plainRequest;
    const req = send(url, { method: 'POST', agent: agent as Agent & PlainAgent, headers: { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start:\n${output.slice(-3000)}`)), 60_000);
    const on = (c: Buffer): void => {
      output += c.toString();
      const m = pattern.exec(output);
      if (m) { clearTimeout(timer); resolve(m); }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${what} exited (${code}):\n${output.slice(-3000)}`)); });
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => { const t = setTimeout(() => { child.kill('SIGKILL'); r(undefined); }, 5000); child.once('exit', () => { clearTimeout(t); r(undefined); }); });
}

