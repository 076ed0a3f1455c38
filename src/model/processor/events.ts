/**
 * Events of a sub-processor register (`lethe.processor-<uuid>`, one stream per register we keep
 * as processor; the host chooses its id): sub-processors added and removed, customers notified of
 * a change, objections raised and resolved (GDPR Art. 28(2), 28(4); IS-25, CF-11, PZ-23), and
 * demands from authorities received and forwarded to the controller (CF-18, IS-12, IS-23).
 *
 * A sub-processor's name is a company's, not personal data; an objection's grounds are free text
 * written by a customer and are marked personal.
 *
 * @module
 */
import * as t from 'io-ts';
import { personal } from '../personal.js';
import { Identifier, IsoInstant } from '../shared.js';

/**
 * The window in which customers may object to a new sub-processor, computed by the caller from
 * the policy (Convertful CF-11: 10 calendar days from the customer's receipt of the notice).
 */
export const ObjectionWindow = t.intersection(
  [t.type({ closesAt: IsoInstant, ruleId: Identifier }), t.partial({ citation: t.string })],
  'ObjectionWindow',
);
/** The window in which customers may object to a new sub-processor. */
export type ObjectionWindow = t.TypeOf<typeof ObjectionWindow>;

/** A sub-processor was engaged. */
export const SubProcessorAdded = t.type(
  {
    type: t.literal('SubProcessorAdded'),
    data: t.intersection([
      t.type({
        subProcessorId: Identifier,
        /** The company's name. */
        name: t.string,
        /** Where it processes (country or region code). */
        location: Identifier,
        purposes: t.array(Identifier),
        dataCategories: t.array(Identifier),
        at: IsoInstant,
      }),
      t.partial({
        /** The transfer mechanism, e.g. `SCC 2021/914 module 3` (IS-29). */
        transferMechanism: t.string,
        objectionWindow: ObjectionWindow,
        /** When customers were told in advance (PZ-23). */
        customersNotifiedAt: IsoInstant,
      }),
    ]),
  },
  'SubProcessorAdded',
);
/** A sub-processor was engaged. */
export type SubProcessorAdded = t.TypeOf<typeof SubProcessorAdded>;

/** A sub-processor was disengaged. */
export const SubProcessorRemoved = t.type(
  { type: t.literal('SubProcessorRemoved'), data: t.type({ subProcessorId: Identifier, at: IsoInstant }) },
  'SubProcessorRemoved',
);
/** A sub-processor was disengaged. */
export type SubProcessorRemoved = t.TypeOf<typeof SubProcessorRemoved>;

/** The kind of change customers were told about. */
export const SubProcessorChange = t.keyof({ added: null, removed: null }, 'SubProcessorChange');
/** The kind of change customers were told about. */
export type SubProcessorChange = t.TypeOf<typeof SubProcessorChange>;

/**
 * Customers were told of a change (GDPR Art. 28(2); CF-11). An `objectionWindow` given here runs
 * from the notice and replaces the one recorded at addition.
 */
export const CustomersNotifiedOfSubProcessorChange = t.type(
  {
    type: t.literal('CustomersNotifiedOfSubProcessorChange'),
    data: t.intersection([
      t.type({ subProcessorId: Identifier, change: SubProcessorChange, at: IsoInstant }),
      t.partial({ objectionWindow: ObjectionWindow }),
    ]),
  },
  'CustomersNotifiedOfSubProcessorChange',
);
/** Customers were told of a change. */
export type CustomersNotifiedOfSubProcessorChange = t.TypeOf<typeof CustomersNotifiedOfSubProcessorChange>;

/**
 * A customer objected to a sub-processor. `dataProtectionGrounds` records whether the objection is
 * on data-protection grounds (IS-25 accepts only those); an objection that is not is still a fact
 * and is recorded, to be resolved as `rejected`.
 */
export const SubProcessorObjected = t.type(
  {
    type: t.literal('SubProcessorObjected'),
    data: t.type({
      objectionId: Identifier,
      subProcessorId: Identifier,
      customerId: Identifier,
      grounds: personal(t.string),
      dataProtectionGrounds: t.boolean,
      at: IsoInstant,
    }),
  },
  'SubProcessorObjected',
);
/** A customer objected to a sub-processor. */
export type SubProcessorObjected = t.TypeOf<typeof SubProcessorObjected>;

/**
 * How an objection ended: a change offered that avoids the sub-processor, the customer terminated
 * (CF-11, IS-25), the customer withdrew it, or it was rejected.
 */
export const ObjectionOutcome = t.keyof(
  { changeOffered: null, customerTerminated: null, withdrawn: null, rejected: null },
  'ObjectionOutcome',
);
/** How an objection ended. */
export type ObjectionOutcome = t.TypeOf<typeof ObjectionOutcome>;

/** An objection was resolved. */
export const ObjectionResolved = t.type(
  {
    type: t.literal('ObjectionResolved'),
    data: t.intersection([
      t.type({ objectionId: Identifier, outcome: ObjectionOutcome, at: IsoInstant }),
      t.partial({ note: personal(t.string) }),
    ]),
  },
  'ObjectionResolved',
);
/** An objection was resolved. */
export type ObjectionResolved = t.TypeOf<typeof ObjectionResolved>;

/** Who made a demand for disclosure: law enforcement, a court, a supervisory authority, another body. */
export const AuthorityDemandKind = t.keyof(
  { lawEnforcement: null, court: null, supervisoryAuthority: null, other: null },
  'AuthorityDemandKind',
);
/** Who made a demand for disclosure. */
export type AuthorityDemandKind = t.TypeOf<typeof AuthorityDemandKind>;

/**
 * An authority demanded disclosure of data we process for a controller (a subpoena, a court order,
 * a law-enforcement request: Convertful CF-18, InfluencerSoft IS-12 and IS-23). `authority` and
 * `reference` are identifiers of the authority and its case, not personal data; the demand's
 * content stays with the host. `notificationProhibited` records that the law forbids telling the
 * controller (a gag order): then nothing is forwarded (CF-18 "unless legally prohibited"), and
 * `prohibitionBasis` may name the provision or order.
 */
export const AuthorityDemandReceived = t.type(
  {
    type: t.literal('AuthorityDemandReceived'),
    data: t.intersection([
      t.type({
        demandId: Identifier,
        authority: Identifier,
        controllerId: Identifier,
        kind: AuthorityDemandKind,
        receivedAt: IsoInstant,
        notificationProhibited: t.boolean,
      }),
      t.partial({ reference: Identifier, prohibitionBasis: t.string }),
    ]),
  },
  'AuthorityDemandReceived',
);
/** An authority demanded disclosure of data we process for a controller. */
export type AuthorityDemandReceived = t.TypeOf<typeof AuthorityDemandReceived>;

/** The controller was notified of an authority's demand and given a copy of it (CF-18). */
export const AuthorityDemandForwarded = t.type(
  { type: t.literal('AuthorityDemandForwarded'), data: t.type({ demandId: Identifier, at: IsoInstant }) },
  'AuthorityDemandForwarded',
);
/** The controller was notified of an authority's demand. */
export type AuthorityDemandForwarded = t.TypeOf<typeof AuthorityDemandForwarded>;

/** Any event of a sub-processor register. */
export const ProcessorEvent = t.union(
  [
    SubProcessorAdded,
    SubProcessorRemoved,
    CustomersNotifiedOfSubProcessorChange,
    SubProcessorObjected,
    ObjectionResolved,
    AuthorityDemandReceived,
    AuthorityDemandForwarded,
  ],
  'ProcessorEvent',
);
/** Any event of a sub-processor register. */
export type ProcessorEvent = t.TypeOf<typeof ProcessorEvent>;
