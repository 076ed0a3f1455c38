/**
 * Codecs and ids shared by every stream kind: uuids, ISO instants, stream names and the derived
 * (uuid v5) ids that make replays deterministic.
 *
 * @module
 */
import * as t from 'io-ts';
import { v5 as uuidv5 } from 'uuid';
import { isIsoDateTimeText } from '../time/isoText.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCAL_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A uuid string (any version). */
export interface UuidBrand {
  readonly Uuid: unique symbol;
}
/** A uuid: ids of subjects, grants, clocks, requests and breaches. */
export const Uuid = t.brand(t.string, (s): s is t.Branded<string, UuidBrand> => UUID_PATTERN.test(s), 'Uuid');
/** A uuid string. */
export type Uuid = t.TypeOf<typeof Uuid>;

/** An ISO 8601 instant with an explicit offset (`Z` or `±hh:mm`). */
export interface IsoInstantBrand {
  readonly IsoInstant: unique symbol;
}
/** An ISO 8601 instant with an explicit offset; business times in events use it. */
export const IsoInstant = t.brand(
  t.string,
  // An instant must name its offset (`2026-01-31T10:00:00Z` or `…+01:00`): a local time is ambiguous.
  (s): s is t.Branded<string, IsoInstantBrand> => isIsoDateTimeText(s, false),
  'IsoInstant',
);
/** An ISO 8601 instant with an explicit offset. */
export type IsoInstant = t.TypeOf<typeof IsoInstant>;

/** A local calendar date `YYYY-MM-DD` (a birth date, a holiday). */
export interface LocalDateBrand {
  readonly LocalDate: unique symbol;
}
/** A local calendar date `YYYY-MM-DD` that exists. */
export const LocalDate = t.brand(
  t.string,
  (s): s is t.Branded<string, LocalDateBrand> => {
    if (!LOCAL_DATE_PATTERN.test(s)) return false;
    const d = new Date(`${s}T00:00:00Z`);
    return Number.isFinite(d.getTime()) && d.toISOString().startsWith(s);
  },
  'LocalDate',
);
/** A local calendar date `YYYY-MM-DD`. */
export type LocalDate = t.TypeOf<typeof LocalDate>;

/** A non-empty identifier chosen by the host or the policy (a category id, a purpose id, a system name). */
export interface IdentifierBrand {
  readonly Identifier: unique symbol;
}
/** A non-empty identifier of at most 200 characters. */
export const Identifier = t.brand(
  t.string,
  (s): s is t.Branded<string, IdentifierBrand> => s.length > 0 && s.length <= 200,
  'Identifier',
);
/** A non-empty identifier. */
export type Identifier = t.TypeOf<typeof Identifier>;

/** The stream kinds of the privacy domain. */
export type LetheStreamKind = 'subject' | 'consent' | 'retention' | 'request' | 'breach' | 'processor' | 'policy';

/** Returns the stream name of an entity: `lethe.<kind>-<uuid>`. Stream names never carry personal data. */
export const streamName = (kind: LetheStreamKind, id: string): string => `lethe.${kind}-${id}`;

/** The uuid v5 namespace of every id Lethe derives. Changing it changes every derived id. */
export const LETHE_NAMESPACE = '6b1c2f0e-7a3d-5e49-9c1b-4f2d8a6e0c57';

/**
 * Returns the uuid v5 of `parts`, so the same inputs give the same id on every replay. Each part is
 * length-prefixed, so `('a:b', 'c')` and `('a', 'b:c')` differ.
 */
export const deriveId = (...parts: readonly (string | number | bigint)[]): string =>
  uuidv5(parts.map((p) => `${String(p).length}:${String(p)}`).join('|'), LETHE_NAMESPACE);

/** Returns the id of the retention clock of (subject, category). */
export const retentionClockId = (subjectId: string, category: string): string =>
  deriveId('retention', subjectId, category);
