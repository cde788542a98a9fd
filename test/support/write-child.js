'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a plain node script, run by child processes */
// Child process for the kill tests: writes a tree with seaworthy's write path and SIGKILLs
// itself just before file-system call number $KILL_AT (1-based), or runs to the end when unset.
// Prints the number of calls made on a normal exit. Arguments: <outdir> <files.json>.
require('./ts-register');
const fs = require('fs');
const { REAL_FS } = require('../../src/synth/write-fs');
const { writeTree } = require('../../src/synth/write-tree');

const [outdir, filesJson] = process.argv.slice(2);
const killAt = Number(process.env.KILL_AT || 0);
let calls = 0;
const io = {};
for (const [name, fn] of Object.entries(REAL_FS)) {
  io[name] = (...args) => {
    calls++;
    if (calls === killAt) process.kill(process.pid, 'SIGKILL');
    return fn(...args);
  };
}
// KEEP_WARNINGS: warnings reach stderr as they do for users; else they are dropped.
if (!process.env.KEEP_WARNINGS) io.warn = () => undefined;
// PAUSE_MS: sleep inside the swap, so that concurrent children overlap (the lock tests).
const pause = Number(process.env.PAUSE_MS || 0);
if (pause > 0) {
  const { exchange } = io;
  io.exchange = (...args) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
    return exchange(...args);
  };
}
writeTree(new Map(Object.entries(JSON.parse(fs.readFileSync(filesJson, 'utf8')))), outdir, {}, io);
process.stdout.write(String(calls));
