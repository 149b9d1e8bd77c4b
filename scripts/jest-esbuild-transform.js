// Jest transformer: TypeScript to CommonJS with esbuild, without type checks (jsii type-checks in
// compile; type-checking 7.8 MB of generated bindings in every jest worker would dominate the run).
'use strict';
const crypto = require('crypto');
const { transformSync } = require('esbuild');

const OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20', sourcemap: 'inline', keepNames: true };

module.exports = {
  getCacheKey(source, file) {
    return crypto.createHash('sha256').update(JSON.stringify(OPTIONS)).update(file).update(source).digest('hex');
  },
  process(source, file) {
    return { code: transformSync(source, { ...OPTIONS, sourcefile: file }).code };
  },
};
