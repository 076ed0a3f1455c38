/**
 * The sub-processor register view: a pure fold over the register streams
 * (`lethe.processor-<uuid>`, one per register the host keeps as processor). Per register: the
 * sub-processors (engaged or removed, with the objection window in force), the change notices sent
 * to customers, and the objections with their outcome (GDPR Art. 28(2), 28(4); IS-25, CF-11, PZ-23);
 * and the demands of authorities with whether and when the controller was told (CF-18, IS-12, IS-23).
 *
 * An objection's grounds are free text a customer wrote and stay in the stream.
 *
 * @module
 */
import type { LetheEvent, Projection } from '../engine/index.js';
import type {
  AuthorityDemandKind,
  ObjectionOutcome,
  ObjectionWindow,
  ProcessorEvent,
  SubProcessorChange,
} from '../model/processor/index.js';
import type { SubProcessorView } from '../policy/recordsOfProcessing.js';
import { type PersistentMap, pmEmpty, pmGet, pmSet, pmValues } from './persistentMap.js';

/** The name the sub-processor register view is registered under (views key). */
export const PROCESSOR_REGISTER = 'processorRegister';

/** One sub-processor as the view knows it. */
export interface SubProcessorEntryView {
  readonly subProcessorId: string;
  readonly name: string;
  readonly location: string;
  readonly purposes: readonly string[];
  readonly dataCategories: readonly string[];
  readonly addedAt: string;
  readonly status: 'active' | 'removed';
  readonly removedAt: string | null;
  /** The window in force: from the addition, or from the latest notice of the addition. */
  readonly objectionWindow: ObjectionWindow | null;
  readonly customersNotifiedAt: string | null;
}

/** A change notice sent to customers. */
export interface ChangeNoticeView {
  readonly subProcessorId: string;
  readonly change: SubProcessorChange;
  readonly at: string;
}

/** One objection as the view knows it. */
export interface ObjectionView {
  readonly objectionId: string;
  readonly subProcessorId: string;
  readonly customerId: string;
  readonly dataProtectionGrounds: boolean;
  readonly at: string;
  readonly outcome: ObjectionOutcome | null;
  readonly resolvedAt: string | null;
}

/** One authority demand as the view knows it (ids only; the demand's content stays with the host). */
export interface AuthorityDemandView {
  readonly demandId: string;
  readonly authority: string;
  readonly controllerId: string;
  readonly kind: AuthorityDemandKind;
  readonly receivedAt: string;
  /** The law forbids telling the controller: nothing is owed to it (CF-18, IS-12, IS-23). */
  readonly notificationProhibited: boolean;
  readonly reference: string | null;
  /** When the controller was notified, or null. */
  readonly forwardedAt: string | null;
}

/** One register. */
export interface SubProcessorRegisterEntry {
  readonly registerId: string;
  readonly subProcessors: Readonly<Record<string, SubProcessorEntryView>>;
  readonly notices: readonly ChangeNoticeView[];
  readonly objections: Readonly<Record<string, ObjectionView>>;
  /** Authority demands, by demand id. */
  readonly authorityDemands: Readonly<Record<string, AuthorityDemandView>>;
}

/** The state of the view: every register, by register id. */
export interface ProcessorRegisterState {
  /** Every register, by register id (read with {@link subProcessorRegisterOf}). */
  readonly registers: PersistentMap<SubProcessorRegisterEntry>;
}

const PREFIX = 'lethe.processor-';

/** Returns the view with no register. */
export const emptyProcessorRegister = (): ProcessorRegisterState => ({ registers: pmEmpty() });

/** Returns the register with this id, or undefined. */
export const subProcessorRegisterOf = (state: ProcessorRegisterState, registerId: string): SubProcessorRegisterEntry | undefined =>
  pmGet(state.registers, registerId);

const evolveEntry = (entry: SubProcessorRegisterEntry, event: ProcessorEvent): SubProcessorRegisterEntry => {
  switch (event.type) {
    case 'SubProcessorAdded': {
      const d = event.data;
      const view: SubProcessorEntryView = {
        subProcessorId: d.subProcessorId,
        name: d.name,
        location: d.location,
        purposes: d.purposes,
        dataCategories: d.dataCategories,
        addedAt: d.at,
        status: 'active',
        removedAt: null,
        objectionWindow: d.objectionWindow ?? null,
        customersNotifiedAt: d.customersNotifiedAt ?? null,
      };
      return { ...entry, subProcessors: { ...entry.subProcessors, [d.subProcessorId]: view } };
    }
    case 'SubProcessorRemoved': {
      const known = entry.subProcessors[event.data.subProcessorId];
      if (known === undefined) return entry;
      return {
        ...entry,
        subProcessors: { ...entry.subProcessors, [known.subProcessorId]: { ...known, status: 'removed', removedAt: event.data.at } },
      };
    }
    case 'CustomersNotifiedOfSubProcessorChange': {
      const d = event.data;
      const notices = [...entry.notices, { subProcessorId: d.subProcessorId, change: d.change, at: d.at }];
      const known = entry.subProcessors[d.subProcessorId];
      // Only the notice of an addition opens a window (CF-11), as in the decider.
      if (known === undefined || d.change !== 'added') return { ...entry, notices };
      const updated: SubProcessorEntryView = {
        ...known,
        customersNotifiedAt: d.at,
        objectionWindow: d.objectionWindow ?? known.objectionWindow,
      };
      return { ...entry, notices, subProcessors: { ...entry.subProcessors, [d.subProcessorId]: updated } };
    }
    case 'SubProcessorObjected': {
      const d = event.data;
      const view: ObjectionView = {
        objectionId: d.objectionId,
        subProcessorId: d.subProcessorId,
        customerId: d.customerId,
        dataProtectionGrounds: d.dataProtectionGrounds,
        at: d.at,
        outcome: null,
        resolvedAt: null,
      };
      return { ...entry, objections: { ...entry.objections, [d.objectionId]: view } };
    }
    case 'ObjectionResolved': {
      const known = entry.objections[event.data.objectionId];
      if (known === undefined) return entry;
      return {
        ...entry,
        objections: { ...entry.objections, [known.objectionId]: { ...known, outcome: event.data.outcome, resolvedAt: event.data.at } },
      };
    }
    case 'AuthorityDemandReceived': {
      const d = event.data;
      // A retry of the same demand is a no-op in the decider; keep the first record (and its forwarding).
      if (entry.authorityDemands[d.demandId] !== undefined) return entry;
      const view: AuthorityDemandView = {
        demandId: d.demandId,
        authority: d.authority,
        controllerId: d.controllerId,
        kind: d.kind,
        receivedAt: d.receivedAt,
        notificationProhibited: d.notificationProhibited,
        reference: d.reference ?? null,
        forwardedAt: null,
      };
      return { ...entry, authorityDemands: { ...entry.authorityDemands, [d.demandId]: view } };
    }
    case 'AuthorityDemandForwarded': {
      const known = entry.authorityDemands[event.data.demandId];
      if (known === undefined || known.forwardedAt !== null) return entry;
      return { ...entry, authorityDemands: { ...entry.authorityDemands, [known.demandId]: { ...known, forwardedAt: event.data.at } } };
    }
  }
};

/** Returns the view after one more feed event; events of other kinds leave it unchanged. */
export const applyProcessorEvent = (state: ProcessorRegisterState, event: LetheEvent): ProcessorRegisterState => {
  if (event.kind !== 'processor' || !event.streamName.startsWith(PREFIX)) return state;
  const registerId = event.streamName.slice(PREFIX.length);
  const known = pmGet(state.registers, registerId) ?? { registerId, subProcessors: {}, notices: [], objections: {}, authorityDemands: {} };
  return { registers: pmSet(state.registers, registerId, evolveEntry(known, event.event as ProcessorEvent)) };
};

/** The sub-processor register projection (register it as {@link PROCESSOR_REGISTER}). */
export const processorRegister: Projection<ProcessorRegisterState, LetheEvent> = {
  init: emptyProcessorRegister,
  apply: applyProcessorEvent,
};

/** Returns the view held in `views`, or an empty one when the projection is not registered. */
export const processorRegisterOf = (views: Readonly<Record<string, unknown>>): ProcessorRegisterState =>
  (views[PROCESSOR_REGISTER] as ProcessorRegisterState | undefined) ?? emptyProcessorRegister();

/**
 * Returns every sub-processor in the registers as the record of processing takes them (active or
 * removed), or undefined when no register was ever written, so the policy's own list stands.
 */
export const subProcessorsForRecord = (
  state: ProcessorRegisterState | undefined,
): readonly SubProcessorView[] | undefined => {
  if (state === undefined || state.registers.size === 0) return undefined;
  const out: SubProcessorView[] = [];
  for (const entry of pmValues(state.registers))
    for (const sp of Object.values(entry.subProcessors))
      out.push({
        subProcessorId: sp.subProcessorId,
        name: sp.name,
        location: sp.location,
        active: sp.status === 'active',
        purposes: sp.purposes,
        dataCategories: sp.dataCategories,
      });
  return out;
};
