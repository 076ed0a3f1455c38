/**
 * Erasure in EventStoreDB terms: once a subject is fully erased, and the policy's
 * `erasure.streams.mode` is not `keep`, the subject's own streams are soft-deleted, tombstoned or
 * given a `$maxAge` (see `StreamErasurePolicy` in the policy document for the trade-off).
 *
 * The trigger is the one event the lifecycle area records for "this subject's data is gone":
 * `SubjectErased` with scope `'all'` on the subject stream. The lifecycle emits it after the
 * last category's erasure completed (right after that clock's `CloseRetentionClock`, in the same
 * batch, so the clock is closed before the purge is emitted) or at once for a child below the
 * minimum age with nothing collected; a legal hold keeps it from being emitted at all.
 *
 * Which streams: the subject stream (`lethe.subject-<id>`), its consent grants
 * (`lethe.consent-<grantId>`, from the consent ledger) and its retention clocks
 * (`lethe.retention-<clockId>`, from the retention schedule), as the views stand right after the
 * event. Never requests or breaches: their records are owed to authorities. The list is computed
 * here once and recorded in the command, so a replay emits the same command with the same id.
 *
 * The reaction also cancels the grants' expiry timers and the clocks' timers: a timer firing on a
 * deleted stream would only produce a command that cannot succeed.
 *
 * Projections: a soft delete leaves the events in `$all` (only stream reads hide them), so views
 * rebuilt from `$all` are unchanged; a tombstone leaves the events in `$all` too until a
 * scavenge. After a scavenge only each stream's last event survives in `$all`, so a rebuild then
 * sees less of the erased subject (the record lives on in what the host archived).
 *
 * @module
 */
import * as t from 'io-ts';
import type { LetheEvent } from '../../engine/commandHandler.js';
import type { Reaction, ReactionResult } from '../../engine/processor.js';
import { streamName } from '../../model/shared.js';
import { grantsOf } from '../../projections/consentLedger.js';
import { clocksOf } from '../../projections/retentionSchedule.js';
import { entityIdOf } from '../../projections/subjectView.js';
import type { PolicyDocument } from '../document.js';
import { maxAgeSeconds } from '../document.js';
import { consentTimerKey, erasureTimerKey, lifecycleViewsOf, retentionTimerKey } from './lifecycle.js';

/** The type of the internal command that deletes a fully erased subject's own streams. */
export const PURGE_SUBJECT_STREAMS = 'PurgeSubjectStreams';

/** The name of the stream-erasure reaction (it keys its checkpoint and the derived command ids). */
export const STREAM_ERASURE_REACTION = 'streamErasure.subject';

/** What is done to each stream: `softDelete` (`$tb`), `tombstone` (hard delete) or `maxAge` (`$maxAge`). */
export const StreamPurgeMode = t.union([t.literal('softDelete'), t.literal('tombstone')], 'StreamPurgeMode');
/** See {@link StreamPurgeMode}. */
export type StreamPurgeMode = t.TypeOf<typeof StreamPurgeMode>;

/**
 * `PurgeSubjectStreams`: delete (`softDelete`) or tombstone the listed streams of a fully erased
 * subject; with `maxAgeSeconds` (only under `softDelete`) set `$maxAge` on each instead of
 * deleting it. Handled by Lethe itself, never by the host.
 */
export const PurgeSubjectStreams = t.intersection(
  [
    t.type({ subjectId: t.string, streams: t.readonlyArray(t.string), mode: StreamPurgeMode }),
    t.partial({ maxAgeSeconds: t.number }),
  ],
  'PurgeSubjectStreams',
);
/** See {@link PurgeSubjectStreams}. */
export type PurgeSubjectStreams = t.TypeOf<typeof PurgeSubjectStreams>;

/** The stream kinds a purge may touch: the subject's own. Requests and breaches are owed to authorities. */
export const PURGEABLE_STREAM_KINDS = ['subject', 'consent', 'retention'] as const;

/**
 * Returns the names of a subject's own streams as the views have them: the subject stream, then
 * its consent grants (in grant order), then its retention clocks (in start order).
 */
export const subjectStreamsOf = (views: Readonly<Record<string, unknown>>, subjectId: string): readonly string[] => {
  const { consents, schedule } = lifecycleViewsOf(views);
  return [
    streamName('subject', subjectId),
    ...grantsOf(consents, subjectId).map((g) => streamName('consent', g.grantId)),
    ...clocksOf(schedule, subjectId).map((c) => streamName('retention', c.clockId)),
  ];
};

/**
 * Returns what one event leads to under the policy's `erasure.streams`: for `SubjectErased` with
 * scope `'all'` and a mode other than `keep`, one `PurgeSubjectStreams` command and the
 * cancellation of the subject's grant and clock timers; for anything else, nothing.
 */
export const reactToSubjectErasure = (
  policy: PolicyDocument,
  event: LetheEvent,
  views: Readonly<Record<string, unknown>>,
): ReactionResult => {
  const streams = policy.erasure.streams;
  if (streams === undefined || streams.mode === 'keep') return {};
  if (event.kind !== 'subject' || event.event.type !== 'SubjectErased') return {};
  const data = event.event.data as { readonly scope?: unknown } | undefined;
  if (data?.scope !== 'all') return {};
  const subjectId = entityIdOf(event.streamName, 'subject');
  if (subjectId === undefined) return {};
  const { consents, schedule } = lifecycleViewsOf(views);
  const seconds = streams.mode === 'softDelete' && streams.maxAge !== undefined ? maxAgeSeconds(streams.maxAge) : undefined;
  const command: PurgeSubjectStreams = {
    subjectId,
    streams: subjectStreamsOf(views, subjectId),
    mode: streams.mode,
    ...(seconds !== undefined ? { maxAgeSeconds: seconds } : {}),
  };
  return {
    commands: [{ type: PURGE_SUBJECT_STREAMS, data: { ...command, streams: [...command.streams] } }],
    cancelTimers: [
      ...grantsOf(consents, subjectId).map((g) => consentTimerKey(g.grantId)),
      ...clocksOf(schedule, subjectId).flatMap((c) => [retentionTimerKey(c.clockId), erasureTimerKey(c.clockId)]),
    ],
  };
};

/** Returns the stream-erasure reaction for a policy, by name (it reads the lifecycle views: subjects, consents, schedule). */
export const streamErasureReactions = (
  policy: PolicyDocument,
): Readonly<Record<string, Reaction<LetheEvent, Readonly<Record<string, unknown>>>>> => ({
  [STREAM_ERASURE_REACTION]: { react: (event, { views }) => reactToSubjectErasure(policy, event, views) },
});
