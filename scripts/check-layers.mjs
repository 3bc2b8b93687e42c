#!/usr/bin/env node
// Checks that production code imports one way: each top-level folder may import only folders of a
// lower layer (docs/architecture.md draws them), never test code, and no file imports itself back
// through a cycle; and that every error class has FlexBridgeError as its base. Run by `npm test`
// before the suite; prints every offence.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Lower numbers are lower layers; folders of one layer do not import each other. */
const LAYERS = {
  src: 0,
  schemas: 1, iec104: 1,
  vtn: 2, ven: 2,
  anchor: 3, conformance: 3, bridge: 3,
  app: 4,
  '(root)': 5,
};
const SKIP = new Set(['node_modules', 'dist', '.git', '.flexbridge', '.scratch', 'tmp']);

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(relative(root, path));
  }
  return out;
}

const isTestSide = (file) => file.endsWith('.test.ts') || /(^|\/)test\//.test(file) || /^(bench|scripts)\//.test(file) || file.startsWith('conformance/interop/');
const folderOf = (file) => (file.includes('/') ? file.split('/')[0] : '(root)');

function importsOf(file) {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [];
  const pattern = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'|import\(\s*'([^']+)'\s*\)/g;
  for (const m of text.matchAll(pattern)) specifiers.push(m[1] ?? m[2]);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => {
    let target = relative(root, resolve(root, dirname(file), s)).replace(/\.js$/, '.ts');
    if (!target.endsWith('.ts')) target = existsSync(join(root, target, 'index.ts')) ? join(target, 'index.ts') : `${target}.ts`;
    return target;
  });
}

const files = walk(root).filter((f) => folderOf(f) in LAYERS);
const production = files.filter((f) => !isTestSide(f));
const problems = [];
const graph = new Map();
for (const file of production) {
  const from = folderOf(file);
  const edges = [];
  for (const target of importsOf(file)) {
    const to = folderOf(target);
    if (isTestSide(target)) problems.push(`${file} imports test code ${target}`);
    else if (!(to in LAYERS)) problems.push(`${file} imports ${target}, outside every layer`);
    else if (to !== from && LAYERS[to] >= LAYERS[from]) problems.push(`${file} (${from}, layer ${LAYERS[from]}) imports ${target} (${to}, layer ${LAYERS[to]}): only lower layers may be imported`);
    edges.push(target);
  }
  graph.set(file, edges);
}

// File cycles (Tarjan's strongly connected components).
let index = 0;
const stack = [];
const state = new Map();
function connect(v) {
  const s = { index, low: index, onStack: true };
  index++;
  state.set(v, s);
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!graph.has(w)) continue;
    const t = state.get(w);
    if (!t) { connect(w); s.low = Math.min(s.low, state.get(w).low); }
    else if (t.onStack) s.low = Math.min(s.low, t.index);
  }
  if (s.low === s.index) {
    const component = [];
    let w;
    do { w = stack.pop(); state.get(w).onStack = false; component.push(w); } while (w !== v);
    if (component.length > 1) problems.push(`import cycle: ${component.sort().join(' ↔ ')}`);
  }
}
for (const v of graph.keys()) if (!state.has(v)) connect(v);

// One error base: every error class of production code descends from FlexBridgeError (src/errors.ts),
// through its module's base, so each carries a stable `code`.
for (const file of production) {
  if (file === 'src/errors.ts') continue;
  for (const m of readFileSync(join(root, file), 'utf8').matchAll(/class\s+(\w+)\s+extends\s+(Error|TypeError|RangeError)\b/g)) {
    problems.push(`${file}: class ${m[1]} extends ${m[2]} directly; derive it from its module's error base (src/errors.ts FlexBridgeError)`);
  }
}

if (problems.length) {
  console.error(`check-layers: ${problems.length} import(s) break the layering (docs/architecture.md):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.error(`check-layers: ${production.length} production files import one way, no cycles`);
