/**
 * From an erasure request to the erasure itself. The request (src/model/request) and the retention
 * clocks (src/model/retention) are separate streams; this reaction joins them:
 *
 * - we are controller and the data subject asked: once the identity is verified (GDPR Art. 12(6);
 *   IS-15, SP-14: no erasure on an unverified request), request the erasure of every category we
 *   hold for the subject;
 * - the controller instructed us (we are processor, the request came from the controller, e.g.
 *   Instaply IN-15): act on receipt, the controller verified the subject;
 * - we are processor and the data subject asked us directly: nothing here (the request is
 *   forwarded to the controller, IS-13, PZ-28).
 *
 * The erasure is requested through the lifecycle area's `requestErasure` builder, so its
 * completion deadline, approvals, restriction while pending and legal-hold check are exactly those
 * of an erasure the host asks for: under a legal hold the builder refuses and nothing is emitted
 * (the retention clocks show the erasure suspended). Answering the request stays the host's act
 * (`fulfilRequest` once `EraseSubjectData` is done), because only the host knows the rows are gone.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { EmittedCommand, LetheEvent, Reaction } from '../engine/index.js';
import type { DomainArea, Views } from './area.js';
import { requestErasure } from './lifecycle.js';
import { requestOf, requestRegisterOf } from '../projections/requestRegister.js';
import type { PolicyDocument } from '../policy/document.js';

const REQUEST_PREFIX = 'lethe.request-';

/** Returns the commands that start the erasure a verified (or controller-instructed) erasure request asks for. */
export const erasureForRequest = (policy: PolicyDocument, event: LetheEvent, views: Views): readonly EmittedCommand[] => {
  if (!event.streamName.startsWith(REQUEST_PREFIX)) return [];
  const type = event.event.type;
  if (type !== 'RequestReceived' && type !== 'IdentityVerified') return [];
  const entry = requestOf(requestRegisterOf(views), event.streamName.slice(REQUEST_PREFIX.length));
  if (entry === undefined || entry.requestType !== 'erasure') return [];
  const instructedByController = entry.receivedFrom === 'controller';
  const actNow =
    type === 'RequestReceived'
      ? instructedByController
      : !instructedByController && entry.role === 'controller' && entry.identity === 'verified';
  if (!actNow) return [];
  const at = event.metadata.occurredAt;
  const built = requestErasure(policy, views, { subjectId: entry.subjectId, reason: 'subjectRequest', requestedAt: at }, Date.parse(at));
  if (E.isLeft(built)) return [];
  return built.right.map((request) => ({
    type: (request.command as { readonly type: string }).type,
    data: (request.command as { readonly data: EmittedCommand['data'] }).data,
    occurredAt: at,
  }));
};

/** Returns the reaction that turns erasure requests into erasures (see the module doc). */
export const erasureRequestReactions = (policy: PolicyDocument): Readonly<Record<string, Reaction<LetheEvent, Views>>> => ({
  erasureRequests: { react: (event, { views }) => ({ commands: erasureForRequest(policy, event, views) }) },
});

/** The area joining requests to erasure: one reaction, no projections or timers of its own. */
export const erasureRequestsArea: DomainArea = {
  projections: {},
  reactions: erasureRequestReactions,
  timerHandlers: () => ({}),
  internalCommands: {},
};
