/**
 * The five seed policies as documents: each is valid under `decodePolicy`; no obligation of
 * `seed-obligations.md` is silently left out (each id is in a rule's citation or in
 * `notModelled`); parameters the seed gives no number for fail validation without a value; and
 * each example timeline runs through the facade without a failed call.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodePolicy } from '../../src/index.js';
import { policyOf, start, timelineOf } from './harness.fixture.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Seed file prefix, obligation id prefix, and the count seed-obligations.md states for it. */
const SEEDS = [
  { name: 'influencersoft', seed: '000', prefix: 'IS', count: 30 },
  { name: 'instaply', seed: '001', prefix: 'IN', count: 24 },
  { name: 'softpire', seed: '002', prefix: 'SP', count: 23 },
  { name: 'convertful', seed: '003', prefix: 'CF', count: 23 },
  { name: 'personizely', seed: '004', prefix: 'PZ', count: 32 },
] as const;

/** Where the reference lives beside the repository (the shared folder); override with LETHE_SEED_OBLIGATIONS. */
const OBLIGATIONS_MD = process.env['LETHE_SEED_OBLIGATIONS'] ?? join(here, '..', '..', '..', 'shared', 'reference', 'seed-obligations.md');

/** Every obligation id defined in seed-obligations.md (a bold `**XX-nn ` heading), by prefix. */
const idsInReference = (text: string): Map<string, string[]> => {
  const byPrefix = new Map<string, string[]>();
  for (const m of text.matchAll(/^\*\*([A-Z]{2})-(\d{2}) /gm)) {
    const [, prefix, n] = m as unknown as [string, string, string];
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), `${prefix}-${n}`]);
  }
  return byPrefix;
};

const range = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);

/** The ids a document accounts for: in any rule or category citation/notes (expressed) or in notModelled. */
const accountedFor = (doc: Record<string, unknown>, prefix: string): Set<string> =>
  new Set(JSON.stringify(doc).match(new RegExp(`\\b${prefix}-\\d{2}\\b`, 'g')) ?? []);

describe('the five seed policies', () => {
  for (const s of SEEDS) {
    it(`${s.name} (seed ${s.seed}) is a valid policy document`, () => {
      const decoded = decodePolicy(policyOf(s.name));
      expect(E.isRight(decoded) ? [] : decoded.left.problems).toEqual([]);
    });

    it(`${s.name}: every obligation ${s.prefix}-01..${s.prefix}-${s.count} is expressed or listed in notModelled with a reason`, () => {
      const doc = policyOf(s.name);
      const seen = accountedFor(doc, s.prefix);
      expect(range(s.prefix, s.count).filter((id) => !seen.has(id))).toEqual([]);
      // No id that the reference does not define (a typo would hide an omission).
      expect([...seen].filter((id) => !range(s.prefix, s.count).includes(id))).toEqual([]);
      const notModelled = (doc['notModelled'] ?? []) as { obligation: string; reason: string }[];
      for (const n of notModelled) expect(n.reason.length).toBeGreaterThan(10);
    });
  }

  it.skipIf(!existsSync(OBLIGATIONS_MD))('seed-obligations.md defines exactly the ids the documents are checked against', () => {
    const byPrefix = idsInReference(readFileSync(OBLIGATIONS_MD, 'utf8'));
    for (const s of SEEDS) expect(byPrefix.get(s.prefix)).toEqual(range(s.prefix, s.count));
    // And each document accounts for each id of the reference.
    for (const s of SEEDS) {
      const seen = accountedFor(policyOf(s.name), s.prefix);
      expect((byPrefix.get(s.prefix) ?? []).filter((id) => !seen.has(id))).toEqual([]);
    }
  });

  it('a document that drops an obligation fails the coverage check', () => {
    const doc = policyOf('convertful');
    const notModelled = (doc['notModelled'] as { obligation: string }[]).filter((n) => n.obligation !== 'CF-19');
    const seen = accountedFor({ ...doc, notModelled }, 'CF');
    expect(range('CF', 23).filter((id) => !seen.has(id))).toEqual(['CF-19']);
  });

  it('InfluencerSoft IS-01: the log retention the seed leaves open is a required parameter; without a value the document is refused at its path', () => {
    const doc = policyOf('influencersoft');
    const parameters = doc['parameters'] as Record<string, Record<string, unknown>>;
    const { value: _dropped, ...withoutValue } = parameters['serverLogRetention']!;
    const decoded = decodePolicy({ ...doc, parameters: { ...parameters, serverLogRetention: withoutValue } });
    expect(E.isLeft(decoded) && decoded.left.problems).toEqual([{ path: 'parameters.serverLogRetention.value', message: 'required parameter has no value' }]);
    // A value that is not a period is refused too.
    const bad = decodePolicy({ ...doc, parameters: { ...parameters, serverLogRetention: { ...withoutValue, value: 'two weeks' } } });
    expect(E.isLeft(bad) && bad.left.problems.map((p) => p.path)).toEqual(['parameters.serverLogRetention.value']);
  });

  it('Instaply IN-15: the 72 working hours need the calendar\'s opening hours; the shipped assumption is Monday to Friday 09:00-18:00 Paris', () => {
    const doc = policyOf('instaply');
    const decoded = decodePolicy(doc);
    expect(E.isRight(decoded) && decoded.right.calendar).toMatchObject({ zone: 'Europe/Paris', openingHours: { '1': [{ from: '09:00', to: '18:00' }] } });
    const rule = E.isRight(decoded) ? decoded.right.requests.rules?.find((r) => r.id === 'instaply.request.answerController') : undefined;
    expect(rule?.period).toEqual({ unit: 'workingHours', amount: 72 });
  });

  for (const s of SEEDS) {
    it(`${s.name}.timeline.json runs in time order through the facade without a failed call`, async () => {
      const steps = timelineOf(s.name);
      expect(steps.length).toBeGreaterThan(5);
      const instants = steps.map((step) => Date.parse(step.at));
      expect(instants.every((t, i) => Number.isFinite(t) && (i === 0 || t >= instants[i - 1]!))).toBe(true);
      for (const step of steps) expect(step.at).toMatch(/(Z|[+-]\d{2}:\d{2})$/);
      const r = start(policyOf(s.name), steps[0]!.at);
      const emitted = await r.run(steps);
      expect(emitted.length).toBeGreaterThan(0);
      const failed = await r.lethe.failedCommands();
      expect(E.isRight(failed) && failed.right).toEqual([]);
    });
  }
});
