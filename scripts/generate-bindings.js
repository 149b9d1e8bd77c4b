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
