// The declarations as users see them: the six generated files (scripts/build-types.mjs) in a throwaway
// `node_modules/tc3-lighthouse` with the package's exports map, and each project of tests/types compiled
// against it, through that map only, by TypeScript 5.9.3 and TypeScript 7.
// No network; everything is written under os.tmpdir() and removed afterwards.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTypes, DECLARATIONS } from '../../scripts/build-types.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const typesDir = path.join(root, 'tests', 'types');

const EXPORTS = {
  '.': {
    node: {
      import: { types: './node/index.d.mts', default: './node/index.mjs' },
      require: { types: './node/index.d.cts', default: './node/index.cjs' },
    },
    workerd: { types: './web/index.d.ts', default: './server/workerd.js' },
    default: { types: './web/index.d.ts', default: './web/index.js' },
  },
  './sign': {
    node: {
      import: { types: './sign/node/index.d.mts', default: './sign/node/index.mjs' },
      require: { types: './sign/node/index.d.cts', default: './sign/node/index.cjs' },
    },
    workerd: { types: './sign/web/index.d.ts', default: './sign/web/workerd.js' },
    default: { types: './sign/web/index.d.ts', default: './sign/web/index.js' },
  },
};

const compilers = [
  { name: 'TypeScript 5.9.3', bin: path.join(root, 'node_modules', 'typescript', 'bin', 'tsc') },
  {
    name: 'TypeScript 7',
    bin: process.env.TC3_TSC7 || path.join(root, 'tests', 'matrix', 'node_modules', 'typescript7', 'bin', 'tsc'),
  },
];

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tc3-types-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A fake installed package: the exports map, the generated declarations, empty JS stubs. */
function fakePackage(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'tc3-lighthouse', version: '0.0.0-types', exports: EXPORTS }, null, 2));
  for (const sub of ['web', 'sign/web']) {
    mkdirSync(path.join(dir, sub), { recursive: true });
    writeFileSync(path.join(dir, sub, 'package.json'), '{"type":"module"}\n');
  }
  for (const entry of Object.values(EXPORTS)) {
    const stubs = [entry.node.import.default, entry.node.require.default, entry.workerd.default, entry.default.default];
    for (const stub of stubs) {
      mkdirSync(path.dirname(path.join(dir, stub)), { recursive: true });
      writeFileSync(path.join(dir, stub), '');
    }
  }
  buildTypes(root, dir);
}

/**
 * A project folder: tests/types copied in, its own node_modules/tc3-lighthouse, and (for Node projects
 * only) @types/node linked from the repository. A browser project has no @types at all.
 */
function project(name, { nodeTypes }) {
  const dir = path.join(tmp, name);
  cpSync(typesDir, dir, { recursive: true });
  fakePackage(path.join(dir, 'node_modules', 'tc3-lighthouse'));
  if (nodeTypes) symlinkSync(path.join(root, 'node_modules', '@types'), path.join(dir, 'node_modules', '@types'), 'dir');
  return dir;
}

const projects = [
  { name: 'Node, ES modules + CommonJS (NodeNext, @types/node, lib ES2022 + DOM)', config: 'tsconfig.json', nodeTypes: true },
  { name: 'Node without the DOM lib (lib ES2022, @types/node)', config: 'tsconfig.node-nodom.json', nodeTypes: true },
  { name: 'browser (bundler, lib ES2022 + DOM, no @types/node)', config: 'tsconfig.browser.json', nodeTypes: false },
  { name: 'workerd (bundler, customConditions workerd, no @types/node)', config: 'tsconfig.workerd.json', nodeTypes: false },
];
const dirs = {
  node: project('node', { nodeTypes: true }),
  web: project('web', { nodeTypes: false }),
};

for (const compiler of compilers) {
  for (const p of projects) {
    const found = existsSync(compiler.bin);
    const skip = found ? false : `${compiler.name} not installed at ${path.relative(root, compiler.bin)} (npm ci in tests/matrix, or set TC3_TSC7)`;
    test(`${compiler.name}: ${p.name} compiles`, { skip }, () => {
      const dir = p.nodeTypes ? dirs.node : dirs.web;
      const r = spawnSync(process.execPath, [compiler.bin, '-p', path.join(dir, p.config), '--pretty', 'false'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 120_000,
      });
      const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim();
      assert.equal(r.status, 0, `${compiler.name} -p ${p.config} exited ${r.status}:\n${output}`);
    });
  }
}

test('each published declaration file is the header plus its fragments, verbatim', () => {
  const pkg = path.join(dirs.web, 'node_modules', 'tc3-lighthouse');
  assert.deepEqual(Object.keys(DECLARATIONS).sort(), [
    'node/index.d.cts',
    'node/index.d.mts',
    'sign/node/index.d.cts',
    'sign/node/index.d.mts',
    'sign/web/index.d.ts',
    'web/index.d.ts',
  ]);
  for (const [rel, parts] of Object.entries(DECLARATIONS)) {
    const text = readFileSync(path.join(pkg, rel), 'utf8');
    const [header, ...rest] = text.split('\n');
    assert.match(header, /^\/\/ Generated from js\/types\/.* by scripts\/build-types\.mjs/, rel);
    const body = parts.map((p) => readFileSync(path.join(root, 'js', 'types', `${p}.d.ts`), 'utf8')).join('\n');
    assert.equal(rest.join('\n'), body, `${rel} is not the plain concatenation of ${parts.join(' + ')}`);
  }
});

test('the fragments: no any, no index signatures, nothing of Node outside node.d.ts', () => {
  for (const name of ['sign', 'client', 'shapes', 'credentials', 'node']) {
    const code = readFileSync(path.join(root, 'js', 'types', `${name}.d.ts`), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(code, /\bany\b/, `js/types/${name}.d.ts uses \`any\``);
    assert.doesNotMatch(code, /\[\s*\w+\s*:\s*(string|number|symbol)\s*\]\s*:/, `js/types/${name}.d.ts has an index signature`);
    assert.doesNotMatch(code, /Symbol\.dispose|Symbol\.asyncDispose/, `js/types/${name}.d.ts mentions Symbol.dispose (not in lib ES2022)`);
    if (name !== 'node') {
      assert.doesNotMatch(code, /node:|\bBuffer\b|NodeJS\.|\bprocess\b/, `js/types/${name}.d.ts refers to Node`);
    }
  }
});
