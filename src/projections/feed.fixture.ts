/**
 * Test helpers for projections: a feed that turns domain events into {@link LetheEvent}s with
 * increasing global positions and per-stream revisions, after checking each event against its
 * kind's codec (so hand-built sequences are events the engine could really deliver).
 * Not part of the public API.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import type { LetheEvent } from '../engine/commandHandler.js';
import type { DomainEvent } from '../engine/decider.js';
import { BreachEvent } from '../model/breach/events.js';
import { ConsentEvent } from '../model/consent/events.js';
import { PolicyEvent } from '../model/policy/events.js';
import { ProcessorEvent } from '../model/processor/events.js';
import { RequestEvent } from '../model/request/events.js';
import { RetentionEvent } from '../model/retention/events.js';
import { SubjectEvent } from '../model/subject/events.js';
import { streamName, type LetheStreamKind } from '../model/shared.js';

/** The events codec of each stream kind. */
export const eventCodecs: Readonly<Record<LetheStreamKind, t.Mixed>> = {
  subject: SubjectEvent,
  consent: ConsentEvent,
  retention: RetentionEvent,
  request: RequestEvent,
  breach: BreachEvent,
  processor: ProcessorEvent,
  policy: PolicyEvent,
};

/** Options of one fed event. */
export interface FeedOptions {
  /** Business time; default: the first ISO instant found in the event's data, else 2026-01-01T00:00:00Z. */
  readonly occurredAt?: string;
  readonly eventId?: string;
  readonly recordedAt?: string;
}

/** A feed under construction. */
export interface Feed {
  /** Returns the LetheEvent for `event` on `lethe.<kind>-<id>`; throws (tests only) if the codec refuses it. */
  readonly event: (kind: LetheStreamKind, id: string, event: DomainEvent, options?: FeedOptions) => LetheEvent;
  /** Every event fed so far, in feed order. */
  readonly all: () => readonly LetheEvent[];
}

const firstInstant = (u: unknown): string | undefined => {
  if (typeof u === 'string') return /^\d{4}-\d{2}-\d{2}T/.test(u) ? u : undefined;
  if (typeof u !== 'object' || u === null) return undefined;
  for (const v of Object.values(u)) {
    const found = firstInstant(v);
    if (found !== undefined) return found;
  }
  return undefined;
};

/** Returns a new, empty feed. */
export const feed = (): Feed => {
  const events: LetheEvent[] = [];
  const revisions = new Map<string, bigint>();
  return {
    event: (kind, id, event, options = {}) => {
      const decoded = eventCodecs[kind].decode(event);
      if (E.isLeft(decoded)) throw new Error(`fixture event ${event.type} is not a valid ${kind} event`);
      const name = streamName(kind, id);
      const revision = revisions.get(name) ?? 0n;
      revisions.set(name, revision + 1n);
      const position = BigInt(events.length + 1) * 100n;
      const occurredAt = options.occurredAt ?? firstInstant(event.data) ?? '2026-01-01T00:00:00Z';
      const lethe: LetheEvent = {
        kind,
        streamName: name,
        revision,
        position: { commit: position, prepare: position },
        event: decoded.right as DomainEvent,
        metadata: {
          eventId: options.eventId ?? `evt-${events.length + 1}`,
          occurredAt,
          recordedAt: options.recordedAt ?? occurredAt,
          causationId: null,
          correlationId: `corr-${events.length + 1}`,
          actor: 'test',
          policyVersion: '2026.1',
        },
      };
      events.push(lethe);
      return lethe;
    },
    all: () => events,
  };
};
