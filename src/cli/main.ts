/*
 * The `cdktf-libvirt` command line (bin/cdktf-libvirt). Not part of the library's jsii API.
 *
 *   cdktf-libvirt preview <stack dir|cdk.tf.json> [--out DIR] [--validate]
 *   cdktf-libvirt check <stack dir|cdk.tf.json>
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkStackConformance } from '../checks/schema-conformance-rule';
import { PreviewDocument, renderStack, withPlaceholderStandIns } from '../preview/render';

/** Where the CLI writes and which environment it sees (replaceable in tests). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
}

const USAGE = `Usage:
  cdktf-libvirt preview <stack dir|cdk.tf.json> [--out DIR] [--validate]
      Print the libvirt XML of every domain, network, pool and volume in a synthesized stack
      (e.g. cdktf.out/stacks/lab), or write one <address>.xml per resource into DIR.
      --validate runs virt-xml-validate on each document when it is installed.
  cdktf-libvirt check <stack dir|cdk.tf.json>
      Check every libvirt_* resource and data source against the provider schema
      (unknown attributes at any depth, missing required attributes, types).

Exit codes: 0 ok, 1 findings or validation failures, 2 usage or input errors.
`;

/** A synthesized stack: its name and parsed cdk.tf.json. */
interface LoadedStack {
  readonly name: string;
  readonly file: string;
  readonly json: any;
}

class UsageError extends Error {}

/** Runs the CLI with `args` (without node and script); resolves to the exit code. */
export function main(args: string[], io: CliIo = processIo()): number {
  try {
    const [command, ...rest] = args;
    switch (command) {
      case 'preview':
        return preview(rest, io);
      case 'check':
        return check(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e: any) {
    io.stderr(`cdktf-libvirt: ${e?.message ?? e}\n`);
    if (e instanceof UsageError) {
      io.stderr(`\n${USAGE}`);
    }
    return 2;
  }
}

/** Entry point of bin/cdktf-libvirt. */
export function run(): void {
  process.exitCode = main(process.argv.slice(2));
}

function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    cwd: process.cwd(),
  };
}

function preview(args: string[], io: CliIo): number {
  let out: string | undefined;
  let validateDocs = false;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--out' || a === '-o') {
      out = args[++i];
      if (!out) {
        throw new UsageError('--out needs a directory');
      }
    } else if (a.startsWith('--out=')) {
      out = a.slice('--out='.length);
    } else if (a === '--validate') {
      validateDocs = true;
    } else if (a.startsWith('-')) {
      throw new UsageError(`unknown option '${a}'`);
    } else {
      positional.push(a);
    }
  }
  const stacks = loadStacks(positional, io);
  const validator = validateDocs ? findOnPath('virt-xml-validate', io.env) : undefined;
  if (validateDocs && !validator) {
    io.stderr('cdktf-libvirt: virt-xml-validate is not on PATH: validation SKIPPED (install libvirt-clients to enable it)\n');
  }
  let failures = 0;
  let count = 0;
  for (const stack of stacks) {
    const docs = renderStack(stack.json);
    count += docs.length;
    if (out) {
      const dir = path.resolve(io.cwd, out, stacks.length > 1 ? stack.name : '');
      fs.mkdirSync(dir, { recursive: true });
      for (const doc of docs) {
        const file = path.join(dir, `${doc.address}.xml`);
        fs.writeFileSync(file, doc.xml);
        io.stdout(`${path.relative(io.cwd, file) || file}\n`);
      }
    } else {
      for (const doc of docs) {
        io.stdout(`${doc.xml}\n`);
      }
    }
    if (validator) {
      for (const doc of docs) {
        const problem = validateDocument(validator, doc);
        if (problem) {
          failures++;
          io.stderr(`INVALID ${stackPrefix(stacks, stack)}${doc.address} (${doc.constructPath || 'no construct path'}):\n${indent(problem)}\n`);
        }
      }
    }
  }
  if (validator) {
    io.stderr(`cdktf-libvirt: ${count - failures} of ${count} documents valid${failures ? `, ${failures} INVALID` : ''}\n`);
  }
  if (count === 0) {
    io.stderr('cdktf-libvirt: no libvirt_domain, libvirt_network, libvirt_pool or libvirt_volume resources found\n');
  }
  return failures > 0 ? 1 : 0;
}

function check(args: string[], io: CliIo): number {
  const positional = args.filter((a) => !a.startsWith('-'));
  const unknown = args.find((a) => a.startsWith('-'));
  if (unknown) {
    throw new UsageError(`unknown option '${unknown}'`);
  }
  const stacks = loadStacks(positional, io);
  let findings = 0;
  let resources = 0;
  for (const stack of stacks) {
    for (const section of ['resource', 'data']) {
      for (const type of Object.keys(stack.json?.[section] ?? {})) {
        if (type.startsWith('libvirt_')) {
          resources += Object.keys(stack.json[section][type] ?? {}).length;
        }
      }
    }
    for (const f of checkStackConformance(stack.json)) {
      findings++;
      io.stdout(`${stackPrefix(stacks, stack)}${f.address}${f.constructPath ? ` (${f.constructPath})` : ''}: ${f.attributePath ? `${f.attributePath}: ` : ''}${f.problem}\n`);
    }
  }
  io.stderr(findings
    ? `cdktf-libvirt: ${findings} finding(s) in ${resources} libvirt resource(s)\n`
    : `cdktf-libvirt: ${resources} libvirt resource(s) conform to the provider schema\n`);
  return findings > 0 ? 1 : 0;
}

/** Loads the stacks named by the positional argument: a cdk.tf.json, a stack dir, or cdktf.out. */
function loadStacks(positional: string[], io: CliIo): LoadedStack[] {
  if (positional.length !== 1) {
    throw new UsageError(positional.length === 0 ? 'missing <stack dir>' : `expected one <stack dir>, got ${positional.length}`);
  }
  const target = path.resolve(io.cwd, positional[0]);
  if (!fs.existsSync(target)) {
    throw new Error(`${positional[0]}: no such file or directory`);
  }
  const files: string[] = [];
  if (fs.statSync(target).isFile()) {
    files.push(target);
  } else if (fs.existsSync(path.join(target, 'cdk.tf.json'))) {
    files.push(path.join(target, 'cdk.tf.json'));
  } else if (fs.existsSync(path.join(target, 'stacks'))) {
    const stacksDir = path.join(target, 'stacks');
    for (const name of fs.readdirSync(stacksDir).sort()) {
      const file = path.join(stacksDir, name, 'cdk.tf.json');
      if (fs.existsSync(file)) {
        files.push(file);
      }
    }
  }
  if (files.length === 0) {
    throw new Error(`${positional[0]}: no cdk.tf.json found (pass a stack directory such as cdktf.out/stacks/<stack>, or the JSON file)`);
  }
  return files.map((file) => {
    let json: any;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e: any) {
      throw new Error(`${file}: not valid JSON (${e?.message ?? e})`);
    }
    return { name: path.basename(path.dirname(file)), file, json };
  });
}

function stackPrefix(stacks: LoadedStack[], stack: LoadedStack): string {
  return stacks.length > 1 ? `[${stack.name}] ` : '';
}

/** Validates one document (placeholders replaced by stand-ins); returns the error text or ''. */
function validateDocument(validator: string, doc: PreviewDocument): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-libvirt-'));
  const file = path.join(dir, `${doc.address}.xml`);
  try {
    fs.writeFileSync(file, withPlaceholderStandIns(doc.xml));
    const schema = { domain: 'domain', network: 'network', pool: 'storagepool', volume: 'storagevol' }[doc.kind];
    const result = spawnSync(validator, [file, schema], { encoding: 'utf8' });
    if (result.error) {
      return `could not run ${validator}: ${result.error.message}`;
    }
    return result.status === 0 ? '' : `${result.stdout ?? ''}${result.stderr ?? ''}`.split(file).join(`${doc.address}.xml`).trim();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function findOnPath(command: string, env: Record<string, string | undefined>): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) {
        return candidate;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}

if (require.main === module) {
  run();
}
