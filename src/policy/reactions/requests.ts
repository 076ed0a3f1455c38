/**
 * Request reactions: from the recorded request events to the host's commands and the timers that
 * catch a missed deadline. Deadlines were computed once by the command builder at receipt and are
 * read from the event and the request register, never recomputed.
 *
 * - `RequestReceived`: as processor for a request the data subject sent us, `ForwardRequestToController`
 *   (GDPR Art. 28(3)(e); IS-13, PZ-28); otherwise `RespondToRequest`, `ConfirmRequestReceipt` where
 *   the rule has a confirmation duty (11 CCR § 7021(a)), and for access and portability requests
 *   that need no identity check `ExportSubjectData`. Timers one millisecond after each due instant.
 * - `IdentityVerified` (first time): `ExportSubjectData` for access and portability (IS-15: no
 *   export before the identity is verified).
 * - `RequestExtended`, `RequestClockRestarted`: the respond timer moves to the new due instant.
 * - `ReceiptConfirmed`, and every closing event: the timers they settle are cancelled.
 *
 * Export alerts (Personizely PZ-16: "Notifications and alerts have been set up to notify the CEO
 * and DPO whenever Client or customer's data is being exported"): where the policy sets the
 * string parameter `parameters.exportAlertRoles` (roles separated by commas, e.g. `"CEO,DPO"`),
 * every `ExportSubjectData` is followed by an `AlertDataExported` to those roles at the same
 * instant (the business time of the event that asks for the export), citing the parameter's
 * `citation` (else `policy <version>: parameters.exportAlertRoles`). Without it (or with no role
 * in it) no alert is emitted. A parameter stands in for a field the policy codec does not have
 * yet; a `requests.exportAlerts` field would be checked by the codec.
 *
 * Erasure requests get a `RespondToRequest` only: starting the erasure of the subject's categories
 * is the lifecycle area's (the facade's `fulfilErasureRequest` calls its `requestErasure` builder).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { EmittedCommand, LetheEvent, Reaction, ReactionResult, TimerHandler, TimerRequest } from '../../engine/index.js';
import type { RequestEvent, RequestType } from '../../model/request/index.js';
import type { RequestEntry } from '../../projections/requestRegister.js';
import { requestOf, requestRegisterOf } from '../../projections/requestRegister.js';
import { applicableRules } from '../applicable.js';
import type { PolicyDocument } from '../document.js';
import type { DeadlineRule } from '../rule.js';
import { findRule } from '../rulebooks/index.js';
import type { ExportContent } from './incidentCommands.js';

/** The views reactions and timer handlers see: projection states by name. */
type Views = Readonly<Record<string, unknown>>;

/** The name of the request reaction (it keys its checkpoint and command ids: never rename it). */
export const REQUEST_REACTION = 'requestDuties';
/** The name of the timer handler that reports a missed request duty. */
export const REQUEST_OVERDUE_HANDLER = 'requestObligationOverdue';

/** The request duties a timer watches. */
export type RequestDuty = 'respond' | 'forward' | 'confirmReceipt';

/** Returns the timer key of a request duty: `request:<requestId>:<duty>` (ids only, never personal data). */
export const requestTimerKey = (requestId: string, duty: 'respond' | 'confirmReceipt'): string => `request:${requestId}:${duty}`;

/** True when we are processor and the data subject wrote to us: the request must be forwarded (GDPR Art. 28(3)(e)). */
export const mustForward = (entry: Pick<RequestEntry, 'role' | 'receivedFrom'>): boolean =>
  entry.role === 'processor' && entry.receivedFrom === 'dataSubject';

/**
 * Whether the request may be fulfilled only after the identity is verified (GDPR Art. 12(6);
 * IS-15, SP-14): yes for a request from the data subject, except an opt-out of sale, which need
 * not be verifiable (11 CCR § 7026(d)); no for a request the controller relayed to us (it checked).
 */
export const identityVerificationRequired = (entry: Pick<RequestEntry, 'receivedFrom' | 'requestType'>): boolean =>
  entry.receivedFrom === 'dataSubject' && entry.requestType !== 'optOutOfSale';

const EXPORT_TYPES: ReadonlySet<RequestType> = new Set<RequestType>(['access', 'portability']);

/**
 * What an access or portability answer must contain: the data, categories, sources, recipients
 * and purposes (GDPR Art. 15(1); IS-16), the retention periods (Art. 15(1)(d)), and under the CCPA
 * the categories sold or disclosed (SP-12).
 */
export const exportContentFor = (entry: Pick<RequestEntry, 'respond'>): readonly ExportContent[] => [
  'personalData',
  'categories',
  'sources',
  'recipients',
  'purposes',
  'retentionPeriods',
  ...(entry.respond.ruleId.startsWith('ccpa.') ? (['categoriesSoldOrDisclosed'] as const) : []),
];

/** Returns the request rule with this id in force under the policy, else a built-in one, else undefined. */
export const requestRuleById = (policy: PolicyDocument, ruleId: string): DeadlineRule | undefined => {
  const inForce = applicableRules(policy, 'requests').find((a) => a.rule.id === ruleId);
  if (inForce !== undefined) return inForce.rule;
  const builtIn = findRule(ruleId);
  return E.isRight(builtIn) ? builtIn.right : undefined;
};

const overdueAt = (dueAt: string): number => Date.parse(dueAt) + 1;

const exportCommand = (entry: RequestEntry): EmittedCommand => ({
  type: 'ExportSubjectData',
  data: {
    requestId: entry.requestId,
    subjectId: entry.subjectId,
    requestType: entry.requestType,
    windowTo: entry.receivedAt,
    ...(entry.lookBackFrom === null ? {} : { windowFrom: entry.lookBackFrom }),
    mustInclude: [...exportContentFor(entry)],
    format: entry.requestType === 'portability' ? 'machineReadable' : 'common',
    dueAt: entry.dueAt,
    citation: entry.respond.citation,
  },
});

/** The name of the policy parameter that lists the roles alerted of every export (PZ-16). */
export const EXPORT_ALERT_ROLES_PARAMETER = 'exportAlertRoles';

/** Returns the roles the policy alerts of every export (`parameters.exportAlertRoles`, comma-separated), empty when none. */
export const exportAlertRolesOf = (policy: PolicyDocument): readonly string[] => {
  const value = policy.parameters?.[EXPORT_ALERT_ROLES_PARAMETER]?.value;
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r.length > 0 && r.length <= 200);
};

/** The export command, followed by its alert where the policy asks for one (PZ-16). */
const exportCommands = (policy: PolicyDocument, entry: RequestEntry, at: string): EmittedCommand[] => {
  const roles = exportAlertRolesOf(policy);
  if (roles.length === 0) return [exportCommand(entry)];
  return [
    exportCommand(entry),
    {
      type: 'AlertDataExported',
      data: {
        requestId: entry.requestId,
        subjectId: entry.subjectId,
        requestType: entry.requestType,
        roles: [...roles],
        at,
        citation:
          policy.parameters?.[EXPORT_ALERT_ROLES_PARAMETER]?.citation ?? `policy ${policy.version}: parameters.${EXPORT_ALERT_ROLES_PARAMETER}`,
      },
    },
  ];
};

const respondTimer = (entry: RequestEntry, dueAt: string): TimerRequest => ({
  key: requestTimerKey(entry.requestId, 'respond'),
  at: overdueAt(dueAt),
  handler: REQUEST_OVERDUE_HANDLER,
  payload: { requestId: entry.requestId, duty: mustForward(entry) ? 'forward' : 'respond' },
});

const confirmTimer = (entry: RequestEntry): TimerRequest[] =>
  entry.confirmReceipt === null || entry.receiptConfirmedAt !== null
    ? []
    : [
        {
          key: requestTimerKey(entry.requestId, 'confirmReceipt'),
          at: overdueAt(entry.confirmReceipt.dueAt),
          handler: REQUEST_OVERDUE_HANDLER,
          payload: { requestId: entry.requestId, duty: 'confirmReceipt' },
        },
      ];

const onReceived = (policy: PolicyDocument, entry: RequestEntry, at: string): ReactionResult => {
  if (mustForward(entry))
    return {
      commands: [
        {
          type: 'ForwardRequestToController',
          data: {
            requestId: entry.requestId,
            subjectId: entry.subjectId,
            requestType: entry.requestType,
            dueAt: entry.respond.dueAt,
            deadline: { ...entry.respond },
            // PZ-28: "The Processor may inform the data subject that the Controller has been notified".
            mayInformSubject: true,
            ...(entry.controllerId === null ? {} : { controllerId: entry.controllerId }),
          },
        },
      ],
      timers: [respondTimer(entry, entry.dueAt)],
    };
  const commands: EmittedCommand[] = [];
  if (entry.confirmReceipt !== null)
    commands.push({
      type: 'ConfirmRequestReceipt',
      data: {
        requestId: entry.requestId,
        subjectId: entry.subjectId,
        deadline: { ...entry.confirmReceipt },
        dueAt: entry.confirmReceipt.dueAt,
      },
    });
  const allowance = entry.extensionAllowance;
  commands.push({
    type: 'RespondToRequest',
    data: {
      requestId: entry.requestId,
      subjectId: entry.subjectId,
      requestType: entry.requestType,
      jurisdiction: entry.jurisdiction,
      dueAt: entry.dueAt,
      deadline: { ...entry.respond },
      identityVerificationRequired: identityVerificationRequired(entry),
      ...(allowance === null
        ? {}
        : { extension: { noticeBy: allowance.noticeBy, extendedDueAt: allowance.extendedDueAt, citation: allowance.citation } }),
      ...(entry.confirmReceipt === null ? {} : { confirmReceiptBy: entry.confirmReceipt.dueAt }),
    },
  });
  if (EXPORT_TYPES.has(entry.requestType) && !identityVerificationRequired(entry)) commands.push(...exportCommands(policy, entry, at));
  return { commands, timers: [respondTimer(entry, entry.dueAt), ...confirmTimer(entry)] };
};

const closingTimers = (requestId: string): ReactionResult => ({
  cancelTimers: [requestTimerKey(requestId, 'respond'), requestTimerKey(requestId, 'confirmReceipt')],
});

/** Returns the request reaction for a policy, keyed by {@link REQUEST_REACTION}. */
export const requestReactions = (policy: PolicyDocument): Readonly<Record<string, Reaction<LetheEvent, Views>>> => ({
  [REQUEST_REACTION]: {
    react: (event, { views }) => {
      if (event.kind !== 'request') return {};
      const domain = event.event as RequestEvent;
      const requestId = event.streamName.slice('lethe.request-'.length);
      const entry = requestOf(requestRegisterOf(views), requestId);
      if (entry === undefined) return {};
      switch (domain.type) {
        case 'RequestReceived':
          return onReceived(policy, entry, event.metadata.occurredAt);
        case 'IdentityVerified':
          // Only the first verification exports, and only while the request is open (IS-15).
          return entry.status === 'open' &&
            EXPORT_TYPES.has(entry.requestType) &&
            identityVerificationRequired(entry) &&
            !mustForward(entry) &&
            entry.verifiedAt === domain.data.at
            ? { commands: exportCommands(policy, entry, event.metadata.occurredAt) }
            : {};
        case 'RequestClockRestarted':
          return entry.status === 'open' ? { timers: [respondTimer(entry, entry.dueAt), ...confirmTimer(entry)] } : {};
        case 'RequestExtended':
          return entry.status === 'open' ? { timers: [respondTimer(entry, domain.data.newDueAt)] } : {};
        case 'ReceiptConfirmed':
          return { cancelTimers: [requestTimerKey(requestId, 'confirmReceipt')] };
        case 'RequestFulfilled':
        case 'RequestRefused':
        case 'RequestForwardedToController':
        case 'RequestWithdrawn':
          return closingTimers(requestId);
        default:
          return {};
      }
    },
  },
});

/** Returns the request timer handlers for a policy, keyed by {@link REQUEST_OVERDUE_HANDLER}. */
export const requestTimerHandlers = (policy: PolicyDocument): Readonly<Record<string, TimerHandler<Views>>> => ({
  [REQUEST_OVERDUE_HANDLER]: (timer, { views }) => {
    const payload = timer.payload as { requestId?: unknown; duty?: unknown } | undefined;
    if (typeof payload?.requestId !== 'string') return {};
    const entry = requestOf(requestRegisterOf(views), payload.requestId);
    // A closed request settles every duty, the receipt confirmation included (the answer went out).
    if (entry === undefined || entry.status !== 'open') return {};
    const duty: RequestDuty = payload.duty === 'confirmReceipt' ? 'confirmReceipt' : mustForward(entry) ? 'forward' : 'respond';
    if (duty === 'confirmReceipt') {
      const deadline = entry.confirmReceipt;
      if (deadline === null || entry.receiptConfirmedAt !== null || overdueAt(deadline.dueAt) > timer.at) return {};
      return {
        commands: [
          {
            type: 'ObligationOverdue',
            data: {
              entity: { kind: 'request', id: entry.requestId },
              ruleId: deadline.ruleId,
              dueAt: deadline.dueAt,
              citation: deadline.citation,
              explanation: deadline.explanation,
              lateNoticeNeedsReasons: false,
              duty: 'ConfirmRequestReceipt',
            },
          },
        ],
      };
    }
    // A stale timer (the request was extended past it) never reports.
    if (overdueAt(entry.dueAt) > timer.at) return {};
    const extended = entry.extended;
    const ruleId = extended === null ? entry.respond.ruleId : (entry.extensionAllowance?.ruleId ?? entry.respond.ruleId);
    const consequence = requestRuleById(policy, ruleId)?.onMissed.consequence;
    return {
      commands: [
        {
          type: 'ObligationOverdue',
          data: {
            entity: { kind: 'request', id: entry.requestId },
            ruleId,
            dueAt: entry.dueAt,
            citation: extended === null ? entry.respond.citation : (entry.extensionAllowance?.citation ?? entry.respond.citation),
            explanation:
              extended === null
                ? entry.respond.explanation
                : `${entry.respond.explanation} Extended on ${extended.at} (notice sent ${extended.noticeSentAt}); due ${extended.newDueAt}.`,
            lateNoticeNeedsReasons: false,
            duty: duty === 'forward' ? 'ForwardRequestToController' : 'RespondToRequest',
            ...(consequence === undefined ? {} : { consequence }),
          },
        },
      ],
    };
  },
});
