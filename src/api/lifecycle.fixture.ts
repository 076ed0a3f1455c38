/**
 * Test helpers of the lifecycle area (not part of the build): a realistic policy (Convertful CF-06
 * and CF-22, Personizely PZ-13, Instaply IN-21/22 child rules) and a "world" that folds the
 * lifecycle projections over hand-built events and runs the lifecycle reactions on each, as the
 * engine would.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { LetheEvent } from '../engine/commandHandler.js';
import type { DomainEvent } from '../engine/decider.js';
import type { ReactionResult } from '../engine/processor.js';
import { ConsentEvent } from '../model/consent/events.js';
import { RetentionEvent } from '../model/retention/events.js';
import { streamName, type LetheStreamKind } from '../model/shared.js';
import { SubjectEvent } from '../model/subject/events.js';
import { decodePolicy, type PolicyDocument } from '../policy/document.js';
import { formatProblems } from '../policy/errors.js';
import { lifecycleReactions } from '../policy/reactions/lifecycle.js';
import { applyConsentEvent, initConsentLedger, type ConsentLedger } from '../projections/consentLedger.js';
import { applyRetentionEvent, initRetentionSchedule, type RetentionSchedule } from '../projections/retentionSchedule.js';
import { applySubjectEvent, initSubjectView, type SubjectView } from '../projections/subjectView.js';

/** Subject ids used by the tests. */
export const SUBJECT = '0b7c5a52-3f7e-4d8e-9a4c-1f2e3d4c5b6a';
/** A second subject. */
export const OTHER_SUBJECT = '5d0f4b8e-2c1a-4e7b-9f3d-8a6c4e2b1d09';
/** Consent grant ids. */
export const GRANT = '9a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
/** A second grant. */
export const GRANT_2 = '1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b';

/** The raw policy document of the lifecycle tests (Dublin calendar, EU 1182/71 counting). */
export const lifecyclePolicyInput = (): Record<string, unknown> => ({
  version: '2026.1',
  effectiveFrom: '2026-01-01T00:00:00Z',
  name: 'Lifecycle test policy (Convertful and Personizely clauses)',
  controller: { name: 'Example SaaS', contact: 'privacy@example.com', dpo: 'dpo@example.com' },
  role: 'both',
  calendar: { zone: 'Europe/Dublin', holidays: ['2026-12-25'], name: 'Ireland 2026' },
  counting: { convention: 'eu-1182-71', rollForward: false },
  categories: [
    {
      id: 'widget-leads',
      retention: {
        period: 'P365D',
        clockStart: 'lastActivity',
        resetBy: ['explicitSubmission'],
        onExpiry: 'erase',
        citation: 'Convertful DPA Annex A (CF-22)',
      },
      systems: ['app-db', 'backups'],
      processors: ['aws'],
      includesBackups: true,
    },
    {
      id: 'account',
      retention: {
        period: 'P90D',
        clockStart: 'subscriptionCancelled',
        onExpiry: 'erase',
        upTo: true,
        gracePeriod: 'P90D',
        citation: 'Personizely GDPR page (PZ-13)',
      },
      systems: ['app-db'],
      processors: ['aws'],
    },
    {
      id: 'newsletter-profile',
      retention: { period: 'P2Y', clockStart: 'collection', onExpiry: 'erase', citation: 'newsletter retention' },
      systems: ['crm'],
    },
    {
      id: 'health-notes',
      sensitive: true,
      explicitConsentRequired: true,
      retention: { period: 'P30D', clockStart: 'consentWithdrawal', onExpiry: 'erase', citation: 'Instaply IN-05' },
      systems: ['app-db'],
    },
    {
      id: 'support-tickets',
      retention: { period: 'P6M', clockStart: 'contractEnd', onExpiry: 'anonymise', citation: 'SP-10' },
      systems: ['helpdesk'],
    },
    {
      id: 'server-logs',
      retention: { period: { parameter: 'logRetention' }, clockStart: 'collection', onExpiry: 'erase', citation: 'IS-01' },
      systems: ['web'],
    },
  ],
  purposes: [
    { id: 'service', lawfulBasis: 'contract', categories: ['account', 'widget-leads', 'support-tickets'] },
    { id: 'newsletter', lawfulBasis: 'consent', categories: ['newsletter-profile', 'widget-leads'] },
    { id: 'wellbeing', lawfulBasis: 'consent', categories: ['health-notes'] },
    { id: 'security', lawfulBasis: 'legitimateInterest', categories: ['server-logs'], citation: 'IS-02' },
  ],
  requests: { rulebooks: ['gdpr'] },
  breaches: { rulebooks: ['gdpr'] },
  consent: { minimumAge: 15, parentalBand: { fromAge: 15, toAge: 18 }, expiry: 'P1Y', citation: 'Instaply IN-21, IN-22' },
  erasure: {
    restrictWhilePending: true,
    completionWithin: 'P30D',
    includeBackups: true,
    citation: 'Convertful DPA 3.6 (CF-06)',
  },
  processors: { subProcessors: [{ id: 'aws', name: 'Amazon Web Services', location: 'EU' }] },
  parameters: {
    logRetention: { description: 'Web-server logs (IS-01 gives no number)', kind: 'period', required: true, value: 'P30D' },
  },
});

/** Returns the decoded test policy, after `change` edits the raw document; throws (tests only) when invalid. */
export const lifecyclePolicy = (change?: (doc: Record<string, any>) => void): PolicyDocument => {
  const doc = lifecyclePolicyInput();
  change?.(doc);
  const decoded = decodePolicy(doc);
  if (E.isLeft(decoded)) throw new Error(formatProblems(decoded.left));
  return decoded.right;
};

const codecs = { subject: SubjectEvent, consent: ConsentEvent, retention: RetentionEvent } as const;

/** The lifecycle views as a world holds them. */
export type WorldViews = {
  readonly subjectView: SubjectView;
  readonly consentLedger: ConsentLedger;
  readonly retentionSchedule: RetentionSchedule;
};

/** A world: the lifecycle projections over fed events, with the reactions' results per event. */
export interface World {
  /** Feeds an event (checked against its codec) and returns what each lifecycle reaction returned for it. */
  readonly feed: (
    kind: 'subject' | 'consent' | 'retention',
    id: string,
    event: DomainEvent,
    occurredAt?: string,
  ) => Readonly<Record<string, ReactionResult>>;
  /** The views now. */
  readonly views: () => WorldViews;
  /** Every event fed so far. */
  readonly events: () => readonly LetheEvent[];
}

/** Returns an empty world under `policy`. */
export const world = (policy: PolicyDocument): World => {
  let views: WorldViews = {
    subjectView: initSubjectView(),
    consentLedger: initConsentLedger(),
    retentionSchedule: initRetentionSchedule(),
  };
  const events: LetheEvent[] = [];
  const revisions = new Map<string, bigint>();
  const reactions = lifecycleReactions(policy);
  return {
    feed: (kind, id, event, occurredAt) => {
      const decoded = codecs[kind].decode(event);
      if (E.isLeft(decoded)) throw new Error(`fixture event ${event.type} is not a valid ${kind} event`);
      const name = streamName(kind as LetheStreamKind, id);
      const revision = revisions.get(name) ?? 0n;
      revisions.set(name, revision + 1n);
      const position = BigInt(events.length + 1);
      const lethe: LetheEvent = {
        kind,
        streamName: name,
        revision,
        position: { commit: position, prepare: position },
        event: decoded.right as DomainEvent,
        metadata: {
          eventId: `00000000-0000-4000-8000-${String(events.length + 1).padStart(12, '0')}`,
          occurredAt: occurredAt ?? '2026-01-01T00:00:00Z',
          recordedAt: occurredAt ?? '2026-01-01T00:00:00Z',
          causationId: null,
          correlationId: 'corr',
          actor: 'test',
          policyVersion: policy.version,
        },
      };
      events.push(lethe);
      views = {
        subjectView: applySubjectEvent(views.subjectView, lethe),
        consentLedger: applyConsentEvent(views.consentLedger, lethe),
        retentionSchedule: applyRetentionEvent(views.retentionSchedule, lethe),
      };
      const out: Record<string, ReactionResult> = {};
      for (const [name, reaction] of Object.entries(reactions)) out[name] = reaction.react(lethe, { views: { ...views } });
      return out;
    },
    views: () => views,
    events: () => events,
  };
};
