import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The built package (CI runs `npm run build` before the tests); LETHE_DIST points elsewhere if needed.
const DIST = process.env['LETHE_DIST'] ?? 'dist';
const ESM_BIN = join(DIST, 'esm', 'cli', 'bin.js');
const CJS_BIN = join(DIST, 'cjs', 'cli', 'bin.js');
const built = existsSync(ESM_BIN) && existsSync(CJS_BIN);
const title = built ? 'the built lethe binary' : `the built lethe binary (SKIPPED: ${ESM_BIN} or ${CJS_BIN} is missing; run npm run build first)`;

const POLICY = 'examples/demo/personizely.policy.json';
const TIMELINE = 'examples/demo/personizely.timeline.json';

const lethe = (bin: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe.skipIf(!built)(title, () => {
  it('both entries start with the node shebang', () => {
    for (const bin of [ESM_BIN, CJS_BIN]) expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('dist/esm: validate the demo policy, exit 0', () => {
    const { code, stdout, stderr } = lethe(ESM_BIN, 'validate', POLICY);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`${POLICY}: valid`);
    expect(stdout).toContain('  gdpr.art33.1.notifyAuthority [gdpr]: Notify the supervisory authority of a personal data breach; within 72 hours; per GDPR Art. 33(1)');
  });

  it('dist/cjs: simulate the demo timeline as JSON, exit 0', () => {
    const { code, stdout, stderr } = lethe(CJS_BIN, 'simulate', '--policy', POLICY, '--timeline', TIMELINE, '--until', '2027-01-12T09:00:00+01:00', '--format', 'json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as { format: string; commands: { type: string; dueAt: string | null }[]; obligations: { ruleId: string; state: string }[] };
    expect(doc.format).toBe('lethe-simulation/1');
    expect(doc.commands.filter((c) => c.type === 'NotifySupervisoryAuthority').map((c) => c.dueAt)).toEqual([
      '2026-09-21T21:00:00.000+02:00',
      '2026-09-21T19:30:00.000+02:00',
    ]);
    expect(doc.obligations.map((o) => `${o.state} ${o.ruleId}`)).toEqual(['due gdpr.art34.1.notifySubjects']);
  });

  it('both: bad input and usage errors exit 2 with nothing on stdout', () => {
    const missing = lethe(CJS_BIN, 'simulate', '--policy', POLICY, '--timeline', 'no/such/timeline.json');
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'lethe simulate: no/such/timeline.json: cannot read the file: no such file\n' });
    const unknown = lethe(ESM_BIN, 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('Usage:');
  });
});
