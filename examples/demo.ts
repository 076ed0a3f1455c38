/**
 * The Lethe demo: Personizely's privacy policy and DPA (seed 004) as a policy document, run on the
 * embedded in-memory store with a simulated clock. Three clients sign up and consent; one
 * withdraws and is erased after the CEO and the DPO approve; one asks for a copy of her data; one
 * cancels and is erased after the 90-day grace period; a breach is found on a Friday evening.
 * The host's handlers really delete rows from a little user table and write notification records.
 *
 * Run: npm run demo
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { createLethe, hostCommandTypes, simulatedClock } from '../src/index.js';
import type { CommandHandler, Lethe, OutboxCommand } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const policy: unknown = JSON.parse(readFileSync(join(here, 'demo', 'personizely.policy.json'), 'utf8'));
const ZONE = 'Europe/Berlin';

// ----- the host: a user table, a notification log, and a handler per command Lethe emits -----

const users = new Map<string, { name: string; plan: string; contacts: string[] }>([
  ['7b0c5f7e-1111-4c1e-9a51-000000000001', { name: 'Ana', plan: 'pro', contacts: ['lead-1', 'lead-2'] }],
  ['7b0c5f7e-2222-4c1e-9a51-000000000002', { name: 'Ben', plan: 'basic', contacts: [] }],
  ['7b0c5f7e-3333-4c1e-9a51-000000000003', { name: 'Chloé', plan: 'pro', contacts: ['lead-3'] }],
]);
const [ANA, BEN, CHLOE] = [...users.keys()] as [string, string, string];
const names = new Map([...users].map(([id, row]) => [id, row.name]));
const nameOf = (id: string): string => names.get(id) ?? id.slice(0, 8);
const notifications: string[] = [];
const received: OutboxCommand[] = [];

const data = (command: OutboxCommand): Record<string, unknown> => command.data as Record<string, unknown>;

const handlers: Record<string, CommandHandler> = Object.fromEntries(
  hostCommandTypes.map((type): [string, CommandHandler] => [
    type,
    (command) => {
      received.push(command);
      const d = data(command);
      if (type === 'EraseSubjectData' && typeof d['subjectId'] === 'string') {
        const row = users.get(d['subjectId']);
        if (row !== undefined && Array.isArray(d['categories'])) {
          if (d['categories'].includes('widget-contacts')) row.contacts = [];
          if (d['categories'].includes('client-account')) users.delete(d['subjectId']);
        }
      }
      if (type.startsWith('Notify') || type === 'ObligationOverdue') {
        const rules = Array.isArray(d['obligations']) ? (d['obligations'] as { ruleId: string }[]).map((o) => o.ruleId) : [String(d['ruleId'])];
        notifications.push(`${type}: ${rules.join(', ')}`);
      }
      return E.right(undefined);
    },
  ]),
);

// ----- printing -----

const local = (iso: unknown): string =>
  typeof iso === 'string'
    ? new Date(iso).toLocaleString('en-GB', { timeZone: ZONE, weekday: 'short', year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    : '';
const line = (s = ''): void => console.log(s);
const heading = (s: string): void => line(`\n=== ${s} ${'='.repeat(Math.max(0, 90 - s.length))}`);

const describeCommand = (command: OutboxCommand): string => {
  const d = data(command);
  const deadline = (d['deadline'] ?? d['completionDeadline'] ?? d['respond']) as Record<string, unknown> | undefined;
  const dueAt = d['dueAt'] ?? deadline?.['dueAt'];
  const citation = d['citation'] ?? deadline?.['citation'];
  const who = typeof d['subjectId'] === 'string' ? ` for ${nameOf(d['subjectId'])}` : '';
  const what =
    command.type === 'EraseSubjectData' || command.type === 'RequestErasureApproval'
      ? ` [${String((d['categories'] as string[] | undefined)?.join(', ') ?? d['category'] ?? '')}]`
      : command.type === 'StopProcessing'
        ? ` [purposes ${String((d['purposes'] as string[] | undefined)?.join(', '))}]`
        : '';
  const duties = Array.isArray(d['obligations'])
    ? (d['obligations'] as Record<string, unknown>[]).map((o) => `\n      ${String(o['ruleId'])}: due ${local(o['dueAt'])} per ${String(o['citation'])}`).join('')
    : '';
  return `${command.type}${who}${what}${dueAt !== undefined ? `\n      due ${local(dueAt)} (${String(dueAt)})` : ''}${citation !== undefined ? `\n      per ${String(citation)}` : ''}${duties}`;
};

let shown = 0;
const printNewCommands = (): void => {
  for (const command of received.slice(shown)) line(`  -> ${describeCommand(command)}`);
  shown = received.length;
};

// ----- the story -----

const clock = simulatedClock(Date.parse('2026-11-02T08:00:00Z'));
const created = createLethe({ policy, clock, handlers, actor: 'demo' });
if (E.isLeft(created)) {
  console.error('the demo policy does not load:', JSON.stringify(created.left, null, 2));
  process.exit(1);
}
const lethe: Lethe = created.right;

const step = async (at: string, what: string, run: (l: Lethe) => Promise<E.Either<unknown, unknown>>): Promise<void> => {
  clock.set(Date.parse(at));
  line(`\n${local(at)}  ${what}`);
  const result = await run(lethe);
  if (E.isLeft(result)) {
    console.error(`  failed: ${JSON.stringify(result.left, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
    process.exit(1);
  }
  printNewCommands();
};
const tick = async (at: string): Promise<void> => {
  clock.set(Date.parse(at));
  const fired = await lethe.tick(Date.parse(at));
  if (E.isLeft(fired)) throw new Error(`tick failed: ${fired.left._tag}`);
  line(`\n${local(at)}  time passes: ${fired.right.fired.length} timer(s) due`);
  printNewCommands();
};

const GRANT = { [ANA]: '9f1e2d3c-0000-4a5b-8c7d-00000000000a', [BEN]: '9f1e2d3c-0000-4a5b-8c7d-00000000000b', [CHLOE]: '9f1e2d3c-0000-4a5b-8c7d-00000000000c' };
const REQUEST = '5e4d3c2b-0000-4a1b-9c8d-0000000000a1';
const BREACH = '3c2b1a09-0000-4f1e-8d7c-0000000000b1';

const main = async (): Promise<void> => {
  heading('Lethe demo: Personizely (seed 004), deadlines in Europe/Berlin');
  line(`policy ${lethe.policy.version}: ${lethe.policy.categories.length} categories, rulebooks ${lethe.policy.requests.rulebooks.join(', ')}`);

  for (const id of [ANA, BEN, CHLOE]) {
    await step('2026-11-02T09:00:00+01:00', `${nameOf(id)} signs up and consents (PZ-05: no pre-ticked boxes)`, async (l) => {
      const r1 = await l.registerSubject({ subjectId: id, jurisdictions: ['EU'], ourRole: { role: 'controller' } });
      if (E.isLeft(r1)) return r1;
      const r2 = await l.grantConsent({ grantId: GRANT[id], subjectId: id, purpose: 'service', method: 'checkbox', preTicked: false, evidence: { ip: '203.0.113.7' } });
      if (E.isLeft(r2)) return r2;
      const r3 = await l.startSubscription({ subjectId: id, contractId: `sub-${nameOf(id).toLowerCase()}` });
      if (E.isLeft(r3)) return r3;
      return l.collectData({ subjectId: id, category: 'client-account', system: 'app-db', source: 'signup', submission: 'explicit' });
    });
  }
  await step('2026-11-03T10:15:00+01:00', 'Ana\'s widgets collect contacts (IP kept as consent evidence, PZ-03)', (l) =>
    l.collectData({ subjectId: ANA, category: 'widget-contacts', system: 'app-db', source: 'widget', submission: 'explicit', evidence: { ip: '198.51.100.23' } }),
  );
  line(`  canProcess(Ben, service) = ${JSON.stringify(lethe.canProcess(BEN, 'service'))}`);

  await step('2026-11-05T16:40:00+01:00', 'Ben withdraws his consent by e-mail (GDPR Art. 7(3): always accepted)', (l) =>
    l.withdrawConsent({ grantId: GRANT[BEN], channel: 'email' }),
  );
  line(`  canProcess(Ben, service) = ${JSON.stringify(lethe.canProcess(BEN, 'service'))}`);
  for (const role of ['CEO', 'DPO']) {
    await step('2026-11-06T11:00:00+01:00', `${role} authorises the destruction of Ben's data (PZ-17)`, (l) =>
      l.approveErasure({ subjectId: BEN, category: 'client-account', role, approvedBy: `${role.toLowerCase()}-on-duty` }),
    );
  }
  for (const target of [{ system: 'app-db' }, { system: 'hetzner-backups' }, { processor: 'hetzner' }]) {
    await step('2026-11-06T15:00:00+01:00', `erasure confirmed on ${JSON.stringify(target)}`, (l) =>
      l.confirmErasure({ subjectId: BEN, category: 'client-account', target }),
    );
  }

  await step('2026-11-09T09:30:00+01:00', 'Ana asks for a copy of her data (GDPR Art. 15; PZ-08)', (l) =>
    l.receiveRequest({ requestId: REQUEST, subjectId: ANA, requestType: 'access', jurisdiction: 'EU', channel: 'email', receivedAt: '2026-11-09T09:30:00+01:00', role: 'controller' }),
  );
  await step('2026-11-10T12:00:00+01:00', 'her identity is verified', (l) =>
    l.verifyIdentity({ requestId: REQUEST, at: '2026-11-10T12:00:00+01:00', method: 'account-login' }),
  );

  await step('2026-11-13T18:00:00+01:00', 'Chloé cancels her subscription (kept up to 90 days, PZ-13)', (l) =>
    l.cancelSubscription({ subjectId: CHLOE, contractId: 'sub-chloé' }),
  );

  await step('2026-11-20T19:30:00+01:00', 'Friday evening: a breach of the app database is detected', (l) =>
    l.reportBreach({ breachId: BREACH, detectedAt: '2026-11-20T19:30:00+01:00', summary: 'exposed database snapshot' }),
  );
  await step('2026-11-20T21:00:00+01:00', 'awareness established (EDPB Guidelines 9/2022: reasonable certainty)', (l) =>
    l.establishAwareness({ breachId: BREACH, awareAt: '2026-11-20T21:00:00+01:00', role: 'controller' }),
  );
  await step('2026-11-21T10:00:00+01:00', 'assessed: high risk, contact data of 2 clients', (l) =>
    l.assessBreach({
      breachId: BREACH,
      assessedAt: '2026-11-21T10:00:00+01:00',
      risk: 'high',
      dataCategories: ['client-account'],
      dataSubjectCategories: ['clients'],
      approxSubjects: 2,
      approxRecords: 2,
      dataUnintelligible: false,
      nature: 'actual',
      cause: 'internal',
      likelyConsequences: 'phishing',
      measures: 'snapshot removed, keys rotated',
      role: 'controller',
    }),
  );
  await tick('2026-11-23T09:00:00+01:00');
  await step('2026-11-23T10:00:00+01:00', 'the supervisory authority is notified (Art. 33(3) content)', (l) =>
    l.recordAuthorityNotification({
      breachId: BREACH,
      authorityId: 'bfdi',
      satisfies: ['gdpr.art33.1.notifyAuthority', 'personizely.breach.authorityAndClients'],
      at: '2026-11-23T10:00:00+01:00',
      content: {
        nature: 'exposed database snapshot',
        dataSubjectCategories: ['clients'],
        approxSubjects: 2,
        dataCategories: ['client-account'],
        approxRecords: 2,
        contactPoint: 'dpo',
        likelyConsequences: 'phishing',
        measures: 'snapshot removed, keys rotated',
      },
    }),
  );
  await tick('2026-11-25T09:00:00+01:00');
  await step('2026-11-30T09:00:00+01:00', 'Ana\'s copy is sent', (l) =>
    l.fulfilRequest({ requestId: REQUEST, at: '2026-11-30T09:00:00+01:00', deliveryChannel: 'email' }),
  );
  await tick('2027-02-12T09:00:00+01:00');
  for (const role of ['CEO', 'DPO'])
    await step('2027-02-12T10:00:00+01:00', `${role} authorises the destruction of Chloé's account`, (l) =>
      l.approveErasure({ subjectId: CHLOE, category: 'client-account', role, approvedBy: `${role.toLowerCase()}-on-duty` }),
    );

  heading('Ana\'s timeline (the accountability record; no personal data in it)');
  for (const entry of lethe.timeline(ANA)) line(`  ${local(entry.at)}  ${entry.summary}`);

  heading('Obligations still open on ' + local('2027-02-12T10:00:00+01:00'));
  const open = lethe.obligations({ state: ['pending', 'due', 'overdue', 'suspended'] });
  for (const o of open) {
    const when = o.hostTargetOnly === true ? `host target ${local(o.dueAt)} (the law gives no number)` : `due ${local(o.dueAt)}`;
    line(`  [${o.state}] ${o.rule.ruleId} for ${o.entity.kind} ${o.entity.id.slice(0, 8)}: ${when}\n      per ${o.rule.citation}`);
  }
  if (open.length === 0) line('  none');

  heading('The host afterwards');
  line(`  user rows left: ${[...users.values()].map((u) => `${u.name} (${u.contacts.length} contacts)`).join(', ')}`);
  line(`  notifications written: ${notifications.length}`);
  for (const n of notifications) line(`    ${n}`);
  const failed = await lethe.failedCommands();
  line(`  commands that failed every attempt: ${E.isRight(failed) ? failed.right.length : 'unknown'}`);
  if (E.isLeft(failed) || failed.right.length > 0) process.exit(1);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
