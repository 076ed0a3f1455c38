/**
 * The decider of a sub-processor register: pure `initialState`, `decide` and `evolve`.
 *
 * - Adding an id again with identical data is a no-op (a retry); with different data it is
 *   refused (`SubProcessorConflict`): a changed engagement is a removal and a new addition, so
 *   customers are told of it. A removed sub-processor may be added again with new data.
 * - An objection is refused after its window closed; where no window was recorded (IS-25 has
 *   none) an objection is accepted while the sub-processor is engaged.
 * - An authority's demand is recorded once (identical again: a no-op; different: refused). Its
 *   forwarding to the controller is refused for an unknown demand and for one whose notification
 *   the law prohibits (CF-18 "unless legally prohibited"; IS-12; IS-23 "if permitted by applicable
 *   law"); forwarding it twice is a no-op.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Identifier, IsoInstant } from '../shared.js';
import type { ProcessorCommand } from './commands.js';
import type { AuthorityDemandReceived, ObjectionOutcome, ObjectionWindow, ProcessorEvent, SubProcessorAdded } from './events.js';

/** The citation of the rule that a demand is not forwarded where the law prohibits it. */
export const AUTHORITY_DEMAND_PROHIBITION_CITATION =
  'Convertful DPA (CF-18): "unless legally prohibited"; InfluencerSoft (IS-12: "unless prohibited by law or regulation", IS-23: "if permitted by applicable law")';

/** One sub-processor as the register knows it. */
export interface SubProcessorEntry {
  /** The facts of its latest addition. */
  readonly added: SubProcessorAdded['data'];
  readonly status: 'active' | 'removed';
  /** The objection window in force: from the addition, or from a later change notice. */
  readonly objectionWindow: ObjectionWindow | null;
}

/** One objection as the register knows it. */
export interface ObjectionEntry {
  readonly subProcessorId: Identifier;
  readonly customerId: Identifier;
  readonly outcome: ObjectionOutcome | null;
}

/** One authority demand as the register knows it. */
export interface AuthorityDemandEntry {
  /** The facts recorded at receipt. */
  readonly received: AuthorityDemandReceived['data'];
  /** When the controller was notified, or null. */
  readonly forwardedAt: string | null;
}

/** The state of a sub-processor register, folded from its events. */
export interface ProcessorState {
  readonly subProcessors: ReadonlyMap<string, SubProcessorEntry>;
  readonly objections: ReadonlyMap<string, ObjectionEntry>;
  readonly authorityDemands: ReadonlyMap<string, AuthorityDemandEntry>;
}

/**
 * Why the register's decider refused a command. Each member says which rule forbids it; no
 * member carries personal data (ids are the host's, not people's).
 */
export type ProcessorRejection =
  /** No sub-processor with this id was ever added. */
  | { readonly _tag: 'UnknownSubProcessor'; readonly subProcessorId: Identifier }
  /** The id is engaged with different data; a change is a removal and a new addition. */
  | { readonly _tag: 'SubProcessorConflict'; readonly subProcessorId: Identifier }
  /** The sub-processor was removed; objections to it no longer apply. */
  | { readonly _tag: 'SubProcessorNotActive'; readonly subProcessorId: Identifier }
  /** The contract requires customers to be told before the addition (PZ-23). */
  | { readonly _tag: 'PriorNoticeRequired'; readonly citation: string }
  /** The objection came after the window closed (CF-11). */
  | {
      readonly _tag: 'ObjectionWindowClosed';
      readonly subProcessorId: Identifier;
      readonly closesAt: IsoInstant;
      readonly ruleId: Identifier;
      readonly citation?: string;
    }
  /** An objection with this id was already recorded. */
  | { readonly _tag: 'ObjectionAlreadyRecorded'; readonly objectionId: Identifier }
  /** No objection with this id was recorded. */
  | { readonly _tag: 'UnknownObjection'; readonly objectionId: Identifier }
  /** The objection was already resolved. */
  | { readonly _tag: 'ObjectionAlreadyResolved'; readonly objectionId: Identifier; readonly outcome: ObjectionOutcome }
  /** No authority demand with this id was recorded. */
  | { readonly _tag: 'UnknownAuthorityDemand'; readonly demandId: Identifier }
  /** A demand with this id was recorded with different data. */
  | { readonly _tag: 'AuthorityDemandConflict'; readonly demandId: Identifier }
  /** The law prohibits telling the controller of this demand (CF-18, IS-12, IS-23). */
  | { readonly _tag: 'AuthorityDemandNotificationProhibited'; readonly demandId: Identifier; readonly citation: string };

/** What decide returns: the new events or the rejection. */
export type ProcessorDecision = E.Either<ProcessorRejection, readonly ProcessorEvent[]>;
const reject = (rejection: ProcessorRejection): ProcessorDecision => E.left(rejection);
const emit = (...events: readonly ProcessorEvent[]): ProcessorDecision => E.right(events);

const isAfter = (a: string, b: string): boolean => Date.parse(a) - Date.parse(b) > 0;

/** A JSON rendering with sorted keys, so that two records with the same fields compare equal. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

/** Returns the state of a register with no events. */
export const initialState = (): ProcessorState => ({ subProcessors: new Map(), objections: new Map(), authorityDemands: new Map() });

/** Returns the events `command` produces in `state`, or why it is refused. Pure. */
export const decide = (command: ProcessorCommand, state: ProcessorState): ProcessorDecision => {
  switch (command.type) {
    case 'AddSubProcessor': {
      const { context, ...data } = command.data;
      const known = state.subProcessors.get(data.subProcessorId);
      if (known !== undefined && canonical(known.added) === canonical(data)) return emit();
      if (known !== undefined && known.status === 'active')
        return reject({ _tag: 'SubProcessorConflict', subProcessorId: data.subProcessorId });
      const notice = context?.priorCustomerNotice;
      if (notice !== undefined && (data.customersNotifiedAt === undefined || isAfter(data.customersNotifiedAt, data.at)))
        return reject({ _tag: 'PriorNoticeRequired', citation: notice.citation });
      return emit({ type: 'SubProcessorAdded', data });
    }
    case 'RemoveSubProcessor': {
      const known = state.subProcessors.get(command.data.subProcessorId);
      if (known === undefined) return reject({ _tag: 'UnknownSubProcessor', subProcessorId: command.data.subProcessorId });
      return known.status === 'removed' ? emit() : emit({ type: 'SubProcessorRemoved', data: command.data });
    }
    case 'RecordSubProcessorChangeNotice': {
      if (!state.subProcessors.has(command.data.subProcessorId))
        return reject({ _tag: 'UnknownSubProcessor', subProcessorId: command.data.subProcessorId });
      return emit({ type: 'CustomersNotifiedOfSubProcessorChange', data: command.data });
    }
    case 'RecordSubProcessorObjection': {
      const { subProcessorId, objectionId, at } = command.data;
      const known = state.subProcessors.get(subProcessorId);
      if (known === undefined) return reject({ _tag: 'UnknownSubProcessor', subProcessorId });
      if (known.status === 'removed') return reject({ _tag: 'SubProcessorNotActive', subProcessorId });
      if (state.objections.has(objectionId)) return reject({ _tag: 'ObjectionAlreadyRecorded', objectionId });
      const window = known.objectionWindow;
      if (window !== null && isAfter(at, window.closesAt))
        return reject({
          _tag: 'ObjectionWindowClosed',
          subProcessorId,
          closesAt: window.closesAt,
          ruleId: window.ruleId,
          ...(window.citation !== undefined ? { citation: window.citation } : {}),
        });
      return emit({ type: 'SubProcessorObjected', data: command.data });
    }
    case 'ResolveSubProcessorObjection': {
      const { objectionId } = command.data;
      const known = state.objections.get(objectionId);
      if (known === undefined) return reject({ _tag: 'UnknownObjection', objectionId });
      if (known.outcome !== null) return reject({ _tag: 'ObjectionAlreadyResolved', objectionId, outcome: known.outcome });
      return emit({ type: 'ObjectionResolved', data: command.data });
    }
    case 'ReceiveAuthorityDemand': {
      const { demandId } = command.data;
      const known = state.authorityDemands.get(demandId);
      if (known === undefined) return emit({ type: 'AuthorityDemandReceived', data: command.data });
      return canonical(known.received) === canonical(command.data) ? emit() : reject({ _tag: 'AuthorityDemandConflict', demandId });
    }
    case 'RecordAuthorityDemandForwarding': {
      const { demandId } = command.data;
      const known = state.authorityDemands.get(demandId);
      if (known === undefined) return reject({ _tag: 'UnknownAuthorityDemand', demandId });
      if (known.forwardedAt !== null) return emit();
      if (known.received.notificationProhibited)
        return reject({
          _tag: 'AuthorityDemandNotificationProhibited',
          demandId,
          citation:
            known.received.prohibitionBasis === undefined
              ? AUTHORITY_DEMAND_PROHIBITION_CITATION
              : `${known.received.prohibitionBasis}; ${AUTHORITY_DEMAND_PROHIBITION_CITATION}`,
        });
      return emit({ type: 'AuthorityDemandForwarded', data: command.data });
    }
  }
};

const withEntry = <V>(map: ReadonlyMap<string, V>, key: string, value: V): ReadonlyMap<string, V> =>
  new Map(map).set(key, value);

/** Returns the state after `event`. Pure; never fails (events were validated when appended). */
export const evolve = (state: ProcessorState, event: ProcessorEvent): ProcessorState => {
  switch (event.type) {
    case 'SubProcessorAdded':
      return {
        ...state,
        subProcessors: withEntry(state.subProcessors, event.data.subProcessorId, {
          added: event.data,
          status: 'active',
          objectionWindow: event.data.objectionWindow ?? null,
        }),
      };
    case 'SubProcessorRemoved': {
      const known = state.subProcessors.get(event.data.subProcessorId);
      return known === undefined
        ? state
        : { ...state, subProcessors: withEntry(state.subProcessors, event.data.subProcessorId, { ...known, status: 'removed' }) };
    }
    case 'CustomersNotifiedOfSubProcessorChange': {
      const known = state.subProcessors.get(event.data.subProcessorId);
      const window = event.data.objectionWindow;
      // Only the notice of an addition opens a window (CF-11: objections are to new sub-processors).
      return known === undefined || window === undefined || event.data.change !== 'added'
        ? state
        : { ...state, subProcessors: withEntry(state.subProcessors, event.data.subProcessorId, { ...known, objectionWindow: window }) };
    }
    case 'SubProcessorObjected':
      return {
        ...state,
        objections: withEntry(state.objections, event.data.objectionId, {
          subProcessorId: event.data.subProcessorId,
          customerId: event.data.customerId,
          outcome: null,
        }),
      };
    case 'ObjectionResolved': {
      const known = state.objections.get(event.data.objectionId);
      return known === undefined
        ? state
        : { ...state, objections: withEntry(state.objections, event.data.objectionId, { ...known, outcome: event.data.outcome }) };
    }
    case 'AuthorityDemandReceived':
      return {
        ...state,
        authorityDemands: withEntry(state.authorityDemands, event.data.demandId, { received: event.data, forwardedAt: null }),
      };
    case 'AuthorityDemandForwarded': {
      const known = state.authorityDemands.get(event.data.demandId);
      return known === undefined
        ? state
        : { ...state, authorityDemands: withEntry(state.authorityDemands, event.data.demandId, { ...known, forwardedAt: event.data.at }) };
    }
  }
};

/** The sub-processor register decider: `{ initialState, decide, evolve }`, for the engine's command handler. */
export const processorDecider = { initialState, decide, evolve } as const;
