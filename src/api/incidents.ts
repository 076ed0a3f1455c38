/**
 * The requests, breaches and sub-processors area: its {@link incidentsArea} (projections,
 * reactions, timer handlers) and the command builders behind the host API.
 *
 * A command builder is pure: `(policy, views, input, at)` → the commands to execute, in order, or
 * an {@link IncidentsApiError}. It validates the host's input (io-ts; errors name the path, never
 * the value), resolves facts from the views (registers), and computes every deadline from the
 * policy once, so the command (and thus the event) records it. `at` is the business time of the
 * call (epoch milliseconds, as in the lifecycle area's builders): the default for the input's own
 * instant (`receivedAt`, `awareAt`, `at`, ...), written in the policy calendar's zone. The facade
 * catches up the views, calls the builder, executes each command in order with `occurredAt` from
 * the result, then settles.
 *
 * Jurisdictions: a request's `jurisdiction` is a rulebook id (`gdpr`, `uk-gdpr`, `ccpa`, ...) or a
 * code {@link JURISDICTION_RULEBOOKS} maps to one (`FR` → `gdpr`, `US-CA` → `ccpa`); only rulebooks
 * the policy lists in `requests.rulebooks` apply, plus the document's own request rules (which
 * apply to every jurisdiction). Breach duties come from every rulebook in `breaches.rulebooks` and
 * the document's `breaches.duties`, filtered by our role for the breached data.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { DateTime } from 'luxon';
import type { DeadlineRecord } from '../model/deadline.js';
import { Identifier, IsoInstant, Uuid } from '../model/shared.js';
import {
  AuthorisedAgent,
  DeliveryChannel,
  RequestChannel,
  RequestCommand,
  RequestRole,
  RequestSource,
  RequestType,
} from '../model/request/index.js';
import type { FrequencyLimit, RequestDeadlines } from '../model/request/index.js';
import {
  ApproximateCount,
  AuthorityNotificationContent,
  BreachCause,
  BreachCommand,
  BreachNature,
  BreachRisk,
  ControllerNotificationContent,
  DataSubjectNotificationContent,
  NotificationPhase,
  PublicCommunicationReason,
} from '../model/breach/index.js';
import { AuthorityDemandKind, ObjectionOutcome, ProcessorCommand, SubProcessorChange } from '../model/processor/index.js';
import { PolicyCommand, policyStreamId } from '../model/policy/index.js';
import type { ApplicableRule, DeadlineRule, PolicyDocument, RuleDeadline, RulebookId } from '../policy/index.js';
import {
  applicableRules,
  ccpaDeletionExceptions,
  DEFAULT_COUNTING,
  DEFAULT_HOST_TARGETS,
  gdprErasureExceptions,
  isRulebookId,
  pipedaRetentionReasons,
  ruleDeadline,
} from '../policy/index.js';
import type { RequestKind } from '../policy/rule.js';
import {
  breachRegister,
  breachOf,
  breachRegisterOf,
  type BreachAssessmentFacts,
  type BreachEntry,
} from '../projections/breachRegister.js';
import { processorRegister } from '../projections/processorRegister.js';
import {
  countReceiptsInWindow,
  requestRegister,
  requestOf,
  requestRegisterOf,
  type RequestEntry,
} from '../projections/requestRegister.js';
import {
  breachReactions,
  breachRuleById,
  breachTimerHandlers,
  conditionMet,
  dutyRoleOf,
  exemptionFromAssessment,
  hostCommandOf,
  isConditionalOnAssessment,
  rulePrefix,
} from '../policy/reactions/breaches.js';
import { asObjectionWindow, objectionWindowFor, processorReactions } from '../policy/reactions/processors.js';
import { identityVerificationRequired, requestReactions, requestTimerHandlers } from '../policy/reactions/requests.js';
import { policyVersionReactions } from '../policy/reactions/policyVersions.js';
import { computeDeadline, isValidInstant, toLocalIso } from '../time/index.js';
import type { Instant, Period } from '../time/index.js';
import type { DomainArea, Views } from './area.js';
import type { Targeted } from './streams.js';

// ---------------------------------------------------------------------------------------------
// Errors and results
// ---------------------------------------------------------------------------------------------

/**
 * Why a builder refused the host's input, shaped like the lifecycle area's `ApiError` (`_tag`,
 * `path` of the input field at fault, `message` without the value) plus the ids and rule ids that
 * help the host act. No member carries personal data.
 */
export type IncidentsApiError = { readonly path: string; readonly message: string } & (
  /** The input fails its codec at `path` (the value itself is never echoed). */
  | { readonly _tag: 'InvalidInput' }
  /** No request with this id is in the register (not received, or the views are behind). */
  | { readonly _tag: 'UnknownRequest'; readonly requestId: string }
  /** No breach with this id is in the register. */
  | { readonly _tag: 'UnknownBreach'; readonly breachId: string }
  /** No rule of the policy governs this request type in this jurisdiction. */
  | { readonly _tag: 'NoApplicableRule'; readonly jurisdiction: string; readonly requestType: string }
  /** A rule's deadline could not be computed (e.g. working hours without opening hours). */
  | { readonly _tag: 'DeadlineNotComputable'; readonly ruleId: string }
  /** The policy covers both roles and the role for this data cannot be told: pass `role`. */
  | { readonly _tag: 'RoleRequired' }
  /** Open duties of several laws could be meant: pass `satisfies` with the rule ids this act satisfies. */
  | { readonly _tag: 'AmbiguousObligations'; readonly action: string; readonly candidates: readonly string[] }
);

/** A command to execute: the stream kind, the targeted command, and its business time. */
export type BuiltCommand =
  | { readonly kind: 'request'; readonly command: Targeted<RequestCommand>; readonly occurredAt: string }
  | { readonly kind: 'breach'; readonly command: Targeted<BreachCommand>; readonly occurredAt: string }
  | { readonly kind: 'processor'; readonly command: Targeted<ProcessorCommand>; readonly occurredAt: string }
  | { readonly kind: 'policy'; readonly command: Targeted<PolicyCommand>; readonly occurredAt: string };

/** What every builder returns: the commands to execute in order, or why not. */
export type BuildResult = Either<IncidentsApiError, readonly BuiltCommand[]>;

/** The shape of every command builder of this module. */
export type CommandBuilder = (policy: PolicyDocument, views: Views, input: unknown, at: Instant) => BuildResult;

const pathOf = (context: t.Context): string => {
  const parts: string[] = [];
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]?.type;
    // Members of intersections and unions are not fields: leave their indices out of the path.
    if (parent instanceof t.IntersectionType || parent instanceof t.UnionType) continue;
    const key = context[i]?.key;
    if (key !== undefined && key !== '') parts.push(key);
  }
  return parts.join('.');
};

const decode = <A>(codec: t.Type<A, unknown, unknown>, input: unknown, prefix = ''): Either<IncidentsApiError, A> => {
  const result = codec.decode(input);
  if (E.isRight(result)) return E.right(result.right);
  const first = result.left[0];
  const path = first === undefined ? '' : pathOf(first.context);
  const expected = first?.context[first.context.length - 1]?.type.name ?? codec.name;
  return E.left({
    _tag: 'InvalidInput',
    path: [prefix, path].filter((p) => p !== '').join('.'),
    // Never a codec's own message: some quote the value, which may be personal data.
    message: `expected ${expected}`,
  });
};

const invalid = (path: string, message: string): Either<IncidentsApiError, never> => E.left({ _tag: 'InvalidInput', path, message });

const roleRequired = (what: string): Either<IncidentsApiError, never> =>
  E.left({ _tag: 'RoleRequired', path: 'role', message: `the policy covers both roles: say ours for ${what}` });

const TargetedRequest = t.type({ target: Uuid, command: RequestCommand });
const TargetedBreach = t.type({ target: Uuid, command: BreachCommand });
const TargetedProcessor = t.type({ target: Uuid, command: ProcessorCommand });
const TargetedPolicy = t.type({ target: Uuid, command: PolicyCommand });

// The model codecs check what the builder produced (branded ids, instants, deadline records).
const requestCommand = (target: string, command: unknown, occurredAt: string): Either<IncidentsApiError, BuiltCommand> =>
  E.map((c: Targeted<RequestCommand>): BuiltCommand => ({ kind: 'request', command: c, occurredAt }))(
    decode(TargetedRequest, { target, command }, 'command'),
  );
const breachCommand = (target: string, command: unknown, occurredAt: string): Either<IncidentsApiError, BuiltCommand> =>
  E.map((c: Targeted<BreachCommand>): BuiltCommand => ({ kind: 'breach', command: c, occurredAt }))(
    decode(TargetedBreach, { target, command }, 'command'),
  );
const processorCommand = (target: string, command: unknown, occurredAt: string): Either<IncidentsApiError, BuiltCommand> =>
  E.map((c: Targeted<ProcessorCommand>): BuiltCommand => ({ kind: 'processor', command: c, occurredAt }))(
    decode(TargetedProcessor, { target, command }, 'command'),
  );

const policyCommand = (target: string, command: unknown, occurredAt: string): Either<IncidentsApiError, BuiltCommand> =>
  E.map((c: Targeted<PolicyCommand>): BuiltCommand => ({ kind: 'policy', command: c, occurredAt }))(
    decode(TargetedPolicy, { target, command }, 'command'),
  );

const all = (items: readonly Either<IncidentsApiError, BuiltCommand>[]): BuildResult => {
  const out: BuiltCommand[] = [];
  for (const item of items) {
    if (E.isLeft(item)) return item;
    out.push(item.right);
  }
  return E.right(out);
};

const one = (item: Either<IncidentsApiError, BuiltCommand>): BuildResult => all([item]);

/** Checks `at`, then decodes the input; the input's `instantField` defaults to `at` (ISO, in the policy calendar's zone). */
const withInput = <A>(
  policy: PolicyDocument,
  codec: t.Type<A, unknown, unknown>,
  input: unknown,
  at: Instant,
  instantField: string,
): Either<IncidentsApiError, A & Record<string, unknown>> => {
  if (!isValidInstant(at)) return invalid('at', 'expected an instant (epoch milliseconds)');
  const given = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
  if (given === undefined) return invalid('', 'expected an object');
  // The call's instant, written in the policy calendar's zone, stands in for the input's own.
  const filled = given[instantField] === undefined ? { ...given, [instantField]: toLocalIso(at, policy.calendar.zone) } : given;
  return decode(codec, filled) as Either<IncidentsApiError, A & Record<string, unknown>>;
};

const ms = (iso: string): number => Date.parse(iso);

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

const EU_EEA = [
  'EU', 'EEA', 'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT',
  'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO',
] as const;

/** Jurisdiction codes (ISO 3166 style) and the rulebook that governs requests there. A rulebook id maps to itself. */
export const JURISDICTION_RULEBOOKS: Readonly<Record<string, RulebookId>> = {
  ...Object.fromEntries(EU_EEA.map((code) => [code, 'gdpr' as const])),
  UK: 'uk-gdpr',
  GB: 'uk-gdpr',
  'US-CA': 'ccpa',
  'US-VA': 'virginia',
  'US-CO': 'colorado',
  BR: 'lgpd',
  CA: 'pipeda',
};

/** Returns the rulebook id governing requests in `jurisdiction` if the policy lists it, else undefined. */
export const requestRulebookFor = (policy: PolicyDocument, jurisdiction: string): RulebookId | undefined => {
  const id = isRulebookId(jurisdiction) ? jurisdiction : JURISDICTION_RULEBOOKS[jurisdiction];
  return id !== undefined && policy.requests.rulebooks.includes(id) ? id : undefined;
};

/**
 * The rulebook request kinds a request type answers to. The model's `optOutOfSale` is the rules'
 * `optOut`; `anonymisation` (IS-10) falls under erasure where no rule names it; `inactivation`
 * (IS-14) is read as restriction.
 */
export const requestKindsOf = (type: RequestType): readonly RequestKind[] => {
  switch (type) {
    case 'optOutOfSale':
      return ['optOut'];
    case 'anonymisation':
      return ['anonymisation', 'erasure'];
    case 'inactivation':
      return ['restriction'];
    default:
      return [type];
  }
};

const MODEL_TYPES: readonly RequestType[] = Object.keys(RequestType.keys) as RequestType[];

const coversKinds = (ruleKinds: readonly RequestKind[] | undefined, kinds: readonly RequestKind[]): boolean =>
  ruleKinds === undefined || ruleKinds.some((k) => kinds.includes(k));

const RESPOND_ACTIONS = new Set(['RespondToRequest', 'StopSaleOrSharing']);
const isRespondRule = (rule: DeadlineRule): boolean =>
  rule.action === undefined ? rule.satisfiedBy.includes('RequestFulfilled') : RESPOND_ACTIONS.has(rule.action);

const recordOf = (a: ApplicableRule, d: RuleDeadline, zone: string, prefix = ''): DeadlineRecord =>
  ({
    ruleId: d.ruleId,
    dueAt: toLocalIso(d.dueAt, zone),
    citation: d.basis === 'override' && a.options.citation !== undefined ? `${a.options.citation} (overriding ${d.citation})` : d.citation,
    explanation: `${prefix}${d.explanation.text}`,
    ...(d.hostTarget !== undefined && d.basis !== 'hostTarget' ? { hostTargetAt: toLocalIso(d.hostTarget, zone) } : {}),
    ...(d.basis === 'hostTarget' ? { hostTargetOnly: true } : {}),
  }) as DeadlineRecord;

const resolve = (a: ApplicableRule, start: number, policy: PolicyDocument): Either<IncidentsApiError, RuleDeadline | undefined> => {
  const d = ruleDeadline(a.rule, start, policy.calendar, a.options);
  if (E.isRight(d)) return E.right(d.right);
  if (d.left._tag === 'NoDeadline') return E.right(undefined);
  const reason = d.left._tag === 'DeadlineFailed' ? d.left.error.reason : d.left._tag;
  return E.left({ _tag: 'DeadlineNotComputable', ruleId: a.rule.id, path: '', message: reason });
};

const minusPeriod = (at: number, period: Period, zone: string): number | undefined => {
  const local = DateTime.fromMillis(at, { zone });
  switch (period.unit) {
    case 'months':
      return local.minus({ months: period.amount }).toMillis();
    case 'years':
      return local.minus({ years: period.amount }).toMillis();
    case 'calendarDays':
      return local.minus({ days: period.amount }).toMillis();
    case 'weeks':
      return local.minus({ weeks: period.amount }).toMillis();
    default:
      return undefined;
  }
};

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

const ReceiveRequestInput = t.intersection([
  t.type({ requestId: Uuid, subjectId: Uuid, requestType: RequestType, jurisdiction: Identifier, channel: RequestChannel, receivedAt: IsoInstant }),
  t.partial({
    role: RequestRole,
    receivedFrom: RequestSource,
    controllerId: Identifier,
    authorisedAgent: AuthorisedAgent,
    correspondence: t.string,
  }),
]);

/** The duty of a processor to pass a data subject's request on (no number in law or in the seeds). */
const FORWARD_CITATION =
  'GDPR Art. 28(3)(e) (assist the controller); IS-13, PZ-28: pass the request to the controller without undue delay (host target)';

interface EvaluatedLimit {
  readonly limit: FrequencyLimit;
  readonly count: number;
}

const frequencyContext = (
  policy: PolicyDocument,
  views: Views,
  candidates: readonly ApplicableRule[],
  subjectId: string,
  requestType: RequestType,
  receivedAt: number,
): { readonly priorRequestsInWindow: number; readonly frequencyLimit?: FrequencyLimit } => {
  const kinds = requestKindsOf(requestType);
  const register = requestRegisterOf(views);
  const zone = policy.calendar.zone;
  const evaluated: EvaluatedLimit[] = [];
  for (const { rule } of candidates) {
    const f = rule.frequencyLimit;
    if (f === undefined || !coversKinds(f.requestKinds, kinds)) continue;
    const types = f.requestKinds === undefined ? [requestType] : MODEL_TYPES.filter((m) => coversKinds(f.requestKinds, requestKindsOf(m)));
    const local = DateTime.fromMillis(receivedAt, { zone });
    const windowStart = (f.per === 'rolling12Months' ? local.minus({ months: 12 }) : local.startOf('year')).toMillis();
    const count = countReceiptsInWindow(register, subjectId, types, windowStart, receivedAt, f.per);
    evaluated.push({
      count,
      limit: { count: f.count, per: f.per, citation: f.citation ?? rule.citation, ruleId: rule.id } as FrequencyLimit,
    });
  }
  // A request is declined only when every limit in force allows it: a contract promising "twice a
  // year" (Softpire SP-12, per calendar year) obliges us to answer a request the CCPA's rolling
  // twelve months would let us decline.
  const chosen = evaluated.find((e) => e.count < e.limit.count) ?? evaluated[0];
  return chosen === undefined ? { priorRequestsInWindow: 0 } : { priorRequestsInWindow: chosen.count, frequencyLimit: chosen.limit };
};

/**
 * Builds `ReceiveRequest`: the rules in force for the jurisdiction and request type, the respond
 * deadline (the earliest with a legal or contractual number, else the host target) with its
 * extension allowance, the confirmation of receipt where a rule has one (11 CCR § 7021(a)), the
 * frequency context counted from the register per each limit's window, and the look-back start
 * (CCPA: 12 months before receipt). As processor for a data subject's request, the respond duty
 * is forwarding to the controller, due by the host target (PT24H from receipt by default).
 * Fails with `InvalidInput`, `RoleRequired` (a policy for both roles and no `role`),
 * `NoApplicableRule` or `DeadlineNotComputable`.
 */
export const receiveRequest: CommandBuilder = (policy, views, input, at) => {
  const decoded = withInput(policy, ReceiveRequestInput, input, at, 'receivedAt');
  if (E.isLeft(decoded)) return decoded;
  const d = decoded.right;
  const role = d.role ?? (policy.role === 'both' ? undefined : policy.role);
  if (role === undefined) return roleRequired('the data the request is about');
  const receivedFrom = d.receivedFrom ?? 'dataSubject';
  const receivedAt = ms(d.receivedAt);
  const zone = policy.calendar.zone;
  const rulebook = requestRulebookFor(policy, d.jurisdiction);
  const kinds = requestKindsOf(d.requestType);
  const candidates = applicableRules(policy, 'requests', receivedAt).filter(
    (a) => (a.source === 'document' || a.source === rulebook) && coversKinds(a.rule.requestKinds, kinds),
  );

  let deadlines: RequestDeadlines | undefined;
  let context: { readonly priorRequestsInWindow: number; readonly frequencyLimit?: FrequencyLimit } = { priorRequestsInWindow: 0 };
  let lookBackFrom: string | undefined;
  if (role === 'processor' && receivedFrom === 'dataSubject') {
    const own = candidates.find((a) => a.rule.action === 'ForwardRequestToController');
    if (own !== undefined) {
      const r = resolve(own, receivedAt, policy);
      if (E.isLeft(r)) return r;
      if (r.right !== undefined) deadlines = { respond: recordOf(own, r.right, zone) };
    }
    if (deadlines === undefined) {
      const due = computeDeadline({
        start: receivedAt,
        period: DEFAULT_HOST_TARGETS.processorToController,
        calendar: policy.calendar,
        rules: DEFAULT_COUNTING,
        citation: FORWARD_CITATION,
      });
      if (E.isLeft(due))
        return E.left({ _tag: 'DeadlineNotComputable', ruleId: 'processor.forwardRequest', path: '', message: due.left.reason });
      deadlines = {
        respond: {
          ruleId: 'processor.forwardRequest',
          dueAt: toLocalIso(due.right.dueAt, zone),
          citation: FORWARD_CITATION,
          explanation: due.right.explanation.text,
        } as DeadlineRecord,
      };
    }
  } else {
    const respond: { a: ApplicableRule; d: RuleDeadline }[] = [];
    const confirm: { a: ApplicableRule; d: RuleDeadline }[] = [];
    for (const a of candidates) {
      const isRespond = isRespondRule(a.rule);
      const isConfirm = a.rule.action === 'AcknowledgeRequest';
      if (!isRespond && !isConfirm) continue;
      const r = resolve(a, receivedAt, policy);
      if (E.isLeft(r)) return r;
      if (r.right === undefined) continue;
      (isRespond ? respond : confirm).push({ a, d: r.right });
    }
    const byDue = (x: { d: RuleDeadline }, y: { d: RuleDeadline }) => x.d.dueAt - y.d.dueAt;
    // A legal or contractual number binds; a bare target ("immediately", LGPD Art. 19, I) only when nothing else does.
    const binding = [...respond].sort(byDue).find((x) => x.d.basis !== 'hostTarget') ?? [...respond].sort(byDue)[0];
    if (binding === undefined)
      return E.left({
        _tag: 'NoApplicableRule',
        jurisdiction: d.jurisdiction,
        requestType: d.requestType,
        path: 'jurisdiction',
        message: 'no request rule of the policy governs this request type in this jurisdiction',
      });
    const firstConfirm = [...confirm].sort(byDue)[0];
    const { extendedDueAt, extensionNoticeBy } = binding.d;
    deadlines = {
      respond: recordOf(binding.a, binding.d, zone),
      ...(firstConfirm === undefined ? {} : { confirmReceipt: recordOf(firstConfirm.a, firstConfirm.d, zone) }),
      ...(extendedDueAt === undefined || extensionNoticeBy === undefined
        ? {}
        : {
            extension: {
              noticeBy: toLocalIso(extensionNoticeBy, zone),
              extendedDueAt: toLocalIso(extendedDueAt, zone),
              ruleId: binding.d.ruleId,
              citation: binding.a.rule.extension?.citation ?? binding.a.rule.citation,
            },
          }),
    } as RequestDeadlines;
    context = frequencyContext(policy, views, candidates, d.subjectId, d.requestType, receivedAt);
    const lookBack = binding.a.rule.lookBack ?? candidates.find((a) => a.rule.lookBack !== undefined)?.rule.lookBack;
    const from = lookBack === undefined ? undefined : minusPeriod(receivedAt, lookBack, zone);
    if (from !== undefined) lookBackFrom = toLocalIso(from, zone);
  }

  return one(
    requestCommand(
      d.requestId,
      {
        type: 'ReceiveRequest',
        data: {
          requestId: d.requestId,
          subjectId: d.subjectId,
          requestType: d.requestType,
          jurisdiction: d.jurisdiction,
          channel: d.channel,
          receivedAt: d.receivedAt,
          role,
          receivedFrom,
          deadlines,
          policyVersion: policy.version,
          context,
          ...(d.authorisedAgent === undefined ? {} : { authorisedAgent: d.authorisedAgent }),
          ...(d.correspondence === undefined ? {} : { correspondence: d.correspondence }),
          ...(d.controllerId === undefined ? {} : { controllerId: d.controllerId }),
          ...(lookBackFrom === undefined ? {} : { lookBackFrom }),
        },
      },
      d.receivedAt,
    ),
  );
};

const knownRequest = (views: Views, requestId: string): Either<IncidentsApiError, RequestEntry> => {
  const entry = requestOf(requestRegisterOf(views), requestId);
  return entry === undefined
    ? E.left({ _tag: 'UnknownRequest', requestId, path: 'requestId', message: 'no request with this id is in the register' })
    : E.right(entry);
};

/** Builds a request command from an input with `requestId` and an `at` instant; checks the request is known. */
const requestStep =
  <A extends { readonly requestId: string; readonly at: string }>(
    codec: t.Type<A, unknown, unknown>,
    build: (input: A, entry: RequestEntry) => Either<IncidentsApiError, { readonly type: string; readonly data: unknown }>,
  ): CommandBuilder =>
  (policy, views, input, at) => {
    const decoded = withInput(policy, codec, input, at, 'at');
    if (E.isLeft(decoded)) return decoded;
    const entry = knownRequest(views, decoded.right.requestId);
    if (E.isLeft(entry)) return entry;
    const command = build(decoded.right, entry.right);
    if (E.isLeft(command)) return command;
    return one(requestCommand(decoded.right.requestId, command.right, decoded.right.at));
  };

const omit = <A extends Record<string, unknown>, K extends string>(a: A, ...keys: K[]): Omit<A, K> => {
  const copy: Record<string, unknown> = { ...a };
  for (const k of keys) delete copy[k];
  return copy as Omit<A, K>;
};

/** Builds `RecordIdentityVerification` (`outcome` defaults to `verified`). Fails with `InvalidInput` or `UnknownRequest`. */
export const verifyIdentity: CommandBuilder = requestStep(
  t.intersection([
    t.type({ requestId: Uuid, at: IsoInstant, method: Identifier }),
    t.partial({ outcome: t.keyof({ verified: null, failed: null }) }),
  ]),
  (i) => E.right({ type: 'RecordIdentityVerification', data: { at: i.at, method: i.method, outcome: i.outcome ?? 'verified' } }),
);

/** Builds `ConfirmReceipt` (11 CCR § 7021(a)). Fails with `InvalidInput` or `UnknownRequest`. */
export const confirmRequestReceipt: CommandBuilder = requestStep(
  t.intersection([t.type({ requestId: Uuid, at: IsoInstant }), t.partial({ channel: RequestChannel })]),
  (i) => E.right({ type: 'ConfirmReceipt', data: omit(i, 'requestId') }),
);

/**
 * Builds `ExtendRequest` (`noticeSentAt` defaults to `at`; `newDueAt` to the maximum the rule
 * allows). Whether the extension is still possible is the decider's call, from the `noticeBy`
 * recorded at receipt (a policy changed since cannot move it): day 44 of a CCPA request extends
 * it to day 90, day 46 is rejected with `ExtensionTooLate`. Fails with `InvalidInput` or `UnknownRequest`.
 */
export const extendRequest: CommandBuilder = requestStep(
  t.intersection([
    t.type({ requestId: Uuid, at: IsoInstant, reason: t.string }),
    t.partial({ noticeSentAt: IsoInstant, newDueAt: IsoInstant }),
  ]),
  (i) =>
    i.reason.trim() === ''
      ? invalid('reason', 'the notice must give the reasons for the delay (GDPR Art. 12(3))')
      : E.right({ type: 'ExtendRequest', data: { ...omit(i, 'requestId'), noticeSentAt: i.noticeSentAt ?? i.at } }),
);

/**
 * Builds `FulfilRequest`, with `identityVerificationRequired` from the request (IS-15, SP-14).
 * For an erasure request the facade also calls the lifecycle area's `requestErasure` builder
 * (`fulfilErasureRequest`). Fails with `InvalidInput` or `UnknownRequest`.
 */
export const fulfilRequest: CommandBuilder = requestStep(
  t.intersection([t.type({ requestId: Uuid, at: IsoInstant, deliveryChannel: DeliveryChannel }), t.partial({ responseSummary: t.string })]),
  (i, entry) =>
    E.right({
      type: 'FulfilRequest',
      data: {
        ...omit(i, 'requestId'),
        context: { identityVerificationRequired: identityVerificationRequired(entry), citation: 'GDPR Art. 12(6); IS-15; SP-14' },
      },
    }),
);

/**
 * The refusal reason codes builders accept: the generic ones, the rulebooks' exceptions as
 * `<rulebook>.<exception>` (`gdpr.legalClaims`, `ccpa.securityAndFraud`, `pipeda.recoursePending`),
 * and host-defined codes starting with `host.`.
 */
export const REFUSAL_REASONS: readonly string[] = [
  'identityUnverifiable',
  'frequencyLimit',
  'technicallyNotSupported',
  'manifestlyUnfounded',
  'excessive',
  'noDataHeld',
  ...Object.keys(gdprErasureExceptions).flatMap((k) => [`gdpr.${k}`, `uk-gdpr.${k}`]),
  ...Object.keys(ccpaDeletionExceptions).map((k) => `ccpa.${k}`),
  ...Object.keys(pipedaRetentionReasons).map((k) => `pipeda.${k}`),
];

/**
 * Builds `RefuseRequest`; each reason must be a code of {@link REFUSAL_REASONS} (or `host.…`).
 * Fails with `InvalidInput` (path `reasons.<i>`) or `UnknownRequest`; the decider rejects an
 * empty list or a refusal without the right to complain notified (GDPR Art. 12(4)).
 */
export const refuseRequest: CommandBuilder = requestStep(
  t.intersection([
    t.type({ requestId: Uuid, at: IsoInstant, reasons: t.array(Identifier), complaintRightNotified: t.boolean }),
    t.partial({ explanation: t.string }),
  ]),
  (i) => {
    const bad = i.reasons.findIndex((r) => !REFUSAL_REASONS.includes(r) && !r.startsWith('host.'));
    return bad >= 0
      ? invalid(`reasons.${bad}`, 'not a known refusal reason code (see REFUSAL_REASONS, or prefix a host code with "host.")')
      : E.right({ type: 'RefuseRequest', data: omit(i, 'requestId') });
  },
);

/** Builds `RecordRequestForwarding` (`controllerId` defaults to the one recorded at receipt). Fails with `InvalidInput` or `UnknownRequest`. */
export const forwardRequest: CommandBuilder = requestStep(
  t.intersection([t.type({ requestId: Uuid, at: IsoInstant }), t.partial({ controllerId: Identifier, subjectInformedAt: IsoInstant })]),
  (i, entry) => {
    const controllerId = i.controllerId ?? entry.controllerId ?? undefined;
    if (controllerId === undefined) return invalid('controllerId', 'required: no controller was recorded with the request');
    return E.right({ type: 'RecordRequestForwarding', data: { ...omit(i, 'requestId'), controllerId } });
  },
);

/** Builds `WithdrawRequest`. Fails with `InvalidInput` or `UnknownRequest`. */
export const withdrawRequest: CommandBuilder = requestStep(t.type({ requestId: Uuid, at: IsoInstant }), (i) =>
  E.right({ type: 'WithdrawRequest', data: { at: i.at } }),
);

// ---------------------------------------------------------------------------------------------
// Breaches
// ---------------------------------------------------------------------------------------------

const knownBreach = (views: Views, breachId: string): Either<IncidentsApiError, BreachEntry> => {
  const entry = breachOf(breachRegisterOf(views), breachId);
  return entry === undefined
    ? E.left({ _tag: 'UnknownBreach', breachId, path: 'breachId', message: 'no breach with this id is in the register' })
    : E.right(entry);
};

type Side = 'controller' | 'processor';
const BreachRoleInput = t.keyof({ controller: null, processor: null });

/**
 * Our roles for the breached data: the input's, else the policy's when it has one role, else
 * those of the duties already recorded. `undefined` when none can be told.
 */
const rolesFor = (policy: PolicyDocument, entry: BreachEntry, given: Side | undefined): ReadonlySet<Side> | undefined => {
  if (given !== undefined) return new Set([given]);
  if (policy.role !== 'both') return new Set([policy.role]);
  const inferred = new Set<Side>();
  for (const ruleId of Object.keys(entry.obligations)) {
    const role = dutyRoleOf(breachRuleById(policy, ruleId));
    if (role !== 'any') inferred.add(role);
  }
  return inferred.size > 0 ? inferred : undefined;
};

const AWARENESS_CLOCKS = new Set(['awareness', 'detection', 'determination', 'discovery', 'discoveryOrNotification']);

interface BreachFacts {
  readonly detectedAt: string;
  readonly awareAt: string | null;
  readonly confirmedAt: string | null;
  readonly assessment: BreachAssessmentFacts | null;
}

/**
 * The deadlines a breach owes and has not recorded yet, given its facts: rules whose clock has
 * started (awareness, or detection, determination and discovery, which Lethe takes at awareness;
 * the later of awareness and confirmation for IS-21-style duties), whose condition the assessment
 * meets (Art. 34: high risk), for our roles. A due instant already past when the duty is recorded
 * at `recordedAt` is moved: a duty that arose with the assessment counts from it; a detection clock
 * that ran out before awareness is due at once. Duties opened by later events (the authority's
 * phases, notices to individuals, year end) are not computed here.
 */
const owedDeadlines = (
  policy: PolicyDocument,
  entry: BreachEntry,
  facts: BreachFacts,
  roles: ReadonlySet<Side>,
  recordedAt: string,
): Either<IncidentsApiError, readonly DeadlineRecord[]> => {
  if (facts.awareAt === null) return E.right([]);
  const zone = policy.calendar.zone;
  const out: DeadlineRecord[] = [];
  for (const a of applicableRules(policy, 'breaches', ms(facts.awareAt))) {
    const rule = a.rule;
    if (entry.obligations[rule.id] !== undefined) continue;
    const role = dutyRoleOf(rule);
    if (role !== 'any' && !roles.has(role)) continue;
    let start: string;
    if (AWARENESS_CLOCKS.has(rule.clockStart)) start = rule.clockStart === 'detection' ? facts.detectedAt : facts.awareAt;
    else if (rule.clockStart === 'awarenessAndConfirmation' && facts.confirmedAt !== null)
      start = ms(facts.confirmedAt) > ms(facts.awareAt) ? facts.confirmedAt : facts.awareAt;
    else continue;
    const conditional = isConditionalOnAssessment(rule);
    if (conditional && !conditionMet(rule, facts.assessment)) continue;
    const r = resolve(a, ms(start), policy);
    if (E.isLeft(r)) return r;
    if (r.right === undefined) continue;
    let record = recordOf(a, r.right, zone);
    if (ms(record.dueAt) < ms(recordedAt)) {
      if (conditional) {
        const again = resolve(a, ms(recordedAt), policy);
        if (E.isLeft(again)) return again;
        if (again.right === undefined) continue;
        record = recordOf(a, again.right, zone, `The duty arose with the assessment of ${recordedAt}; counted from then. `);
      } else {
        record = {
          ...record,
          dueAt: toLocalIso(ms(recordedAt), zone),
          explanation: `${record.explanation} That instant had passed when the duty was recorded (${recordedAt}): due at once.`,
        } as DeadlineRecord;
      }
    }
    out.push(record);
  }
  return E.right(out);
};

const exemptionsFor = (
  policy: PolicyDocument,
  breachId: string,
  ruleIds: readonly string[],
  assessment: BreachAssessmentFacts | null,
  at: string,
): readonly Either<IncidentsApiError, BuiltCommand>[] =>
  ruleIds.flatMap((ruleId) => {
    const exemption = exemptionFromAssessment(breachRuleById(policy, ruleId), assessment);
    return exemption === undefined
      ? []
      : [breachCommand(breachId, { type: 'RecordNotificationExemption', data: { ruleId, ...exemption, at } }, at)];
  });

/** Builds `ReportBreach` (`detectedAt` defaults to `at`). Fails with `InvalidInput`. */
export const reportBreach: CommandBuilder = (policy, _views, input, at) => {
  const decoded = withInput(
    policy,
    t.intersection([t.type({ breachId: Uuid, detectedAt: IsoInstant, summary: t.string }), t.partial({ detectedBy: Identifier })]),
    input,
    at,
    'detectedAt',
  );
  if (E.isLeft(decoded)) return decoded;
  const { breachId, ...data } = decoded.right;
  return one(breachCommand(breachId, { type: 'ReportBreach', data: { breachId, ...data } }, data.detectedAt));
};

/**
 * Builds `EstablishAwareness` with every breach duty in force whose clock starts at awareness
 * (GDPR Art. 33(1) authority 72 hours with the host target; Art. 33(2) or a contract's controller
 * notice, e.g. IN-19 24 hours; LGPD 3 business days; a detection clock, PZ-19), for our role, and
 * the exemptions an earlier assessment gives them. Fails with `InvalidInput`, `UnknownBreach`,
 * `RoleRequired` or `DeadlineNotComputable`.
 */
export const establishAwareness: CommandBuilder = (policy, views, input, at) => {
  const decoded = withInput(
    policy,
    t.intersection([t.type({ breachId: Uuid, awareAt: IsoInstant }), t.partial({ basis: t.string, role: BreachRoleInput })]),
    input,
    at,
    'awareAt',
  );
  if (E.isLeft(decoded)) return decoded;
  const { breachId, awareAt, basis, role } = decoded.right;
  const entry = knownBreach(views, breachId);
  if (E.isLeft(entry)) return entry;
  const roles = rolesFor(policy, entry.right, role);
  if (roles === undefined) return roleRequired('the breached data');
  const deadlines = owedDeadlines(policy, entry.right, { ...entry.right, awareAt }, roles, awareAt);
  if (E.isLeft(deadlines)) return deadlines;
  return all([
    breachCommand(
      breachId,
      { type: 'EstablishAwareness', data: { awareAt, deadlines: deadlines.right, ...(basis === undefined ? {} : { basis }) } },
      awareAt,
    ),
    ...exemptionsFor(policy, breachId, deadlines.right.map((d) => d.ruleId), entry.right.assessment, awareAt),
  ]);
};

/**
 * Builds `ConfirmBreach` with the duties that count from awareness and confirmation (InfluencerSoft
 * IS-21), and the exemptions the latest assessment gives them (IS-22). Fails with `InvalidInput`,
 * `UnknownBreach`, `RoleRequired` or `DeadlineNotComputable`.
 */
export const confirmBreach: CommandBuilder = (policy, views, input, at) => {
  const decoded = withInput(
    policy,
    t.intersection([t.type({ breachId: Uuid, confirmedAt: IsoInstant }), t.partial({ role: BreachRoleInput })]),
    input,
    at,
    'confirmedAt',
  );
  if (E.isLeft(decoded)) return decoded;
  const { breachId, confirmedAt, role } = decoded.right;
  const entry = knownBreach(views, breachId);
  if (E.isLeft(entry)) return entry;
  const roles = rolesFor(policy, entry.right, role);
  if (roles === undefined && entry.right.awareAt !== null)
    return roleRequired('the breached data');
  const deadlines = owedDeadlines(policy, entry.right, { ...entry.right, confirmedAt }, roles ?? new Set(), confirmedAt);
  if (E.isLeft(deadlines)) return deadlines;
  return all([
    breachCommand(breachId, { type: 'ConfirmBreach', data: { confirmedAt, deadlines: deadlines.right } }, confirmedAt),
    ...exemptionsFor(policy, breachId, deadlines.right.map((d) => d.ruleId), entry.right.assessment, confirmedAt),
  ]);
};

const AssessBreachInput = t.intersection([
  t.type({
    breachId: Uuid,
    assessedAt: IsoInstant,
    risk: BreachRisk,
    dataCategories: t.array(Identifier),
    dataSubjectCategories: t.array(Identifier),
    approxSubjects: ApproximateCount,
    approxRecords: ApproximateCount,
    dataUnintelligible: t.boolean,
    nature: BreachNature,
    cause: BreachCause,
    likelyConsequences: t.string,
    measures: t.string,
  }),
  t.partial({ role: BreachRoleInput }),
]);

/**
 * Builds `AssessBreach` with the duties the assessment gives rise to (GDPR Art. 34(1) once the
 * risk is high; thresholds of people affected), then a `RecordNotificationExemption` for each open
 * or new duty the assessment exempts: a cause the contract excludes (IS-22), a threatened breach
 * under an actual-only duty (PZ-26), no risk under Art. 33(1) or a notifiable-under-law duty,
 * unintelligible data under Art. 34(3)(a). Fails with `InvalidInput`, `UnknownBreach`,
 * `RoleRequired` or `DeadlineNotComputable`.
 */
export const assessBreach: CommandBuilder = (policy, views, input, at) => {
  const decoded = withInput(policy, AssessBreachInput, input, at, 'assessedAt');
  if (E.isLeft(decoded)) return decoded;
  const { breachId, role, ...data } = decoded.right;
  const entry = knownBreach(views, breachId);
  if (E.isLeft(entry)) return entry;
  const roles = rolesFor(policy, entry.right, role);
  if (roles === undefined && entry.right.awareAt !== null)
    return roleRequired('the breached data');
  const assessment: BreachAssessmentFacts = {
    assessedAt: data.assessedAt,
    risk: data.risk,
    dataCategories: data.dataCategories,
    dataSubjectCategories: data.dataSubjectCategories,
    approxSubjects: data.approxSubjects,
    approxRecords: data.approxRecords,
    dataUnintelligible: data.dataUnintelligible,
    nature: data.nature,
    cause: data.cause,
  };
  const deadlines = owedDeadlines(policy, entry.right, { ...entry.right, assessment }, roles ?? new Set(), data.assessedAt);
  if (E.isLeft(deadlines)) return deadlines;
  const open = Object.values(entry.right.obligations)
    .filter((o) => o.settled === null)
    .map((o) => o.deadline.ruleId);
  return all([
    breachCommand(
      breachId,
      { type: 'AssessBreach', data: { ...data, ...(deadlines.right.length === 0 ? {} : { deadlines: deadlines.right }) } },
      data.assessedAt,
    ),
    ...exemptionsFor(policy, breachId, [...open, ...deadlines.right.map((d) => d.ruleId)], assessment, data.assessedAt),
  ]);
};

/**
 * The open duties a notice of kind `action` satisfies when the host names none: those of one law
 * (`AmbiguousObligations` when several laws' duties are open: pass `satisfies`); with
 * `earliestOnly`, just the earliest due of them (an initial notice to the ANPD satisfies the
 * 3-day duty, not the 20-day supplement).
 */
const defaultSatisfies = (
  policy: PolicyDocument,
  entry: BreachEntry,
  action: string,
  options: { readonly earliestOnly: boolean; readonly oneLaw: boolean },
): Either<IncidentsApiError, readonly string[]> => {
  const open = Object.values(entry.obligations).filter(
    (o) => o.settled === null && hostCommandOf(breachRuleById(policy, o.deadline.ruleId)) === action,
  );
  const laws = new Set(open.map((o) => rulePrefix(o.deadline.ruleId)));
  if (options.oneLaw && laws.size > 1)
    return E.left({
      _tag: 'AmbiguousObligations',
      action,
      candidates: open.map((o) => o.deadline.ruleId),
      path: 'satisfies',
      message: 'duties of several laws are open: name the rule ids this notice satisfies',
    });
  if (!options.earliestOnly) return E.right(open.map((o) => o.deadline.ruleId));
  const first = [...open].sort((a, b) => ms(a.deadline.dueAt) - ms(b.deadline.dueAt))[0];
  return E.right(first === undefined ? [] : [first.deadline.ruleId]);
};

const notificationBuilder =
  <A extends { readonly breachId: string; readonly at: string; readonly satisfies?: readonly string[] }>(
    codec: t.Type<A, unknown, unknown>,
    type: string,
    action: string,
    options: (input: A) => { readonly earliestOnly: boolean; readonly oneLaw: boolean },
  ): CommandBuilder =>
  (policy, views, input, at) => {
    const decoded = withInput(policy, codec, input, at, 'at');
    if (E.isLeft(decoded)) return decoded;
    const entry = knownBreach(views, decoded.right.breachId);
    if (E.isLeft(entry)) return entry;
    const satisfies =
      decoded.right.satisfies !== undefined
        ? E.right(decoded.right.satisfies)
        : defaultSatisfies(policy, entry.right, action, options(decoded.right));
    if (E.isLeft(satisfies)) return satisfies;
    const { breachId, ...data } = decoded.right;
    return one(breachCommand(breachId, { type, data: { ...data, satisfies: satisfies.right } }, data.at));
  };

/**
 * Builds `RecordAuthorityNotification` (`phase` defaults to `initial`). `satisfies` defaults, for
 * an initial notice, to the earliest open authority duty of the one law with open authority
 * duties; for later phases, to all of them. A notice after the deadline without `delayReasons` is
 * rejected by the decider (GDPR Art. 33(1)). Fails with `InvalidInput`, `UnknownBreach` or
 * `AmbiguousObligations`.
 */
export const recordAuthorityNotification: CommandBuilder = (policy, views, input, at) =>
  notificationBuilder(
    t.intersection([
      t.type({ breachId: Uuid, authorityId: Identifier, phase: NotificationPhase, at: IsoInstant, content: AuthorityNotificationContent }),
      t.partial({ phased: t.type({ reason: t.string }), delayReasons: t.string, reference: Identifier, satisfies: t.array(Identifier) }),
    ]),
    'RecordAuthorityNotification',
    'NotifySupervisoryAuthority',
    (i) => ({ earliestOnly: i.phase === 'initial', oneLaw: true }),
  )(
    policy,
    views,
    typeof input === 'object' && input !== null && (input as Record<string, unknown>)['phase'] === undefined
      ? { ...(input as Record<string, unknown>), phase: 'initial' }
      : input,
    at,
  );

/**
 * Builds `RecordDataSubjectNotification`; `satisfies` defaults to the open subjects' duties of the
 * one law with open ones. Fails with `InvalidInput`, `UnknownBreach` or `AmbiguousObligations`.
 */
export const recordDataSubjectNotification: CommandBuilder = notificationBuilder(
  t.intersection([
    t.type({ breachId: Uuid, at: IsoInstant, channel: Identifier, count: ApproximateCount, content: DataSubjectNotificationContent }),
    t.partial({ delayReasons: t.string, satisfies: t.array(Identifier) }),
  ]),
  'RecordDataSubjectNotification',
  'NotifyDataSubjects',
  () => ({ earliestOnly: false, oneLaw: true }),
);

/**
 * Builds `RecordPublicCommunication` (GDPR Art. 34(3)(c)); `satisfies` defaults like
 * {@link recordDataSubjectNotification}. Fails with `InvalidInput`, `UnknownBreach` or `AmbiguousObligations`.
 */
export const recordPublicCommunication: CommandBuilder = notificationBuilder(
  t.intersection([
    t.type({ breachId: Uuid, at: IsoInstant, medium: Identifier, reason: PublicCommunicationReason }),
    t.partial({ delayReasons: t.string, satisfies: t.array(Identifier) }),
  ]),
  'RecordPublicCommunication',
  'NotifyDataSubjects',
  () => ({ earliestOnly: false, oneLaw: true }),
);

/**
 * Builds `RecordControllerNotification`; `satisfies` defaults to every open duty to notify the
 * controller (Art. 33(2) and the contract's). Fails with `InvalidInput` or `UnknownBreach`.
 */
export const recordControllerNotification: CommandBuilder = notificationBuilder(
  t.intersection([
    t.type({ breachId: Uuid, controllerId: Identifier, at: IsoInstant, content: ControllerNotificationContent }),
    t.partial({ phase: NotificationPhase, delayReasons: t.string, satisfies: t.array(Identifier) }),
  ]),
  'RecordControllerNotification',
  'NotifyController',
  () => ({ earliestOnly: false, oneLaw: false }),
);

const breachStep =
  <A extends { readonly breachId: string; readonly at: string }>(codec: t.Type<A, unknown, unknown>, type: string): CommandBuilder =>
  (policy, views, input, at) => {
    const decoded = withInput(policy, codec, input, at, 'at');
    if (E.isLeft(decoded)) return decoded;
    const entry = knownBreach(views, decoded.right.breachId);
    if (E.isLeft(entry)) return entry;
    const { breachId, ...data } = decoded.right;
    return one(breachCommand(breachId, { type, data }, data.at));
  };

/**
 * Builds `RecordNotificationExemption`: a duty does not apply, with the exemption code (a rule's,
 * e.g. `disproportionateEffort`, which asks for a public communication) and the reasoning. Fails
 * with `InvalidInput` or `UnknownBreach`.
 */
export const recordExemption: CommandBuilder = breachStep(
  t.type({ breachId: Uuid, ruleId: Identifier, exemption: Identifier, reasoning: t.string, at: IsoInstant }),
  'RecordNotificationExemption',
);

/** Builds `JustifyDelay` (GDPR Art. 33(1) reasons for a delay). Fails with `InvalidInput` or `UnknownBreach`. */
export const justifyDelay: CommandBuilder = breachStep(
  t.type({ breachId: Uuid, ruleId: Identifier, reasons: t.string, at: IsoInstant }),
  'JustifyDelay',
);

/** Builds `RecordContainment`. Fails with `InvalidInput` or `UnknownBreach`. */
export const recordContainment: CommandBuilder = breachStep(t.type({ breachId: Uuid, at: IsoInstant }), 'RecordContainment');

/** Builds `CloseBreach`; the decider refuses while duties are open. Fails with `InvalidInput` or `UnknownBreach`. */
export const closeBreach: CommandBuilder = breachStep(t.type({ breachId: Uuid, at: IsoInstant }), 'CloseBreach');

// ---------------------------------------------------------------------------------------------
// Sub-processors
// ---------------------------------------------------------------------------------------------

const processorStep =
  <A extends { readonly registerId: string; readonly at: string }>(
    codec: t.Type<A, unknown, unknown>,
    build: (input: Omit<A, 'registerId'>, policy: PolicyDocument) => { readonly type: string; readonly data: unknown },
  ): CommandBuilder =>
  (policy, _views, input, at) => {
    const decoded = withInput(policy, codec, input, at, 'at');
    if (E.isLeft(decoded)) return decoded;
    const { registerId, ...rest } = decoded.right;
    return one(processorCommand(registerId, build(rest as Omit<A, 'registerId'>, policy), decoded.right.at));
  };

/**
 * Builds `AddSubProcessor`: with `customersNotifiedAt`, the objection window from the policy
 * (`processors.objectionWindow`, CF-11: 10 calendar days) counted from that notice; where the
 * policy requires notice in advance (`processors.changeNoticeInAdvance`, PZ-23), the context that
 * makes the decider refuse an addition without a prior notice. Fails with `InvalidInput`.
 */
export const addSubProcessor: CommandBuilder = processorStep(
  t.intersection([
    t.type({
      registerId: Uuid,
      subProcessorId: Identifier,
      name: t.string,
      location: Identifier,
      purposes: t.array(Identifier),
      dataCategories: t.array(Identifier),
      at: IsoInstant,
    }),
    t.partial({ transferMechanism: t.string, customersNotifiedAt: IsoInstant }),
  ]),
  (i, policy) => {
    const window = i.customersNotifiedAt === undefined ? undefined : objectionWindowFor(policy, i.customersNotifiedAt);
    const advance = policy.processors?.changeNoticeInAdvance;
    return {
      type: 'AddSubProcessor',
      data: {
        ...i,
        ...(window === undefined ? {} : { objectionWindow: asObjectionWindow(window) }),
        ...(advance === undefined
          ? {}
          : { context: { priorCustomerNotice: { citation: policy.processors?.citation ?? 'GDPR Art. 28(2)' } } }),
      },
    };
  },
);

/** Builds `RecordSubProcessorChangeNotice`; a notice of an addition opens the policy's objection window from its instant. Fails with `InvalidInput`. */
export const recordSubProcessorChangeNotice: CommandBuilder = processorStep(
  t.type({ registerId: Uuid, subProcessorId: Identifier, change: SubProcessorChange, at: IsoInstant }),
  (i, policy) => {
    const window = i.change === 'added' ? objectionWindowFor(policy, i.at) : undefined;
    return {
      type: 'RecordSubProcessorChangeNotice',
      data: { ...i, ...(window === undefined ? {} : { objectionWindow: asObjectionWindow(window) }) },
    };
  },
);

/** Builds `RecordSubProcessorObjection`; the decider refuses one after the window closed (CF-11). Fails with `InvalidInput`. */
export const recordSubProcessorObjection: CommandBuilder = processorStep(
  t.type({
    registerId: Uuid,
    objectionId: Identifier,
    subProcessorId: Identifier,
    customerId: Identifier,
    grounds: t.string,
    dataProtectionGrounds: t.boolean,
    at: IsoInstant,
  }),
  (i) => ({ type: 'RecordSubProcessorObjection', data: i }),
);

/** Builds `RemoveSubProcessor`. Fails with `InvalidInput`. */
export const removeSubProcessor: CommandBuilder = processorStep(
  t.type({ registerId: Uuid, subProcessorId: Identifier, at: IsoInstant }),
  (i) => ({ type: 'RemoveSubProcessor', data: i }),
);

/** Builds `ResolveSubProcessorObjection`. Fails with `InvalidInput`. */
export const resolveSubProcessorObjection: CommandBuilder = processorStep(
  t.intersection([
    t.type({ registerId: Uuid, objectionId: Identifier, outcome: ObjectionOutcome, at: IsoInstant }),
    t.partial({ note: t.string }),
  ]),
  (i) => ({ type: 'ResolveSubProcessorObjection', data: i }),
);

/**
 * Builds `ReceiveAuthorityDemand`: an authority (law enforcement, a court, a supervisory
 * authority) demanded disclosure of a controller's data (CF-18, IS-12, IS-23). `receivedAt`
 * defaults to the call's instant; `notificationProhibited` records that the law forbids telling
 * the controller (then no `ForwardAuthorityDemandToController` follows). Identifiers only: the
 * demand's content stays with the host. Fails with `InvalidInput`.
 */
export const receiveAuthorityDemand: CommandBuilder = (policy, _views, input, at) => {
  const decoded = withInput(
    policy,
    t.intersection([
      t.type({
        registerId: Uuid,
        demandId: Identifier,
        authority: Identifier,
        controllerId: Identifier,
        kind: AuthorityDemandKind,
        receivedAt: IsoInstant,
        notificationProhibited: t.boolean,
      }),
      t.partial({ reference: Identifier, prohibitionBasis: t.string }),
    ]),
    input,
    at,
    'receivedAt',
  );
  if (E.isLeft(decoded)) return decoded;
  const { registerId, ...data } = decoded.right;
  return one(processorCommand(registerId, { type: 'ReceiveAuthorityDemand', data }, data.receivedAt));
};

/**
 * Builds `RecordAuthorityDemandForwarding`: the controller was told of the demand and given a copy
 * (CF-18). The decider refuses an unknown demand and one whose notification the law prohibits;
 * recording it again is a no-op. Fails with `InvalidInput`.
 */
export const recordAuthorityDemandForwarding: CommandBuilder = processorStep(
  t.type({ registerId: Uuid, demandId: Identifier, at: IsoInstant }),
  (i) => ({ type: 'RecordAuthorityDemandForwarding', data: i }),
);

// ---------------------------------------------------------------------------------------------
// Policy versions
// ---------------------------------------------------------------------------------------------

/**
 * Builds `PublishPolicyVersion` on the stream of the policy document (`policyId`, default
 * `policyStreamId(<the policy's controller name>)`): `version` and `effectiveFrom` default to the
 * policy document Lethe runs (so `{ meaningfullyReducesRights: false }` records the version in
 * force), `publishedAt` to the call's instant. `summary` describes the change for users and must
 * not carry personal data. The decider refuses a version published before with different data and
 * one taking effect before the latest. Fails with `InvalidInput`.
 */
export const publishPolicyVersion: CommandBuilder = (policy, _views, input, at) => {
  const given = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
  const filled =
    given === undefined
      ? input
      : {
          ...given,
          policyId: given['policyId'] ?? policyStreamId(policy.controller.name),
          version: given['version'] ?? policy.version,
          effectiveFrom: given['effectiveFrom'] ?? policy.effectiveFrom,
        };
  const decoded = withInput(
    policy,
    t.intersection([
      t.type({
        policyId: Uuid,
        version: Identifier,
        effectiveFrom: IsoInstant,
        publishedAt: IsoInstant,
        meaningfullyReducesRights: t.boolean,
      }),
      t.partial({ summary: t.string }),
    ]),
    filled,
    at,
    'publishedAt',
  );
  if (E.isLeft(decoded)) return decoded;
  const { policyId, ...data } = decoded.right;
  return one(policyCommand(policyId, { type: 'PublishPolicyVersion', data }, data.publishedAt));
};

// ---------------------------------------------------------------------------------------------
// The area
// ---------------------------------------------------------------------------------------------

/**
 * The requests, breaches and sub-processors area: the three registers (`requestRegister`,
 * `breachRegister`, `processorRegister`), the reactions `requestDuties`, `breachDuties`,
 * `subProcessorChanges` and `policyChangeNotices`, and the timer handlers `requestObligationOverdue` and
 * `breachObligationOverdue`. Its reactions emit host commands only (see `incidentCommands.ts`),
 * so it has no internal commands: exemptions and other model commands come from the builders.
 */
export const incidentsArea: DomainArea = {
  projections: { requestRegister, breachRegister, processorRegister },
  reactions: (policy) => ({
    ...requestReactions(policy),
    ...breachReactions(policy),
    ...processorReactions(policy),
    ...policyVersionReactions(policy),
  }),
  timerHandlers: (policy) => ({ ...requestTimerHandlers(policy), ...breachTimerHandlers(policy) }),
  internalCommands: {},
};

/** Every builder of the area by API name, for a facade that dispatches by name. */
export const incidentBuilders = {
  receiveRequest,
  verifyIdentity,
  confirmRequestReceipt,
  extendRequest,
  fulfilRequest,
  refuseRequest,
  forwardRequest,
  withdrawRequest,
  reportBreach,
  establishAwareness,
  confirmBreach,
  assessBreach,
  recordAuthorityNotification,
  recordDataSubjectNotification,
  recordPublicCommunication,
  recordControllerNotification,
  recordExemption,
  justifyDelay,
  recordContainment,
  closeBreach,
  addSubProcessor,
  recordSubProcessorChangeNotice,
  recordSubProcessorObjection,
  removeSubProcessor,
  resolveSubProcessorObjection,
  receiveAuthorityDemand,
  recordAuthorityDemandForwarding,
  publishPolicyVersion,
} as const satisfies Readonly<Record<string, CommandBuilder>>;
