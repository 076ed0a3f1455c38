#!/usr/bin/env node
/**
 * The executable entry of the `lethe` command line (`bin` of the package): runs {@link main} with
 * the process's arguments, standard streams and file system, and sets the exit code. Written
 * without top-level await or `import.meta`, so it runs from both dist/esm and dist/cjs.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { main } from './main.js';

void main(process.argv.slice(2), {
  stdout: (text) => {
    process.stdout.write(text);
  },
  stderr: (text) => {
    process.stderr.write(text);
  },
  readFile: (path) => readFile(path, 'utf8'),
}).then((code) => {
  process.exitCode = code;
});
