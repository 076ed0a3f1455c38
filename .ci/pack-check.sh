#!/usr/bin/env bash
# Packs lethe, installs the tarball in a throwaway project and imports every entry point with
# ESM `import` and CJS `require`. Usage: pack-check.sh OUTDIR
set -euo pipefail
out=$1
root=$(pwd)
npm pack --silent --pack-destination "$out" >/dev/null
tarball=$(ls "$out"/lethe-*.tgz)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "$tarball"
cat > esm.mjs <<'JS'
import * as lethe from 'lethe';
import * as testing from 'lethe/testing';
const keys = Object.keys(lethe);
if (typeof lethe.getInMemoryEventStore !== 'function') throw new Error('ESM: getInMemoryEventStore missing');
if (typeof lethe.computeDeadline !== 'function') throw new Error('ESM: computeDeadline missing');
if (Object.keys(testing).length === 0) throw new Error('ESM: lethe/testing is empty');
const store = lethe.getInMemoryEventStore();
const r = await store.appendToStream('lethe.check-1', [{ type: 'Checked', data: { ok: true } }]);
if (r._tag !== 'Right') throw new Error('ESM: append failed');
console.log(`ESM import ok (${keys.length} exports)`);
JS
cat > cjs.cjs <<'JS'
const lethe = require('lethe');
const testing = require('lethe/testing');
if (typeof lethe.getInMemoryEventStore !== 'function') throw new Error('CJS: getInMemoryEventStore missing');
if (typeof lethe.computeDeadline !== 'function') throw new Error('CJS: computeDeadline missing');
if (Object.keys(testing).length === 0) throw new Error('CJS: lethe/testing is empty');
lethe.getInMemoryEventStore().appendToStream('lethe.check-1', [{ type: 'Checked', data: { ok: true } }]).then((r) => {
  if (r._tag !== 'Right') throw new Error('CJS: append failed');
  console.log(`CJS require ok (${Object.keys(lethe).length} exports)`);
});
JS
node esm.mjs
node cjs.cjs
