import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { main } from './main.js';

const POLICY = 'examples/demo/personizely.policy.json';
const TIMELINE = 'examples/demo/personizely.timeline.json';
const UNTIL = '2027-01-12T09:00:00+01:00';
const ANA = '7b0c5f7e-1111-4c1e-9a51-000000000001';

/** Runs the CLI with files from `virtual` first, then the repository. */
const run = async (argv: readonly string[], virtual: Readonly<Record<string, string>> = {}) => {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readFile: async (path) => virtual[path] ?? readFile(path, 'utf8'),
  });
  return { code, stdout, stderr };
};

const demoPolicy = async (): Promise<Record<string, any>> => JSON.parse(await readFile(POLICY, 'utf8')) as Record<string, any>;
const ndjson = (...entries: unknown[]): string => entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
const register = (at = '2026-01-12T09:00:00+01:00') => ({
  at,
  call: 'registerSubject',
  input: { subjectId: ANA, jurisdictions: ['EU'], ourRole: { role: 'controller' } },
});

describe('lethe validate', () => {
  it('summarises a valid policy: retention in words, rules in force with citations, assumptions; exit 0', async () => {
    const { code, stdout, stderr } = await run(['validate', POLICY]);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`${POLICY}: valid`);
    expect(lines).toContain(
      '  client-account: up to 90 calendar days after the subscription is cancelled, then erased; a reactivation within 90 calendar days after the subscription is cancelled cancels the erasure; basis: PZ-13: kept up to 90 days after cancellation, then deleted unless reactivated',
    );
    expect(lines).toContain('Request rules in force (2; rulebooks gdpr):');
    expect(lines).toContain(
      '  gdpr.art12.3.respond [gdpr]: Act on a data-subject request (Arts. 15-22); within 1 calendar month; per GDPR Art. 12(3)',
    );
    expect(lines).toContain(
      '  gdpr.art33.1.notifyAuthority [gdpr]: Notify the supervisory authority of a personal data breach; within 72 hours; per GDPR Art. 33(1)',
    );
    expect(lines.some((l) => l.startsWith('  personizely.breach.authorityAndClients [document]: ') && l.endsWith('per Personizely GDPR page (PZ-19)'))).toBe(true);
    expect(lines).toContain('Defaults and assumptions (3):');
    expect(lines).toContain('  calendar.weekend: not set; Saturday and Sunday');
    expect(lines.some((l) => l.startsWith('  calendar.name: Assumption: the seed names no zone'))).toBe(true);
  });

  it('lists every problem by path, one per line, on stdout; exit 1', async () => {
    const policy = await demoPolicy();
    policy['categories'][1].retention.period = 'P3X';
    delete policy['controller'].name;
    policy['purposes'][0].categories.push('nope');
    const { code, stdout, stderr } = await run(['validate', 'bad.json'], { 'bad.json': JSON.stringify(policy) });
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout.split('\n')).toEqual([
      'bad.json: invalid (3 problems)',
      'controller.name: required field is missing',
      'categories[1].retention.period: "P3X" is not a period: unknown unit designator "X"; use Y, M, W, D or BD (years, months, weeks, calendar days, business days) or, after T, H or WH (hours, working hours)',
      'purposes[0].categories[2]: unknown category "nope"',
      '',
    ]);
  });

  it('refuses a file that is not JSON and a missing file with one message and exit 2', async () => {
    const notJson = await run(['validate', 'p.json'], { 'p.json': '{ "version": ' });
    expect(notJson).toEqual({ code: 2, stdout: '', stderr: 'lethe validate: p.json: not JSON (Unexpected end of JSON input)\n' });
    const missing = await run(['validate', 'does/not/exist.json']);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: 'lethe validate: does/not/exist.json: cannot read the file: no such file\n' });
  });
});

describe('lethe simulate', () => {
  it('--format json: the stable lethe-simulation/1 document with exact due instants, explanations and citations', async () => {
    const { code, stdout, stderr } = await run(['simulate', '--policy', POLICY, '--timeline', TIMELINE, '--until', UNTIL, '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(stdout) as Record<string, any>;
    expect(Object.keys(doc)).toEqual(['format', 'policy', 'run', 'events', 'commands', 'obligations']);
    expect(doc['format']).toBe('lethe-simulation/1');
    expect(doc['policy']).toEqual({ name: expect.stringContaining('Personizely'), version: '2022-07-01', effectiveFrom: '2022-07-01T00:00:00Z', zone: 'Europe/Berlin' });
    expect(doc['run']).toEqual({ entries: 18, from: '2026-01-12T09:00:00+01:00', at: '2027-01-12T08:00:00.000Z' });

    const events = doc['events'] as Record<string, unknown>[];
    expect(Object.keys(events[0]!)).toEqual(['position', 'at', 'recordedAt', 'streamName', 'kind', 'revision', 'type', 'eventId', 'subjectId', 'summary']);
    expect(events.map((e) => e['type'])).toEqual([
      'SubjectRegistered', 'ConsentGranted', 'SubscriptionStarted', 'DataCollected', 'DataCollected',
      'RequestReceived', 'IdentityVerified', 'RequestFulfilled',
      'SubscriptionCancelled', 'RetentionClockStarted', 'RetentionClockStarted',
      'SubscriptionReactivated', 'ErasureCancelled', 'ErasureCancelled', 'ConsentGranted',
      'BreachDetected', 'BreachAwarenessEstablished', 'BreachAssessed', 'AuthorityNotified',
    ]);
    expect(events.every((e) => typeof e['revision'] === 'string')).toBe(true);
    expect(events[12]).toMatchObject({ subjectId: ANA, summary: 'Erasure of client-account cancelled (reason reactivatedWithinGrace)' });
    expect(events[15]).toMatchObject({ subjectId: null, kind: 'breach' });

    const commands = (doc['commands'] as Record<string, any>[]).map((c) => ({ type: c['type'], during: c['during'], dueAt: c['dueAt'], citation: c['citation'] }));
    expect(commands).toEqual([
      { type: 'RespondToRequest', during: 'entry [5]', dueAt: '2026-04-02T23:59:59.999+02:00', citation: 'GDPR Art. 12(3)' },
      { type: 'ExportSubjectData', during: 'entry [6]', dueAt: '2026-04-02T23:59:59.999+02:00', citation: 'GDPR Art. 12(3)' },
      { type: 'NotifySupervisoryAuthority', during: 'entry [13]', dueAt: '2026-09-21T21:00:00.000+02:00', citation: 'GDPR Art. 33(1)' },
      { type: 'NotifySupervisoryAuthority', during: 'entry [13]', dueAt: '2026-09-21T19:30:00.000+02:00', citation: 'Personizely GDPR page (PZ-19)' },
      { type: 'NotifyDataSubjects', during: 'entry [14]', dueAt: '2026-09-21T21:00:00.000+02:00', citation: 'GDPR Art. 34(1)' },
      // The Art. 34 communication is never sent, but Art. 34 gives no number: its host target
      // passing makes it due (below), not overdue, so no ObligationOverdue is emitted.
    ]);
    const respond = (doc['commands'] as Record<string, any>[])[0]!;
    expect(respond['emittedAt']).toBe('2026-03-02T08:30:00.000Z');
    expect(respond['subjectId']).toBe(ANA);
    expect(respond['explanation']).toContain('Period: 1 calendar month; the day of the event, 2026-03-02, is not counted (EU Reg. 1182/71 Art. 3(1))');
    expect(respond['deadlines']).toEqual([
      { ruleId: 'gdpr.art12.3.respond', dueAt: '2026-04-02T23:59:59.999+02:00', hostTargetAt: null, citation: 'GDPR Art. 12(3)', explanation: respond['explanation'] },
    ]);

    expect(doc['obligations']).toHaveLength(1);
    expect(doc['obligations'][0]).toMatchObject({
      state: 'due',
      ruleId: 'gdpr.art34.1.notifySubjects',
      kind: 'breach',
      dueAt: '2026-09-21T21:00:00.000+02:00',
      citation: 'GDPR Art. 34(1)',
    });
  });

  it('is deterministic: the same timeline gives byte-identical JSON', async () => {
    const args = ['simulate', '--policy', POLICY, '--timeline', TIMELINE, '--until', UNTIL, '--format', 'json'];
    const [a, b] = await Promise.all([run(args), run(args)]);
    expect(a.stdout).toBe(b.stdout);
  });

  it('reads NDJSON the same way as a JSON array (entries named by line)', async () => {
    const entries = JSON.parse(await readFile(TIMELINE, 'utf8')) as unknown[];
    const json = await run(['simulate', '--policy', POLICY, '--timeline', 't.ndjson', '--format', 'json'], { 't.ndjson': `${ndjson(...entries)}\n` });
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as Record<string, any>;
    expect(doc['run']).toEqual({ entries: 18, from: '2026-01-12T09:00:00+01:00', at: '2026-12-14T08:00:00.000Z' });
    expect(doc['commands'][0]).toMatchObject({ type: 'RespondToRequest', during: 'line 6', dueAt: '2026-04-02T23:59:59.999+02:00' });
  });

  it('text: events, commands with due time, explanation and citation, and the open obligations at --until', async () => {
    const { code, stdout } = await run(['simulate', '--policy', POLICY, '--timeline', TIMELINE, '--until', UNTIL]);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines).toContain('Events (19, oldest first):');
    expect(lines).toContain('  2026-03-03T12:00:00.000+01:00  subject 7b0c5f7e  Identity verified for the access request (method account-login)');
    expect(lines).toContain('Commands emitted (5):');
    expect(lines).toContain('  2026-09-18T21:00:00.000+02:00  NotifySupervisoryAuthority  (during entry [13])');
    expect(lines).toContain('      personizely.breach.authorityAndClients: due 2026-09-21T19:30:00.000+02:00');
    expect(lines).toContain('        per Personizely GDPR page (PZ-19)');
    expect(lines).toContain('Obligations still open at 2027-01-12T09:00:00.000+01:00 (1):');
    expect(lines).toContain('  [due] gdpr.art34.1.notifySubjects (notify) for breach 3c2b1a09: due 2026-09-21T21:00:00.000+02:00');
  });

  describe('bad input: one message naming file, line or entry and path; exit 2; nothing on stdout', () => {
    const cases: readonly (readonly [string, string, string, string])[] = [
      [
        'an unknown call',
        't.ndjson',
        ndjson({ at: '2026-01-12T09:00:00Z', tick: true }, { at: '2026-01-12T09:00:00Z', call: 'registerSubjekt', input: {} }),
        't.ndjson, line 2: call: "registerSubjekt" is not a Lethe call (one of addSubProcessor, approveErasure,',
      ],
      [
        'a missing field (the facade names the path)',
        't.ndjson',
        ndjson({ at: '2026-01-12T09:00:00+01:00', call: 'registerSubject', input: { jurisdictions: ['EU'], ourRole: { role: 'controller' } } }),
        't.ndjson, line 1: input.subjectId: is required (Uuid) (InvalidInput)\n',
      ],
      [
        'a missing field in a JSON array (named by entry index)',
        't.json',
        JSON.stringify([register(), { at: '2026-01-13T09:00:00Z', call: 'collectData', input: { subjectId: ANA, category: 'client-account', system: 'app-db', source: 'signup' } }]),
        't.json, entry [1]: input.submission: is required',
      ],
      [
        'a bad instant',
        't.ndjson',
        ndjson({ at: '2026-01-12T09:00:00', tick: true }),
        't.ndjson, line 1: at: "2026-01-12T09:00:00" is not an instant: no offset: a local date or time is ambiguous; add Z or an offset such as +01:00\n',
      ],
      [
        'entries out of order',
        't.ndjson',
        ndjson(register('2026-01-12T09:00:00Z'), { at: '2026-01-11T09:00:00Z', tick: true }),
        "t.ndjson, line 2: at: 2026-01-11T09:00:00Z is before the previous entry's 2026-01-12T09:00:00Z (entries must be oldest first)\n",
      ],
      ['a line that is not JSON', 't.ndjson', `${ndjson(register())}{"at": oops}\n`, 't.ndjson, line 2: not JSON ('],
      ['a JSON array that is not JSON', 't.json', '[{"at":"2026-01-12T09:00:00Z","tick":true},', 't.json: not JSON (Unexpected end of JSON input)\n'],
      ['an unknown field', 't.ndjson', ndjson({ ...register(), inputs: {} }), 't.ndjson, line 1: inputs: unknown field'],
      ['a call without input', 't.ndjson', ndjson({ at: '2026-01-12T09:00:00Z', call: 'registerSubject' }), 't.ndjson, line 1: input: is required (the input object of registerSubject)\n'],
    ];
    for (const [name, file, text, message] of cases) {
      it(name, async () => {
        const { code, stdout, stderr } = await run(['simulate', '--policy', POLICY, '--timeline', file], { [file]: text });
        expect(stdout).toBe('');
        expect(code).toBe(2);
        expect(stderr.startsWith(`lethe simulate: ${message}`)).toBe(true);
        expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      });
    }

    it('a missing timeline file', async () => {
      const { code, stdout, stderr } = await run(['simulate', '--policy', POLICY, '--timeline', 'missing.ndjson']);
      expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: 'lethe simulate: missing.ndjson: cannot read the file: no such file\n' });
    });

    it('an invalid policy: its problems by path', async () => {
      const policy = await demoPolicy();
      policy['categories'][0].retention.period = 'P3X';
      const { code, stdout, stderr } = await run(['simulate', '--policy', 'p.json', '--timeline', TIMELINE], { 'p.json': JSON.stringify(policy) });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.split('\n').slice(0, 2)).toEqual([
        'lethe simulate: p.json: the policy document is invalid (1 problem; run lethe validate):',
        '  categories[0].retention.period: "P3X" is not a period: unknown unit designator "X"; use Y, M, W, D or BD (years, months, weeks, calendar days, business days) or, after T, H or WH (hours, working hours)',
      ]);
    });

    it('--until before the last entry, or not an instant', async () => {
      const early = await run(['simulate', '--policy', POLICY, '--timeline', TIMELINE, '--until', '2026-02-01T00:00:00Z']);
      expect(early.code).toBe(2);
      expect(early.stdout).toBe('');
      expect(early.stderr).toContain(`lethe simulate: --until is before the last entry of ${TIMELINE} (2026-12-14T09:00:00+01:00, entry [17])`);
      const bad = await run(['simulate', '--policy', POLICY, '--timeline', TIMELINE, '--until', 'next year']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('lethe simulate: --until "next year" is not an instant');
    });
  });
});

describe('usage', () => {
  it('unknown options, commands, formats and missing arguments print the usage on stderr; exit 2', async () => {
    for (const argv of [
      ['simulate', '--polcy', POLICY, '--timeline', TIMELINE],
      ['simulate', '--timeline', TIMELINE],
      ['simulate', '--policy', POLICY, '--timeline', TIMELINE, '--format', 'yaml'],
      ['validate'],
      ['validate', POLICY, 'extra'],
      ['frobnicate'],
      [],
    ]) {
      const { code, stdout, stderr } = await run(argv);
      expect({ argv, code, stdout }).toEqual({ argv, code: 2, stdout: '' });
      expect(stderr).toContain('Usage:\n  lethe validate POLICY\n');
    }
  });

  it('help prints the usage on stdout; exit 0', async () => {
    const { code, stdout, stderr } = await run(['help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toContain('lethe simulate --policy POLICY --timeline TIMELINE [--until INSTANT] [--format text|json]');
  });
});

describe('lethe register', () => {
  it('prints the Art. 30 record as text', async () => {
    const { code, stdout, stderr } = await run(['register', POLICY]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Record of processing activities (GDPR Art. 30)');
    expect(lines).toContain('Purpose: service (Providing the Personizely service; Clients consent before processing, no pre-ticked boxes)');
    expect(lines).toContain('  Lawful basis: consent (GDPR Art. 6(1)(a)); stated in PZ-05, PZ-06 (cancelling the subscription withdraws consent)');
    expect(lines).toContain('    - hetzner (Hetzner Online GmbH): location DE; transfer mechanism: not stated');
  });

  it('--format json, and --timeline adds the sub-processors the timeline registers', async () => {
    const plain = await run(['register', POLICY, '--format', 'json']);
    expect(plain.code).toBe(0);
    const doc = JSON.parse(plain.stdout) as Record<string, any>;
    expect(doc['format']).toBe('lethe-records-of-processing/1');
    expect(doc['purposes'].map((p: { id: string }) => p.id)).toEqual(['service']);
    expect(doc['processors'].map((p: { id: string }) => p.id)).toEqual(['hetzner']);

    const timeline = ndjson({
      at: '2026-02-01T09:00:00+01:00',
      call: 'addSubProcessor',
      input: {
        registerId: 'aa6b1c1e-0000-4c1e-9a51-000000000001',
        subProcessorId: 'mailjet',
        name: 'Mailjet SAS',
        location: 'FR',
        purposes: ['service'],
        dataCategories: ['client-account'],
      },
    });
    const withTimeline = await run(['register', POLICY, '--timeline', 'sp.ndjson', '--format', 'json'], { 'sp.ndjson': timeline });
    expect(withTimeline.stderr).toBe('');
    expect(withTimeline.code).toBe(0);
    const after = JSON.parse(withTimeline.stdout) as Record<string, any>;
    expect(after['processors'].map((p: { id: string }) => p.id)).toEqual(['hetzner', 'mailjet']);
  });

  it('a bad timeline is bad input for register too', async () => {
    const { code, stdout, stderr } = await run(['register', POLICY, '--timeline', 't.ndjson'], { 't.ndjson': ndjson({ at: 'soon', tick: true }) });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain('lethe register: t.ndjson, line 1: at: "soon" is not an instant');
  });
});
