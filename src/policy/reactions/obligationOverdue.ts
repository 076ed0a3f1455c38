/**
 * `ObligationOverdue`: the one host command every area emits when a deadline passes unmet, so a
 * host registers one handler for it. `entity` names what the obligation belongs to (a request, a
 * breach, a retention clock); the rest says which rule was missed, since when, and why it was due.
 *
 * @module
 */
import * as t from 'io-ts';
import { Identifier, IsoInstant, Uuid } from '../../model/shared.js';

/** A deadline passed unmet: tell the people responsible, and record the reasons for the delay where the law asks for them. */
export const ObligationOverdue = t.type(
  {
    type: t.literal('ObligationOverdue'),
    data: t.intersection([
      t.type({
        ruleId: Identifier,
        entity: t.type({ kind: Identifier, id: Uuid }),
        dueAt: IsoInstant,
        citation: t.string,
        explanation: t.string,
      }),
      t.partial({
        /** The obligation's id in the obligations view. */
        obligation: Identifier,
        /** The instant the overdue timer fired (one millisecond after `dueAt`, or later). */
        detectedAt: IsoInstant,
        subjectId: Uuid,
        category: Identifier,
        /** The host command that would have satisfied it (`RespondToRequest`, `NotifyController`...). */
        duty: Identifier,
        /** What the law makes of the miss (e.g. PIPEDA s. 8(5): a deemed refusal). */
        consequence: Identifier,
        /** GDPR Art. 33(1): a late notification must give the reasons for the delay. */
        lateNoticeNeedsReasons: t.boolean,
      }),
    ]),
  },
  'ObligationOverdue',
);
/** See {@link ObligationOverdue}. */
export type ObligationOverdue = t.TypeOf<typeof ObligationOverdue>;
