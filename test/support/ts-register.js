'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a plain node script, run by child processes */
// Lets a plain `node` child process require the TypeScript sources (used by the tests that kill
// a child at each step of the write path). Transpiles only, caching the output by path and mtime.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const cacheDir = path.join(os.tmpdir(), `seaworthy-ts-cache-${process.getuid ? process.getuid() : 0}`);
fs.mkdirSync(cacheDir, { recursive: true });

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(filename).update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let js;
  try {
    js = fs.readFileSync(cached, 'utf8');
  } catch {
    // typescript takes ~1s to load: only on a cache miss.
    const ts = require('typescript');
    js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true }, fileName: filename }).outputText;
    const tmp = `${cached}.${process.pid}`;
    fs.writeFileSync(tmp, js);
    fs.renameSync(tmp, cached);
  }
  module._compile(js, filename);
};
