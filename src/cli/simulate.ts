/**
 * Runs a timeline against a policy on the in-memory store with a simulated clock, and renders
 * the outcome as text or as the stable JSON format `lethe-simulation/1` (see
 * docs/timeline-format.md).
 *
 * The clock is set to each entry's instant; a call runs there (its business time is `at`), then
 * Lethe ticks there, so every timer due by then fires before the next entry. At the end the clock
 * is set to `until` (when given) and ticks once more; open obligations are judged at that instant.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { createLethe, hostCommandTypes } from '../api/lethe.js';
import type { Lethe, LetheError } from '../api/lethe.js';
import { letheStreams } from '../api/streams.js';
import { decodeRecorded } from '../engine/commandHandler.js';
import type { CommandHandler } from '../engine/engine.js';
import type { OutboxCommand } from '../engine/outbox.js';
import type { PolicyDocument } from '../policy/document.js';
import { OPEN_OBLIGATION_STATES } from '../projections/obligations.js';
import type { Obligation } from '../projections/obligations.js';
import { subProcessorsForRecord } from '../projections/processorRegister.js';
import type { ProcessorRegisterState } from '../projections/processorRegister.js';
import type { SubProcessorView } from '../policy/recordsOfProcessing.js';
import { summariseEvent } from '../projections/timeline.js';
import type { RecordedEvent } from '../store/index.js';
import { simulatedClock } from '../time/clock.js';
import { toIso, toLocalIso } from '../time/instant.js';
import type { InputProblem, TimelineStep } from './timeline.js';

/** One event of the log, as the simulation reports it (no payload: summaries carry no personal data). */
export interface SimulatedEvent {
  /** 0-based position in the log (the order of appending). */
  readonly position: number;
  /** Business time (`occurredAt`). */
  readonly at: string;
  readonly recordedAt: string;
  readonly streamName: string;
  readonly kind: string;
  /** The stream revision as a decimal string (revisions are bigint). */
  readonly revision: string;
  readonly type: string;
  readonly eventId: string;
  /** The subject the event belongs to, when the timeline ties it to one; else null (breaches, registers). */
  readonly subjectId: string | null;
  readonly summary: string;
}

/** A deadline carried by an emitted command. */
export interface SimulatedDeadline {
  readonly ruleId: string;
  readonly dueAt: string;
  readonly hostTargetAt: string | null;
  readonly citation: string;
  readonly explanation: string;
}

/** One command Lethe emitted for the host, with when it was dispatched and its deadlines. */
export interface SimulatedCommand {
  readonly commandId: string;
  readonly type: string;
  /** The clock's reading when the host handler received it (ISO, UTC). */
  readonly emittedAt: string;
  /** Business time of the command (the cause's `occurredAt` or the timer's due instant). */
  readonly occurredAt: string;
  /** The timeline entry that was running (`line 3`, `entry [2]`), or `until` for the final tick. */
  readonly during: string;
  readonly subjectId: string | null;
  /** The due instant the command names (its `dueAt`, else its first deadline's), or null. */
  readonly dueAt: string | null;
  readonly citation: string | null;
  readonly explanation: string | null;
  /** Every deadline record in the command's data, in the order they appear. */
  readonly deadlines: readonly SimulatedDeadline[];
  /** The command's data, keys sorted. */
  readonly data: unknown;
}

/** An obligation still open at the end, as the simulation reports it. */
export interface SimulatedObligation {
  readonly id: string;
  readonly state: string;
  readonly duty: string;
  readonly kind: string;
  readonly entityId: string;
  readonly subjectId: string | null;
  readonly category: string | null;
  readonly ruleId: string;
  readonly dueAt: string;
  readonly hostTargetAt: string | null;
  readonly citation: string;
  readonly explanation: string;
  readonly suspendedBy: readonly string[];
}

/** What a simulation produced. */
export interface Simulation {
  readonly policy: PolicyDocument;
  readonly entries: number;
  readonly from: string | null;
  /** The instant the obligations are judged at (ISO, UTC): `until`, else the last entry's. */
  readonly at: string;
  readonly events: readonly SimulatedEvent[];
  readonly commands: readonly SimulatedCommand[];
  readonly obligations: readonly SimulatedObligation[];
  /** The sub-processor register as it stands at the end (for the record of processing). */
  readonly subProcessors: readonly SubProcessorView[];
}

const sortKeys = (value: unknown): unknown => {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .filter((k) => o[k] !== undefined)
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return value;
};

const isDeadline = (u: unknown): u is Record<string, string> => {
  if (typeof u !== 'object' || u === null) return false;
  const o = u as Record<string, unknown>;
  return typeof o['ruleId'] === 'string' && typeof o['dueAt'] === 'string' && typeof o['citation'] === 'string' && typeof o['explanation'] === 'string';
};

/** Every deadline record inside `data`, depth first, in key order. */
const deadlinesIn = (data: unknown): SimulatedDeadline[] => {
  const out: SimulatedDeadline[] = [];
  const visit = (u: unknown): void => {
    if (Array.isArray(u)) u.forEach(visit);
    else if (typeof u === 'object' && u !== null) {
      if (isDeadline(u)) {
        out.push({ ruleId: u['ruleId']!, dueAt: u['dueAt']!, hostTargetAt: u['hostTargetAt'] ?? null, citation: u['citation']!, explanation: u['explanation']! });
        return;
      }
      Object.values(u).forEach(visit);
    }
  };
  visit(data);
  return out;
};

const commandOf = (command: OutboxCommand, emittedAt: number, during: string): SimulatedCommand => {
  const d = (typeof command.data === 'object' && command.data !== null && !Array.isArray(command.data) ? command.data : {}) as Record<string, unknown>;
  const deadlines = deadlinesIn(d);
  const first = deadlines[0];
  const str = (u: unknown): string | null => (typeof u === 'string' ? u : null);
  return {
    commandId: command.commandId,
    type: command.type,
    emittedAt: toIso(emittedAt),
    occurredAt: command.occurredAt,
    during,
    subjectId: str(d['subjectId']),
    dueAt: str(d['dueAt']) ?? first?.dueAt ?? null,
    citation: str(d['citation']) ?? first?.citation ?? null,
    explanation: first?.explanation ?? null,
    deadlines,
    data: sortKeys(command.data),
  };
};

const obligationOf = (o: Obligation): SimulatedObligation => ({
  id: o.id,
  state: o.state,
  duty: o.duty,
  kind: o.entity.kind,
  entityId: o.entity.id,
  subjectId: o.subjectId ?? null,
  category: o.category ?? null,
  ruleId: o.rule.ruleId,
  dueAt: o.dueAt,
  hostTargetAt: o.hostTargetAt ?? null,
  citation: o.rule.citation,
  explanation: o.rule.explanation,
  suspendedBy: [...(o.suspendedBy ?? [])],
});

/** Renders a facade error as a path and a message. */
const describeError = (error: LetheError): { path: string; message: string } => {
  const e = error as { readonly _tag: string; readonly path?: unknown; readonly message?: unknown };
  if (typeof e.path === 'string' && typeof e.message === 'string') {
    const path = e.path === 'at' && e._tag === 'InvalidAt' ? 'at' : e.path === '' ? 'input' : `input.${e.path}`;
    return { path, message: `${e.message} (${e._tag})` };
  }
  if (e._tag === 'Rejected') {
    const r = error as { readonly stream: string; readonly rejection: unknown };
    return { path: 'call', message: `rejected by ${r.stream}: ${JSON.stringify(sortKeys(r.rejection))}` };
  }
  return { path: 'call', message: `failed: ${JSON.stringify(sortKeys(error))}` };
};

/** Reads the whole log in order, decoding the domain streams (engine bookkeeping is left out). */
const readLog = async (lethe: Lethe): Promise<E.Either<string, SimulatedEvent[]>> => {
  const kinds = letheStreams as unknown as Record<string, { readonly events: Parameters<typeof decodeRecorded>[1] }>;
  const recorded: RecordedEvent[] = [];
  let from: RecordedEvent['position'] | 'start' = 'start';
  for (let first = true; ; first = false) {
    const page = await lethe.store.readAll({ fromPosition: from, maxCount: 1000, filter: { excludeSystemEvents: true, streamNamePrefixes: ['lethe.'] } });
    if (E.isLeft(page)) return E.left(`the store could not be read (${page.left._tag})`);
    recorded.push(...(first ? page.right : page.right.slice(1)));
    const last = page.right[page.right.length - 1];
    if (page.right.length < 1000 || last === undefined) break;
    from = last.position;
  }
  // Which subject each event belongs to: the timeline projection knows (consent, retention and request streams too).
  const subjects = new Set<string>();
  for (const r of recorded) {
    const m = /^lethe\.subject-(.+)$/.exec(r.streamName);
    if (m?.[1] !== undefined) subjects.add(m[1]);
  }
  // The timeline's summaries name what a stream is about (the purpose, category, request type).
  const subjectOfEvent = new Map<string, { subjectId: string; summary: string }>();
  for (const subjectId of subjects)
    for (const entry of lethe.timeline(subjectId)) subjectOfEvent.set(entry.eventId, { subjectId, summary: entry.summary });

  const out: SimulatedEvent[] = [];
  for (const r of recorded) {
    const kind = /^lethe\.([a-zA-Z]+)-/.exec(r.streamName)?.[1];
    const codec = kind === undefined ? undefined : kinds[kind]?.events;
    if (kind === undefined || codec === undefined) continue;
    const decoded = decodeRecorded(kind, codec, r);
    if (E.isLeft(decoded)) return E.left(`the log holds an event that does not decode (${decoded.left._tag} in ${r.streamName})`);
    const event = decoded.right;
    const known = subjectOfEvent.get(event.metadata.eventId);
    out.push({
      position: out.length,
      at: event.metadata.occurredAt,
      recordedAt: event.metadata.recordedAt,
      streamName: event.streamName,
      kind,
      revision: String(event.revision),
      type: event.event.type,
      eventId: event.metadata.eventId,
      subjectId: known?.subjectId ?? null,
      summary: known?.summary ?? summariseEvent(kind, event.event),
    });
  }
  return E.right(out);
};

/** Options of {@link simulate}. */
export interface SimulateOptions {
  /** The policy document (raw JSON; validated by `createLethe`). */
  readonly policy: unknown;
  readonly entries: readonly TimelineStep[];
  /** The instant to run to after the last entry (epoch ms), if any. */
  readonly until?: number;
  /** The timeline file, for messages. */
  readonly file: string;
}

/**
 * Runs the timeline; returns what happened, or the first entry that failed as an input problem
 * (file, line or entry, path). The policy must already have been validated.
 */
export const simulate = async (options: SimulateOptions): Promise<E.Either<InputProblem, Simulation>> => {
  const { entries, file } = options;
  const start = entries[0]?.instant ?? options.until ?? 0;
  const clock = simulatedClock(start);
  let during = 'start';
  const commands: SimulatedCommand[] = [];
  const handlers: Record<string, CommandHandler> = Object.fromEntries(
    hostCommandTypes.map((type): [string, CommandHandler] => [
      type,
      (command) => {
        commands.push(commandOf(command, clock.now(), during));
        return E.right(undefined);
      },
    ]),
  );
  const problem = (where: string | undefined, path: string | undefined, message: string): E.Either<InputProblem, never> =>
    E.left({ _tag: 'InputProblem', file, ...(where === undefined ? {} : { where }), ...(path === undefined ? {} : { path }), message });

  const created = createLethe({ policy: options.policy, clock, handlers, actor: 'timeline' });
  if (E.isLeft(created)) return problem(undefined, undefined, `the policy could not be loaded (${created.left._tag})`);
  const lethe = created.right;
  const calls = lethe as unknown as Record<string, Lethe['registerSubject']>;

  for (const [index, entry] of entries.entries()) {
    during = entry.where;
    clock.set(entry.instant);
    if (entry.kind === 'call') {
      const call = calls[entry.call];
      if (call === undefined) return problem(entry.where, 'call', `${JSON.stringify(entry.call)} is not a Lethe call`);
      // A deterministic idempotency key per entry: the same timeline gives the same event ids.
      const done = await call(entry.input, { at: entry.at, commandId: `timeline:${index}`, ...(entry.actor === undefined ? {} : { actor: entry.actor }) });
      if (E.isLeft(done)) {
        const { path, message } = describeError(done.left);
        return problem(entry.where, path, message);
      }
    }
    const ticked = await lethe.tick(entry.instant);
    if (E.isLeft(ticked)) return problem(entry.where, undefined, `the tick failed: ${describeError(ticked.left).message}`);
  }
  const last = entries[entries.length - 1];
  let end = last?.instant ?? start;
  if (options.until !== undefined) {
    during = 'until';
    clock.set(options.until);
    end = options.until;
    const ticked = await lethe.tick(options.until);
    if (E.isLeft(ticked)) return problem('--until', undefined, `the tick failed: ${describeError(ticked.left).message}`);
  }

  const events = await readLog(lethe);
  if (E.isLeft(events)) return problem(undefined, undefined, events.left);
  const open = lethe.obligations({ now: end, state: OPEN_OBLIGATION_STATES });
  const register = lethe.engine.projection('processorRegister' as never) as unknown as ProcessorRegisterState | undefined;
  const subProcessors = subProcessorsForRecord(register) ?? [];
  return E.right({
    policy: lethe.policy,
    entries: entries.length,
    from: entries[0]?.at ?? null,
    at: toIso(end),
    events: events.right,
    commands,
    obligations: open.map(obligationOf),
    subProcessors,
  });
};

/** The identifier of the JSON format {@link simulationJson} writes. */
export const SIMULATION_FORMAT = 'lethe-simulation/1';

/**
 * Returns the simulation as the stable JSON document `lethe-simulation/1`: keys in a fixed order,
 * absent values as null, revisions as strings, two-space indentation, a final newline.
 */
export const simulationJson = (s: Simulation): string =>
  `${JSON.stringify(
    {
      format: SIMULATION_FORMAT,
      policy: { name: s.policy.name ?? null, version: s.policy.version, effectiveFrom: s.policy.effectiveFrom, zone: s.policy.calendar.zone },
      run: { entries: s.entries, from: s.from, at: s.at },
      events: s.events,
      commands: s.commands,
      obligations: s.obligations,
    },
    null,
    2,
  )}\n`;

/** Returns the simulation as text: the events, the commands with their deadlines, the open obligations. */
export const simulationText = (s: Simulation): string => {
  const zone = s.policy.calendar.zone;
  const local = (iso: string | null): string => (iso === null ? '' : toLocalIso(Date.parse(iso), zone));
  const short = (id: string | null): string => (id === null ? '' : id.slice(0, 8));
  const lines: string[] = [];
  lines.push(`Simulation of policy ${s.policy.version}${s.policy.name === undefined ? '' : ` (${s.policy.name})`}`);
  lines.push(`${s.entries} timeline entries from ${s.from === null ? '-' : local(s.from)} to ${local(s.at)}; times in ${zone}`);
  lines.push('');
  lines.push(`Events (${s.events.length}, oldest first):`);
  for (const e of s.events) {
    const who = e.subjectId === null ? `${e.kind} ${short(e.streamName.slice(e.streamName.indexOf('-') + 1))}` : `subject ${short(e.subjectId)}`;
    lines.push(`  ${local(e.at)}  ${who}  ${e.summary}`);
  }
  lines.push('');
  lines.push(`Commands emitted (${s.commands.length}):`);
  for (const c of s.commands) {
    lines.push(`  ${local(c.emittedAt)}  ${c.type}${c.subjectId === null ? '' : ` for subject ${short(c.subjectId)}`}  (during ${c.during})`);
    if (c.dueAt !== null) lines.push(`      due ${local(c.dueAt)}`);
    for (const d of c.deadlines) {
      lines.push(`      ${d.ruleId}: due ${local(d.dueAt)}${d.hostTargetAt === null ? '' : ` (target ${local(d.hostTargetAt)})`}`);
      lines.push(`        ${d.explanation}`);
      lines.push(`        per ${d.citation}`);
    }
    if (c.deadlines.length === 0 && c.citation !== null) lines.push(`      per ${c.citation}`);
  }
  lines.push('');
  lines.push(`Obligations still open at ${local(s.at)} (${s.obligations.length}):`);
  if (s.obligations.length === 0) lines.push('  none');
  for (const o of s.obligations) {
    lines.push(`  [${o.state}] ${o.ruleId} (${o.duty}) for ${o.kind} ${short(o.entityId)}${o.subjectId === null ? '' : `, subject ${short(o.subjectId)}`}: due ${local(o.dueAt)}`);
    lines.push(`      ${o.explanation}`);
    lines.push(`      per ${o.citation}`);
  }
  return `${lines.join('\n')}\n`;
};
