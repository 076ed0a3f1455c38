/**
 * Replays decode every stored event with `decodeRecorded`, which returns an input its codec's
 * type guard accepts as it is instead of running the full io-ts decode. Over the logs the five
 * seed policies' timelines write (every area, most event types), the fast path must give exactly
 * what the full decode gives.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { letheStreams } from '../../src/api/streams.js';
import { decodeRecorded } from '../../src/engine/commandHandler.js';
import { kindOfStream } from '../../src/engine/ids.js';
import { decodeWith, EventMetadata } from '../../src/engine/metadata.js';
import type { Position, RecordedEvent } from '../../src/store/index.js';
import { policyOf, start, timelineOf } from './harness.fixture.js';

const kinds = letheStreams as unknown as Record<string, { readonly events: Parameters<typeof decodeRecorded>[1] }>;

const logOf = async (name: string): Promise<RecordedEvent[]> => {
  const steps = timelineOf(name);
  const run = start(policyOf(name), steps[0]?.at ?? '2026-01-01T00:00:00Z');
  await run.run(steps);
  const out: RecordedEvent[] = [];
  let from: Position | 'start' = 'start';
  for (;;) {
    const page = await run.lethe.store.readAll({ fromPosition: from, maxCount: 500 });
    if (E.isLeft(page)) throw new Error(page.left._tag);
    const fresh = from === 'start' ? page.right : page.right.slice(1);
    out.push(...fresh);
    const last = page.right[page.right.length - 1];
    if (fresh.length === 0 || last === undefined) return out;
    from = last.position;
  }
};

describe('the replay decode fast path over the seed policies', () => {
  it('gives, for every stored Lethe event, what the full decode gives', async () => {
    const types = new Set<string>();
    for (const name of ['influencersoft', 'instaply', 'softpire', 'convertful', 'personizely']) {
      for (const recorded of await logOf(name)) {
        const kind = kindOfStream(recorded.streamName);
        const codec = kind === undefined ? undefined : kinds[kind]?.events;
        if (kind === undefined || codec === undefined) continue;
        types.add(recorded.type);
        const fast = decodeRecorded(kind, codec, recorded);
        const full = decodeWith(codec, { type: recorded.type, data: recorded.data });
        const fullMetadata = decodeWith(EventMetadata, recorded.metadata);
        if (E.isLeft(fast) || E.isLeft(full) || E.isLeft(fullMetadata)) throw new Error(`${name}: ${recorded.type} does not decode`);
        expect(fast.right.event).toEqual(full.right);
        expect(fast.right.metadata).toEqual(fullMetadata.right);
      }
    }
    // Not a trivial log: it holds most of the event types of every area.
    expect(types.size).toBeGreaterThan(30);
  });
});
