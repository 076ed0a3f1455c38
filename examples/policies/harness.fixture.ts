/**
 * Runs a policy timeline (the format of `<name>.timeline.json`, also read by the CLI) through
 * `createLethe` on the in-memory store with a simulated clock, recording every host command the
 * engine emits with a handler for each of `hostCommandTypes`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import { createLethe, hostCommandTypes, simulatedClock } from '../../src/index.js';
import type { CommandHandler, Lethe, OutboxCommand } from '../../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** One entry of a timeline file: a facade call at an instant, or a tick. */
export type TimelineStep =
  | { readonly at: string; readonly call: string; readonly input: unknown }
  | { readonly at: string; readonly tick: true };

/** Reads `examples/policies/<file>` as JSON. */
export const readJson = (file: string): unknown => JSON.parse(readFileSync(join(here, file), 'utf8'));

/** The policy document `<name>.policy.json`. */
export const policyOf = (name: string): Record<string, unknown> => readJson(`${name}.policy.json`) as Record<string, unknown>;

/** The timeline `<name>.timeline.json`. */
export const timelineOf = (name: string): readonly TimelineStep[] => readJson(`${name}.timeline.json`) as TimelineStep[];

const json = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x));

/** A running policy: the facade, every host command so far, and the steps to drive it. */
export interface Run {
  readonly lethe: Lethe;
  readonly commands: OutboxCommand[];
  /** Runs the steps in order; a failed call or tick throws with the step and the error. Returns the commands they emitted. */
  readonly run: (steps: readonly TimelineStep[]) => Promise<OutboxCommand[]>;
  /** Runs one call and returns its result instead of throwing (for refusals). */
  readonly attempt: (at: string, call: string, input: unknown) => Promise<E.Either<unknown, unknown>>;
}

/** Starts a Lethe for `policy` with the clock at `start`. Throws if the policy does not load. */
export const start = (policy: unknown, start: string): Run => {
  const clock = simulatedClock(Date.parse(start));
  const commands: OutboxCommand[] = [];
  const record: CommandHandler = (command) => {
    commands.push(command);
    return E.right(undefined);
  };
  const created = createLethe({ policy, clock, handlers: Object.fromEntries(hostCommandTypes.map((t) => [t, record])), actor: 'scenario' });
  if (E.isLeft(created)) throw new Error(`policy does not load: ${json(created.left)}`);
  const lethe = created.right;
  const calls = lethe as unknown as Record<string, (input: unknown) => Promise<E.Either<unknown, unknown>>>;
  const attempt = async (at: string, call: string, input: unknown): Promise<E.Either<unknown, unknown>> => {
    const fn = calls[call];
    if (typeof fn !== 'function') throw new Error(`no facade method "${call}"`);
    clock.set(Date.parse(at));
    return fn(input);
  };
  const run = async (steps: readonly TimelineStep[]): Promise<OutboxCommand[]> => {
    const before = commands.length;
    for (const step of steps) {
      if ('tick' in step) {
        clock.set(Date.parse(step.at));
        const r = await lethe.tick(Date.parse(step.at));
        if (E.isLeft(r)) throw new Error(`tick at ${step.at} failed: ${json(r.left)}`);
      } else {
        const r = await attempt(step.at, step.call, step.input);
        if (E.isLeft(r)) throw new Error(`${step.call} at ${step.at} failed: ${json(r.left)}`);
      }
    }
    return commands.slice(before);
  };
  return { lethe, commands, run, attempt };
};

/** `type occurredAt` of each command: a compact, exact trace of what was emitted when. */
export const trace = (commands: readonly OutboxCommand[]): string[] => commands.map((c) => `${c.type} ${c.occurredAt}`);

/** The data of each command of `type`. */
export const dataOf = (commands: readonly OutboxCommand[], type: string): Record<string, unknown>[] =>
  commands.filter((c) => c.type === type).map((c) => c.data as Record<string, unknown>);

const DUE_KEYS = new Set(['dueAt', 'hostTargetAt', 'noticeBy', 'extendedDueAt', 'graceUntil', 'expiresAt']);

/** Every due instant in a command's data, depth first, as `key=instant`. */
export const duesOf = (value: unknown): string[] => {
  if (Array.isArray(value)) return value.flatMap(duesOf);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => (DUE_KEYS.has(k) && typeof v === 'string' ? [`${k}=${v}`, ...duesOf(v)] : duesOf(v)));
};

/** One line per command: its type, its business time, and every due instant it carries. */
export const lines = (commands: readonly OutboxCommand[]): string[] =>
  commands.map((c) => {
    const dues = duesOf(c.data);
    return `${c.type} @${c.occurredAt}${dues.length > 0 ? ` ${dues.join(' ')}` : ''}`;
  });
