import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeRecorded } from '../engine/commandHandler.js';
import { decodesUnchanged, EventMetadata } from '../engine/metadata.js';
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
});
