/**
 * The shape every domain area plugs into the Lethe facade with: its projections, its reactions and
 * timer handlers for a policy, and the model commands its reactions emit for Lethe's own streams
 * (routed back to the stream kind that executes them, through the outbox, with deterministic ids).
 *
 * @module
 */
import type { LetheEvent, Projection, Reaction, TimerHandler } from '../engine/index.js';
import type { PolicyDocument } from '../policy/index.js';
import type { LetheStreamKind } from '../model/shared.js';

/** The projections' current states by projection name, as reactions and timer handlers see them. */
export type Views = Readonly<Record<string, unknown>>;

/** A domain area: what it adds to the engine. Projection and reaction names are unique across areas. */
export interface DomainArea {
  /** Pure folds over the feed, by name; their states are the views. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly projections: Readonly<Record<string, Projection<any, LetheEvent>>>;
  /** Returns the area's reactions for a policy, by name (the name keys checkpoints and command ids). */
  readonly reactions: (policy: PolicyDocument) => Readonly<Record<string, Reaction<LetheEvent, Views>>>;
  /** Returns the area's timer handlers for a policy, by name. */
  readonly timerHandlers: (policy: PolicyDocument) => Readonly<Record<string, TimerHandler<Views>>>;
  /** Model command types the reactions emit for Lethe's own streams, with the kind that executes each. */
  readonly internalCommands: Readonly<Record<string, LetheStreamKind>>;
}
