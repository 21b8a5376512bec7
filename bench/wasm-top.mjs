#!/usr/bin/env node
// Where the bytes of a .wasm go: section sizes, the largest functions, and code size per crate/module.
//
//   node bench/wasm-top.mjs FILE.wasm [--top 30]
//
// Function names need a name section: the shipped pkg/*/ .wasm has none (wasm-opt --strip-debug). Make a
// named twin of the shipped build without touching pkg/, e.g.:
//   cargo build --release --target wasm32-unknown-unknown
//   wasm-bindgen --target web --out-dir /tmp/wb --out-name tc3_lighthouse target/wasm32-unknown-unknown/release/tc3_lighthouse.wasm
//   node_modules/.bin/wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
//     --enable-mutable-globals /tmp/wb/tc3_lighthouse_bg.wasm -o /tmp/named.wasm
// (-g keeps names; the code is the same as the shipped one, so the function sizes are the shipped ones.)
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/wasm-top.mjs FILE.wasm [--top N]');
  process.exit(2);
}
const topArg = process.argv.indexOf('--top');
const TOP = topArg > 0 ? Number(process.argv[topArg + 1]) : 30;
const buf = readFileSync(file);

let pos = 8;
const u32 = () => {
  let r = 0;
  let shift = 0;
  let b;
  do {
    b = buf[pos++];
    r |= (b & 0x7f) << shift;
    shift += 7;
  } while (b & 0x80);
  return r >>> 0;
};
const str = () => {
  const n = u32();
  const s = buf.toString('utf8', pos, pos + n);
  pos += n;
  return s;
};

const SECTION = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount'];
const sections = [];
let importedFuncs = 0;
const bodies = []; // { index, size }
const names = new Map();
const exportsByFunc = new Map();
let dataBytes = 0;

while (pos < buf.length) {
  const id = buf[pos++];
  const size = u32();
  const end = pos + size;
  let label = SECTION[id] ?? `id${id}`;
  if (id === 0) {
    const name = str();
    label = `custom "${name}"`;
    if (name === 'name') {
      while (pos < end) {
        const sub = buf[pos++];
        const len = u32();
        const subEnd = pos + len;
        if (sub === 1) {
          const n = u32();
          for (let i = 0; i < n; i++) {
            const idx = u32();
            names.set(idx, str());
          }
        }
        pos = subEnd;
      }
    }
  } else if (id === 2) {
    const n = u32();
    for (let i = 0; i < n; i++) {
      str();
      str();
      const kind = buf[pos++];
      if (kind === 0) {
        u32();
        importedFuncs++;
      } else if (kind === 1) {
        pos++;
        const f = u32();
        u32();
        if (f & 1) u32();
      } else if (kind === 2) {
        const f = u32();
        u32();
        if (f & 1) u32();
      } else if (kind === 3) {
        pos += 2;
      } else {
        u32();
      }
    }
  } else if (id === 7) {
    const n = u32();
    for (let i = 0; i < n; i++) {
      const name = str();
      const kind = buf[pos++];
      const idx = u32();
      if (kind === 0) exportsByFunc.set(idx, name);
    }
  } else if (id === 10) {
    const n = u32();
    for (let i = 0; i < n; i++) {
      const sz = u32();
      bodies.push({ index: importedFuncs + i, size: sz });
      pos += sz;
    }
  } else if (id === 11) {
    dataBytes = size;
  }
  sections.push({ label, size });
  pos = end;
}

const gz = gzipSync(buf, { level: 9 }).length;
console.log(`${file}: ${buf.length} bytes raw, ${gz} gzip -9; ${bodies.length} functions, ${importedFuncs} imports`);
console.log('\nsections:');
for (const s of sections.sort((a, b) => b.size - a.size)) console.log(`  ${String(s.size).padStart(8)}  ${s.label}`);

// Rust symbol names, legacy mangling (_ZN...E) or already demangled; strip the hash.
function demangle(n) {
  if (!n) return n;
  if (n.startsWith('_ZN')) {
    let p = 3;
    const parts = [];
    while (p < n.length && n[p] !== 'E') {
      let len = 0;
      while (/[0-9]/.test(n[p])) len = len * 10 + Number(n[p++]);
      if (!len) break;
      parts.push(n.slice(p, p + len));
      p += len;
    }
    if (parts.length && /^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
    return parts
      .join('::')
      .replace(/\$LT\$/g, '<')
      .replace(/\$GT\$/g, '>')
      .replace(/\$u20\$/g, ' ')
      .replace(/\$RF\$/g, '&')
      .replace(/\$C\$/g, ',')
      .replace(/\$u7b\$/g, '{')
      .replace(/\$u7d\$/g, '}')
      .replace(/\.\./g, '::')
      .replace(/\$u27\$/g, "'")
      .replace(/\$BP\$/g, '*');
  }
  return n.replace(/::h[0-9a-f]{16}$/, '');
}
const fnName = (i) => demangle(names.get(i))?.replace(/\[[0-9a-f]{16}\]/g, '') ?? exportsByFunc.get(i) ?? `func[${i}]`;

const code = bodies.reduce((a, b) => a + b.size, 0);
console.log(`\nlargest functions (of ${code} code bytes; data ${dataBytes}):`);
for (const b of [...bodies].sort((a, c) => c.size - a.size).slice(0, TOP)) {
  const ex = exportsByFunc.get(b.index);
  console.log(`  ${String(b.size).padStart(7)}  ${((100 * b.size) / code).toFixed(1).padStart(5)}%  ${fnName(b.index)}${ex ? `  [export ${ex}]` : ''}`);
}

// Per crate / top-level module. Rules: `[hash]` crate disambiguators dropped; `<A as B>::f` counts for A's crate
// (B's when A is a bare type such as `char` or a generic `D`); wasm-bindgen's export shims are one group; and
// js_sys::futures::future_to_promise closures are the bodies of `async` exports inlined into their poll
// function, so they count as the crate's async exports, not as js-sys.
const clean = (n) => n.replace(/\[[0-9a-f]{16}\]/g, '');
const crateOf = (path) => {
  const parts = path.split('::');
  return parts[0] === 'tc3_lighthouse' && parts[1] ? `tc3_lighthouse::${parts[1]}` : parts[0];
};
function groupOf(raw) {
  const n = clean(raw);
  if (/ shim( |$)/.test(n) || /^__wbg_|^__wbindgen|^__externref/.test(n)) return 'wasm-bindgen export shims/intrinsics';
  if (n.startsWith('js_sys::futures::future_to_promise')) return 'async export bodies (in future_to_promise)';
  const m = n.match(/^<(?:&(?:mut )?)?([^<>]*?)(?: as ([^<>]*?))?>::/) ?? n.match(/^<(?:&(?:mut )?)?(.*?)(?: as (.*))?>::/);
  if (m) {
    const self = m[1].replace(/<.*$/, '');
    if (self.includes('::')) return crateOf(self);
    if (m[2]) return crateOf(m[2].replace(/<.*$/, ''));
    return `${self} (impl)`;
  }
  return crateOf(n);
}
const group = new Map();
for (const b of bodies) {
  const key = names.size ? groupOf(fnName(b.index)) : '(unnamed: no name section)';
  group.set(key, (group.get(key) ?? 0) + b.size);
}
console.log('\ncode bytes by crate / module:');
for (const [k, v] of [...group].sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
  console.log(`  ${String(v).padStart(7)}  ${((100 * v) / code).toFixed(1).padStart(5)}%  ${k}`);
}
