/**
 * The engine's errors: values with a `_tag`, returned in `Either`, never thrown. None of them
 * carries a payload value (which may be personal data): only stream names (which never carry
 * personal data), paths, revisions and tags.
 *
 * @module
 */
import type { StoreError } from '../store/port.js';

/**
 * An event failed its codec: on the way in (`direction: 'append'`, `index` of the event the
 * decider or a reaction produced) or on the way out (`direction: 'read'`, `revision` of the
 * stored event). `part` says whether the payload or the metadata failed.
 */
export interface InvalidEvent {
  readonly _tag: 'InvalidEvent';
  readonly stream: string;
  readonly direction: 'append' | 'read';
  readonly part: 'event' | 'metadata';
  /** Dotted path of the first failure, e.g. `data.purpose`. */
  readonly path: string;
  readonly paths: readonly string[];
  readonly index?: number;
  readonly revision?: bigint;
}

/** The decider refused the command; `rejection` is its typed reason. */
export interface Rejected<R> {
  readonly _tag: 'Rejected';
  readonly stream: string;
  readonly rejection: R;
}

/** The stream kept changing between read and append, `attempts` times in a row. */
export interface ConcurrencyConflict {
  readonly _tag: 'ConcurrencyConflict';
  readonly stream: string;
  readonly attempts: number;
}

/** The command request itself is malformed (`path` names the field: `occurredAt`, `actor`, `commandId`, `kind`). */
export interface InvalidCommand {
  readonly _tag: 'InvalidCommand';
  readonly path: string;
  readonly reason: string;
}

/** The stream kind's `streamName` did not return `lethe.<kind>-<uuid>` (the name is not echoed). */
export interface InvalidStreamName {
  readonly _tag: 'InvalidStreamName';
  readonly kind: string;
}

/** No stream kind is registered under `kind`. */
export interface UnknownStreamKind {
  readonly _tag: 'UnknownStreamKind';
  readonly kind: string;
}

/** Host code (a decider, projection, reaction, timer handler or `streamName`) threw; `error` is what it threw. */
export interface HostCodeFailed {
  readonly _tag: 'HostCodeFailed';
  /** Which piece of host code: `decider:<kind>`, `projection:<name>`, `reaction:<name>`, `timer:<handler>`, ... */
  readonly source: string;
  readonly error: unknown;
}

/** What `execute` can fail with. */
export type CommandError<R> =
  | Rejected<R>
  | InvalidEvent
  | ConcurrencyConflict
  | InvalidCommand
  | InvalidStreamName
  | UnknownStreamKind
  | HostCodeFailed
  | StoreError;

/** A reaction asked for a timer whose handler is not registered, or emitted a malformed command. */
export interface InvalidEffect {
  readonly _tag: 'InvalidEffect';
  readonly source: string;
  readonly path: string;
  readonly reason: string;
}

/** The engine's configuration is unusable: `path` names the offending entry. */
export interface InvalidConfiguration {
  readonly _tag: 'InvalidConfiguration';
  readonly path: string;
  readonly reason: string;
}

/** What catching up, ticking and dispatching can fail with. */
export type ProcessingError = InvalidEvent | HostCodeFailed | InvalidEffect | StoreError;
