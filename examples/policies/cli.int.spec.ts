/**
 * The `lethe` command on the five seed policies: `validate` passes for each and lists every problem
 * by path for a deliberately broken copy; `simulate` runs each policy's example timeline; the built
 * binary does the same from a spawned process (when `dist/` exists: CI builds before testing).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

const NAMES = ['influencersoft', 'instaply', 'softpire', 'convertful', 'personizely'] as const;
const policyFile = (name: string) => `examples/policies/${name}.policy.json`;
const timelineFile = (name: string) => `examples/policies/${name}.timeline.json`;

const run = async (argv: readonly string[]) => {
  let stdout = '';
  let stderr = '';
  const code = await main([...argv], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readFile: (path) => readFile(path, 'utf8'),
  });
  return { code, stdout, stderr };
};

const scratch = mkdtempSync(join(tmpdir(), 'lethe-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the policy with two mistakes a privacy person could make. */
const brokenCopy = (name: string): string => {
  const doc = JSON.parse(readFileSync(policyFile(name), 'utf8')) as Record<string, unknown>;
  (doc['calendar'] as Record<string, unknown>)['zone'] = 'Europe/Atlantis';
  const categories = doc['categories'] as Record<string, unknown>[];
  (categories[0]!['retention'] as Record<string, unknown>)['period'] = 'P3X';
  const path = join(scratch, `${name}.broken.json`);
  writeFileSync(path, JSON.stringify(doc));
  return path;
};

describe.each(NAMES)('lethe on the %s policy', (name) => {
  it('validate: valid, exit 0, with the summary', async () => {
    const { code, stdout, stderr } = await run(['validate', policyFile(name)]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`${policyFile(name)}: valid`);
    expect(stdout).toMatch(/Categories \(\d+\):/);
  });

  it('validate: a broken copy lists every problem by path, exit 1', async () => {
    const broken = brokenCopy(name);
    const { code, stdout } = await run(['validate', broken]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${broken}: invalid`);
    expect(stdout).toContain('calendar.zone: "Europe/Atlantis" is not an IANA time zone');
    expect(stdout).toMatch(/categories\[0\]\.retention\.period: "P3X" is not a period/);
  });

  it('simulate: the example timeline runs to the end, exit 0, as stable JSON', async () => {
    const first = await run(['simulate', '--policy', policyFile(name), '--timeline', timelineFile(name), '--format', 'json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const doc = JSON.parse(first.stdout) as { format: string; events: unknown[]; commands: unknown[] };
    expect(doc.format).toBe('lethe-simulation/1');
    expect(doc.events.length).toBeGreaterThan(0);
    expect(doc.commands.length).toBeGreaterThan(0);
    const again = await run(['simulate', '--policy', policyFile(name), '--timeline', timelineFile(name), '--format', 'json']);
    expect(again.stdout).toBe(first.stdout);
  });
});

const BIN = join(process.env['LETHE_DIST'] ?? 'dist', 'cjs', 'cli', 'bin.js');
describe.skipIf(!existsSync(BIN))(existsSync(BIN) ? 'the built binary on the five policies' : `the built binary (SKIPPED: ${BIN} is missing; run npm run build first)`, () => {
  it.each(NAMES)('%s: validate exits 0 and simulate prints the open obligations', (name) => {
    const validate = spawnSync(process.execPath, [BIN, 'validate', policyFile(name)], { encoding: 'utf8', timeout: 60_000 });
    expect(validate.status).toBe(0);
    const simulate = spawnSync(process.execPath, [BIN, 'simulate', '--policy', policyFile(name), '--timeline', timelineFile(name)], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(simulate.stderr).toBe('');
    expect(simulate.status).toBe(0);
    expect(simulate.stdout).toMatch(/Obligations still open at /);
  });
});
