import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { decodeRecorded } from '../engine/commandHandler.js';
import { decodesUnchanged, EventMetadata } from '../engine/metadata.js';
import type { JsonValue, RecordedEvent } from '../store/index.js';
import { letheStreams } from './streams.js';

const kinds = letheStreams as unknown as Record<string, { readonly events: Parameters<typeof decodeRecorded>[1] }>;

describe('replays decode Lethe events on the fast path', () => {
  it('every stream kind and the metadata codec return their input unchanged', () => {
    for (const [kind, { events }] of Object.entries(kinds)) expect([kind, decodesUnchanged(events)]).toEqual([kind, true]);
    expect(decodesUnchanged(EventMetadata)).toBe(true);
  });

  it('still names the path of a stored event that is not what its codec says', () => {
    const broken = {
      streamName: 'lethe.subject-7b0c5f7e-1111-4c1e-9a51-000000000001',
      id: '00000000-0000-4000-8000-000000000001',
      type: 'SubjectRegistered',
      revision: 0n,
      position: { commit: 1n, prepare: 1n },
      data: { subjectId: 'not-a-uuid', jurisdictions: ['EU'] },
      metadata: {},
      recordedAt: 0,
      isSystem: false,
    };
    const decoded = decodeRecorded('subject', kinds['subject']!.events, broken);
    expect(E.isLeft(decoded) && decoded.left).toMatchObject({ _tag: 'InvalidEvent', part: 'event', direction: 'read' });
    expect(E.isLeft(decoded) && decoded.left.paths).toContain('data.subjectId');
  });

  it('validates a deeply frozen record once; an unfrozen one, or one that failed, every time', () => {
    const codec = kinds['subject']!.events;
    const metadata = {
      eventId: '00000000-0000-4000-8000-000000000002',
      occurredAt: '2026-03-01T09:00:00Z',
      recordedAt: '2026-03-01T09:00:00Z',
      causationId: null,
      correlationId: 'c',
      actor: 'host',
      policyVersion: null,
    };
    const record = (data: Record<string, unknown>): RecordedEvent => ({
      streamName: 'lethe.subject-7b0c5f7e-1111-4c1e-9a51-000000000001',
      id: '00000000-0000-4000-8000-000000000002',
      type: 'SubjectRegistered',
      revision: 0n,
      position: { commit: 1n, prepare: 1n },
      data: data as JsonValue,
      metadata,
      recordedAt: 0,
      isSystem: false,
    });
    const data = {
      subjectId: '7b0c5f7e-1111-4c1e-9a51-000000000001',
      jurisdictions: ['EU'],
      ourRole: { role: 'controller' },
      registeredAt: '2026-03-01T09:00:00Z',
    };
    const first = decodeRecorded('subject', codec, record(data));
    expect(E.isRight(first)).toBe(true);
    // Not frozen: checked again each time, so a change is seen.
    const open = record({ ...data });
    expect(E.isRight(decodeRecorded('subject', codec, open))).toBe(true);
    (open.data as Record<string, unknown>)['subjectId'] = 'no longer a uuid';
    expect(E.isLeft(decodeRecorded('subject', codec, open))).toBe(true);
    // Frozen (as every store hands events out): the second decode gives the same event.
    const frozen = Object.freeze(record(Object.freeze({ ...data, jurisdictions: Object.freeze(['EU']), ourRole: Object.freeze({ role: 'controller' }) })));
    Object.freeze(metadata);
    const once = decodeRecorded('subject', codec, frozen);
    const twice = decodeRecorded('subject', codec, frozen);
    expect(E.isRight(once) && E.isRight(twice)).toBe(true);
    if (E.isRight(once) && E.isRight(twice)) {
      expect(twice.right).toEqual(once.right);
      expect(twice.right.event.data).toBe(frozen.data);
    }
    // Counted: the second decode of a frozen record asks the codec nothing.
    let checks = 0;
    const counting = new t.Type<unknown, unknown, unknown>('Counting', (u): u is unknown => (checks++, codec.is(u)), codec.validate, t.identity);
    const again = Object.freeze(record(frozen.data as Record<string, unknown>));
    expect(E.isRight(decodeRecorded('subject', counting as typeof codec, again))).toBe(true);
    expect(E.isRight(decodeRecorded('subject', counting as typeof codec, again))).toBe(true);
    expect(checks).toBe(1);
    // A frozen record that failed is not remembered as valid.
    const bad = Object.freeze(record(Object.freeze({ ...data, subjectId: 'x' })));
    expect(E.isLeft(decodeRecorded('subject', codec, bad))).toBe(true);
    expect(E.isLeft(decodeRecorded('subject', codec, bad))).toBe(true);
  });
});
