#!/usr/bin/env node
// Generates the typed L1 bindings for dmacvicar/libvirt from the vendored provider schema,
// offline, with @cdktf/provider-generator. Output is not committed (see .gitignore).
//
//   node scripts/generate-bindings.js <schema.json> <outdir> --constraint '>= 0.9.7, < 0.10.0' [--force]
//
// The generator would pin the provider to nothing (or to the schema's exact version); the
// bindings are patched to carry the version range given by --constraint instead.
//
// A stamp file (schema hash + generator version) makes re-runs a no-op when nothing changed.
'use strict';
process.env.CHECKPOINT_DISABLE = '1';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

async function main() {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const ci = args.indexOf('--constraint');
  const constraint = ci >= 0 ? args[ci + 1] : undefined;
  const [schemaPath, outdir] = args.filter((a, i) => !a.startsWith('--') && (ci < 0 || i !== ci + 1));
  if (!schemaPath || !outdir || !constraint) {
    console.error("usage: generate-bindings.js <schema.json> <outdir> --constraint '>= X, < Y' [--force]");
    process.exit(2);
  }
  const schemaText = fs.readFileSync(schemaPath, 'utf8');
  const generatorVersion = require('@cdktf/provider-generator/package.json').version;
  const stamp = crypto.createHash('sha256').update(schemaText).update(generatorVersion)
    .update(constraint).update(fs.readFileSync(__filename)).digest('hex');
  const stampFile = path.join(outdir, '.stamp');
  if (!force && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    return;
  }
  const started = Date.now();
  const { TerraformProviderGenerator, CodeMaker } = require('@cdktf/provider-generator');
  const schema = JSON.parse(schemaText);
  const code = new CodeMaker();
  new TerraformProviderGenerator(code, schema).generateAll();
  const tmp = `${outdir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  await code.save(tmp);

  // The generator nests everything under providers/<namespace>/<name>/; flatten to <outdir>.
  const root = findProviderRoot(tmp);
  // Not used, and it is plain CommonJS in a .ts file, which jsii would try to compile.
  fs.rmSync(path.join(root, 'lazy-index.ts'), { force: true });
  pinConstraint(path.join(root, 'provider', 'index.ts'), constraint);
  for (const file of listTs(root)) makeNestedObjectsLazy(file);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  fs.renameSync(root, outdir);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.writeFileSync(stampFile, stamp);
  console.log(`generated libvirt bindings in ${outdir} (${Date.now() - started} ms)`);
}

function pinConstraint(file, constraint) {
  const text = fs.readFileSync(file, 'utf8');
  const marker = "providerName: 'libvirt'";
  if (!text.includes(marker)) throw new Error(`cannot find the generator metadata in ${file}`);
  // cdktf writes providerVersion (or, failing that, providerVersionConstraint) into required_providers.
  fs.writeFileSync(file, text.replace(marker, `${marker},\n        providerVersion: ${JSON.stringify(constraint)}`));
}

function listTs(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listTs(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/**
 * The generated classes create an object for every nested attribute eagerly (`private _os = new
 * DomainOsOutputReference(this, "os")`), recursively through the whole schema: about 340 per
 * domain, and the constructor fills the ones it is given a value for. cdktf captures a full stack
 * trace for each (`ComplexResolvable.creationStack`), which was most of the synth time of large
 * labs. This rewrites them to be created only when a program asks for one (`domain.os`):
 * - the field becomes a getter (`_os`) over a backing field (`__os`) that creates the object on
 *   first use and hands it the value set so far;
 * - until then, a value set (constructor, `putOs`, `resetOs`, a parent's value) is kept as given,
 *   in `__os$v`;
 * - reading the value reads the object when it exists, else the kept value as the object would
 *   report it (`pendingBlockValue`: a block whose attributes are all undefined reads as undefined,
 *   at any depth).
 * Public getters (`domain.os`) still create them, so L1 users see no difference; the synthesized
 * JSON is the same byte for byte (test/bindings.test.ts).
 */
function makeNestedObjectsLazy(file) {
  let text = fs.readFileSync(file, 'utf8');
  const names = new Set();
  // Computed-only objects are never given a value: they need no kept value.
  const assigned = new Set([...text.matchAll(/this\._(\w+)\.internalValue = /g)].map((m) => m[1]));
  text = text.replace(/^( +)private _(\w+) = new ([\w.]+)\((this, "\w+"(?:, (?:true|false))?)\);$/gm, (_m, indent, name, cls, args) => {
    names.add(name);
    const f = `this.__${name}`;
    if (!assigned.has(name)) {
      return `${indent}private __${name}?: ${cls};\n`
        + `${indent}private get _${name}(): ${cls} { return ${f} ?? (${f} = new ${cls}(${args})); }`;
    }
    return `${indent}private __${name}?: ${cls};\n`
      + `${indent}private __${name}$v?: any;\n`
      + `${indent}private get _${name}(): ${cls} {\n`
      + `${indent}  if (${f} === undefined) {\n`
      + `${indent}    ${f} = new ${cls}(${args});\n`
      + `${indent}    if (${f}$v !== undefined) { ${f}.internalValue = ${f}$v; ${f}$v = undefined; }\n`
      + `${indent}  }\n`
      + `${indent}  return ${f};\n`
      + `${indent}}`;
  });
  if (names.size === 0) return;
  // Assignments go to the object when it exists, else they are kept.
  text = text.replace(/this\._(\w+)\.internalValue = ([^;\n]+);/g, (m, name, expr) => {
    if (!names.has(name) || !assigned.has(name)) return m;
    const f = `this.__${name}`;
    return `{ const v = ${expr}; if (${f} !== undefined) { ${f}.internalValue = v; } else { ${f}$v = v; } }`;
  });
  // Reads never need the object to exist.
  let reads = 0;
  text = text.replace(/this\._(\w+)\??\.internalValue\b(?! =)/g, (m, name) => {
    if (!names.has(name)) return m;
    if (!assigned.has(name)) return `this.__${name}?.internalValue`;
    reads++;
    const f = `this.__${name}`;
    return `(${f} !== undefined ? ${f}.internalValue : pendingBlockValue(${f}$v))`;
  });
  if (reads > 0) text = text.replace(/^(import \* as cdktf from 'cdktf';\n)/m, `$1${PENDING_BLOCK_VALUE}`);
  if (reads > 0 && !text.includes('function pendingBlockValue')) throw new Error(`no cdktf import to place pendingBlockValue after in ${file}`);
  fs.writeFileSync(file, text);
}

/**
 * What an attribute object reports as its value (`internalValue`) after being given `v`: tokens,
 * lists and scalars as given; a block with no attributes as `{}`; a block whose attributes all
 * read as undefined as undefined. The schema has no map- or object-typed attributes, so every
 * plain object below a block is a block.
 */
const PENDING_BLOCK_VALUE = `
function pendingBlockValue(v: any): any {
  if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v) || cdktf.Tokenization.isResolvable(v)) return v;
  const keys = Object.keys(v);
  if (keys.length === 0) return v;
  const out: { [key: string]: any } = {};
  let any = false;
  for (const key of keys) {
    const value = pendingBlockValue(v[key]);
    if (value !== undefined) { out[key] = value; any = true; }
  }
  return any ? out : undefined;
}
`;

function findProviderRoot(dir) {
  // The provider root is the directory that holds index.ts next to a provider/ folder.
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    const entries = fs.readdirSync(d, { withFileTypes: true });
    if (entries.some((e) => e.name === 'index.ts') && entries.some((e) => e.isDirectory() && e.name === 'provider')) {
      return d;
    }
    for (const e of entries) if (e.isDirectory()) stack.push(path.join(d, e.name));
  }
  throw new Error(`no generated provider found under ${dir}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
