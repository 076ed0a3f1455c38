/**
 * The timeline file of `lethe simulate`: a JSON array, or NDJSON (one JSON object per line), of
 * dated entries, oldest first. Each entry is either a host call or a tick:
 *
 * ```json
 * { "at": "2026-01-12T09:00:00+01:00", "call": "registerSubject", "input": { "subjectId": "…" } }
 * { "at": "2026-06-30T09:00:00+02:00", "tick": true }
 * ```
 *
 * - `at` (required): an ISO 8601 instant with an offset (`Z` or `+01:00`); entries are in
 *   non-decreasing order of `at`.
 * - `call`: the name of a facade method (`registerSubject`, `receiveRequest`, ...: one per host
 *   call of `createLethe`); `input` (required with `call`): its input object, exactly what the
 *   host would pass. Instant fields of the input that are left out (`receivedAt`, `detectedAt`,
 *   ...) default to `at`.
 * - `tick: true`: only let time pass to `at` (timers due by then fire).
 * - `actor` (optional, with `call`): recorded as the actor of the call (default `timeline`).
 * - `note` (optional): free text for the reader, ignored by the engine.
 *
 * Any other field is refused, so a typo (`"inputs"`) is an error rather than a silent no-op.
 * Blank lines of an NDJSON file are skipped. See docs/timeline-format.md.
 *
 * @module
 */
import { instantFromIso } from '../time/instant.js';

/** One entry of a timeline, checked. */
export type TimelineStep =
  | {
      readonly kind: 'call';
      readonly at: string;
      readonly instant: number;
      readonly call: string;
      readonly input: unknown;
      readonly actor?: string;
      /** Where the entry is: `line 3` (NDJSON) or `entry [2]` (JSON array). */
      readonly where: string;
    }
  | { readonly kind: 'tick'; readonly at: string; readonly instant: number; readonly where: string };

/** A problem with a timeline (or any input file): where, the path inside the entry, and what. */
export interface InputProblem {
  readonly _tag: 'InputProblem';
  /** The file, as given on the command line. */
  readonly file: string;
  /** `line 3`, `entry [2]`, or undefined for the file as a whole. */
  readonly where?: string;
  /** The path inside the entry (`at`, `call`, `input.subjectId`), or undefined. */
  readonly path?: string;
  readonly message: string;
}

/** Returns the problem as one line: `file, line 3: input.subjectId: is required (Uuid)`. */
export const formatInputProblem = (p: InputProblem): string =>
  `${p.file}${p.where === undefined ? '' : `, ${p.where}`}: ${p.path === undefined || p.path === '' ? '' : `${p.path}: `}${p.message}`;

const ENTRY_KEYS = new Set(['at', 'call', 'input', 'tick', 'actor', 'note']);

/** JSON.parse's message, e.g. `Unexpected token } in JSON at position 12`. */
const jsonMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');

/**
 * Parses a JSON document; on failure, returns a problem naming the file (and `where`).
 */
export const parseJson = (file: string, text: string, where?: string): { ok: true; value: unknown } | { ok: false; problem: InputProblem } => {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = jsonMessage(error);
    // Node names a character position; a reader wants the line (of a whole-file document).
    const position = /at position (\d+)/.exec(message)?.[1];
    const line = where === undefined && position !== undefined ? text.slice(0, Number(position)).split('\n').length : undefined;
    return {
      ok: false,
      problem: {
        _tag: 'InputProblem',
        file,
        ...(where === undefined ? (line === undefined ? {} : { where: `line ${line}` }) : { where }),
        message: `not JSON (${message})`,
      },
    };
  }
};

/**
 * Parses and checks a timeline file: every entry has a valid `at`, a known `call` with an
 * `input` object or `tick: true`, no unknown field, and entries are oldest first. Returns the
 * entries, or the first problem (file, line or entry index, path). `calls` are the known call names.
 */
export const parseTimeline = (
  file: string,
  text: string,
  calls: readonly string[],
): { ok: true; entries: readonly TimelineStep[] } | { ok: false; problem: InputProblem } => {
  const raw: { value: unknown; where: string }[] = [];
  const fail = (where: string | undefined, path: string | undefined, message: string) =>
    ({
      ok: false,
      problem: { _tag: 'InputProblem', file, ...(where === undefined ? {} : { where }), ...(path === undefined ? {} : { path }), message },
    }) as const;

  if (text.trimStart().startsWith('[')) {
    const parsed = parseJson(file, text);
    if (!parsed.ok) return parsed;
    if (!Array.isArray(parsed.value)) return fail(undefined, undefined, 'a timeline is a JSON array or NDJSON of entries');
    parsed.value.forEach((value: unknown, i) => raw.push({ value, where: `entry [${i}]` }));
  } else {
    const lines = text.split(/\r?\n/);
    for (const [i, line] of lines.entries()) {
      if (line.trim() === '') continue;
      const where = `line ${i + 1}`;
      const parsed = parseJson(file, line, where);
      if (!parsed.ok) return parsed;
      raw.push({ value: parsed.value, where });
    }
  }

  const known = new Set(calls);
  const entries: TimelineStep[] = [];
  let previous: { at: string; instant: number } | undefined;
  for (const { value, where } of raw) {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return fail(where, undefined, 'an entry is an object { "at", "call", "input" } or { "at", "tick": true }');
    const entry = value as Record<string, unknown>;
    for (const key of Object.keys(entry)) {
      if (!ENTRY_KEYS.has(key)) return fail(where, key, 'unknown field (an entry has at, call, input, tick, actor, note)');
    }
    const at = entry['at'];
    if (at === undefined) return fail(where, 'at', 'is required (an ISO 8601 instant with an offset)');
    if (typeof at !== 'string') return fail(where, 'at', 'must be a string (an ISO 8601 instant with an offset)');
    const instant = instantFromIso(at);
    if (instant._tag === 'Left') return fail(where, 'at', `${JSON.stringify(at)} is not an instant: ${instant.left.reason}`);
    if (previous !== undefined && instant.right < previous.instant)
      return fail(where, 'at', `${at} is before the previous entry's ${previous.at} (entries must be oldest first)`);
    previous = { at, instant: instant.right };
    if (entry['note'] !== undefined && typeof entry['note'] !== 'string') return fail(where, 'note', 'must be a string');
    const call = entry['call'];
    const tick = entry['tick'];
    if (call === undefined) {
      if (tick !== true) return fail(where, 'call', 'is required (or "tick": true)');
      if (entry['input'] !== undefined || entry['actor'] !== undefined)
        return fail(where, entry['input'] !== undefined ? 'input' : 'actor', 'a tick takes no input or actor');
      entries.push({ kind: 'tick', at, instant: instant.right, where });
      continue;
    }
    if (tick !== undefined) return fail(where, 'tick', 'an entry is either a call or a tick, not both');
    if (typeof call !== 'string' || !known.has(call))
      return fail(where, 'call', `${JSON.stringify(call)} is not a Lethe call (one of ${[...calls].sort().join(', ')})`);
    const input = entry['input'];
    if (input === undefined) return fail(where, 'input', `is required (the input object of ${call})`);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return fail(where, 'input', 'must be an object');
    const actor = entry['actor'];
    if (actor !== undefined && (typeof actor !== 'string' || actor === '')) return fail(where, 'actor', 'must be a non-empty string');
    entries.push({ kind: 'call', at, instant: instant.right, call, input, ...(actor === undefined ? {} : { actor }), where });
  }
  return { ok: true, entries };
};
