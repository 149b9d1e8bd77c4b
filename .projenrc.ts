import { JsonFile, cdktf, javascript } from 'projen';

/**
 * The provider release whose schema is vendored in `schema/`. The synthesized
 * `required_providers` constraint is a range (see src/core/provider-version.ts).
 */
const PROVIDER_SCHEMA = 'schema/dmacvicar-libvirt-0.9.7.schema.json';
/** The provider versions this library supports, written into `required_providers`. */
const PROVIDER_CONSTRAINT = '>= 0.9.7, < 0.10.0';

const project = new cdktf.ConstructLibraryCdktf({
  name: 'cdktf-libvirt',
  description: 'Typed, validated CDK for Terraform constructs for libvirt labs (dmacvicar/libvirt 0.9.x): VM clusters, storage pools, networks, SR-IOV and PCI passthrough.',
  author: 'cdktf-libvirt developers',
  authorAddress: 'cdktf-libvirt@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdktf-libvirt/cdktf-libvirt.git',
  keywords: ['cdktf', 'libvirt', 'kvm', 'qemu', 'terraform', 'virtualization', 'sr-iov', 'vfio'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  github: false,
  release: false,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',

  cdktfVersion: '^0.21.0',
  constructsVersion: '^10.4.2',
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.0',

  // `npx cdktf-libvirt preview|check <stack dir>`
  bin: { 'cdktf-libvirt': 'bin/cdktf-libvirt' },

  // Runtime helpers bundled into the package (not part of the public API).
  bundledDeps: ['yaml@^2.8.0', 'ipaddr.js@^2.2.0'],
  devDeps: [
    '@cdktf/provider-generator@0.21.0',
    'cdktf-cli@0.21.0',
    'esbuild@^0.25.0',
  ],

  docgen: true,

  eslintOptions: {
    dirs: ['src', 'test', 'examples'],
    ignorePatterns: ['src/imports/**', '*.js', '*.d.ts', 'node_modules/', 'cdktf.out/', '.build/'],
  },
  jestOptions: {
    // Snapshots are asserted, never silently rewritten.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testEnvironment: 'node',
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
      // Transpile-only: jsii type-checks in compile; tests stay fast.
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/'],
      testTimeout: 120_000,
    },
  },
  tsconfigDev: {
    compilerOptions: { lib: ['es2020'], skipLibCheck: true },
    // test/tsconfig.json type-checks the examples and benchmarks too (paths are relative to test/).
    include: ['../examples/**/*.ts', '../benchmarks/**/*.ts'],
  },
  gitignore: ['/cdktf.out/', '/.build/', '/benchmarks/out/', '.terraform*', 'terraform.tfstate*'],
});

// schema/ ships: the schema-conformance check and the CLI read it at run time.
for (const p of ['/cdktf.out/', '/.build/', '/benchmarks/', '/examples/', '/scripts/', 'cdktf.json', '/docs/', '/.ci/']) {
  project.npmignore?.exclude(p);
}

// Tests transpile with esbuild (scripts/jest-esbuild-transform.js) instead of ts-jest: jsii
// type-checks in compile, and type-checking 7.8 MB of generated bindings in every jest worker
// costs more than the tests themselves. (Not @swc/jest: the registry these machines use lacks
// swc's non-Linux builds of current versions, which makes `npm ci` reject the lockfile.)
project.deps.removeDependency('ts-jest');
project.jest!.config.transform = { '^.+\\.[t]sx?$': new javascript.Transform('<rootDir>/scripts/jest-esbuild-transform.js') };

// eslint-import-resolver-typescript pulls unrs-resolver, whose newest release has only Linux
// builds on that registry; 1.12.2 has every platform's, so `npm ci` accepts the lockfile.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// ---- typed L1 bindings, generated from the vendored provider schema -----
const genBindings = project.addTask('gen:bindings', {
  description: `Generate the typed libvirt L1 bindings into src/imports/ from ${PROVIDER_SCHEMA}`,
  exec: `node scripts/generate-bindings.js ${PROVIDER_SCHEMA} src/imports/libvirt --constraint '${PROVIDER_CONSTRAINT}'`,
  env: { CHECKPOINT_DISABLE: '1' },
});
project.preCompileTask.spawn(genBindings);
project.testTask.prependSpawn(genBindings);

project.addTask('schema:refresh', {
  description: 'Refresh the vendored provider schema with `terraform providers schema -json` (needs registry access); pass the version with PROVIDER_VERSION',
  exec: 'bash scripts/refresh-schema.sh',
});

// ---- examples ------------------------------------------------------------
project.addTask('synth:lab', {
  description: 'Synthesize examples/lab into cdktf.out/ (same as `npx cdktf synth`)',
  exec: 'npx cdktf synth',
  env: { CHECKPOINT_DISABLE: '1' },
});

// ESLint's project service looks for the nearest tsconfig.json; examples and benchmarks use the tests' one.
for (const dir of ['examples', 'benchmarks']) {
  new JsonFile(project, `${dir}/tsconfig.json`, { obj: { extends: '../test/tsconfig.json' } });
}
// `tsc --noEmit -p tsconfig.dev.json` type-checks src, tests, examples and benchmarks in one go.
new JsonFile(project, 'tsconfig.dev.json', { obj: { extends: './test/tsconfig.json' } });

// MAC, PCI and CIDR arithmetic is bit arithmetic.
project.eslint?.addRules({ 'no-bitwise': 'off' });

// API.md documents the high-level API only (the root submodule): the generated L1 under the
// `libvirt` namespace has thousands of structs and would bury it.
project.tasks.tryFind('docgen')?.reset('jsii-docgen -o API.md --submodule root');

// Generated bindings are rebuilt by gen:bindings; added last so projen's '!/src/' does not cancel it.
project.gitignore.addPatterns('/src/imports/');

project.synth();
