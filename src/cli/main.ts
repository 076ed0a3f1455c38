/**
 * The `lethe` command line:
 *
 * ```text
 * lethe validate POLICY
 * lethe simulate --policy POLICY --timeline TIMELINE [--until INSTANT] [--format text|json]
 * lethe register POLICY [--timeline TIMELINE] [--format text|json]
 * ```
 *
 * - `validate` prints every problem of the policy document by path, one per line
 *   (`categories[2].retention.period: "P3X" is not a period`), and exits 1; a valid document gets
 *   a summary (categories with their retention in words, request and breach rules in force with
 *   their citations, defaults and stated assumptions) and exit 0.
 * - `simulate` runs a timeline (see below) on the in-memory store with a simulated clock, and
 *   prints the events, every emitted command with its due time, explanation and citation, and
 *   the obligations still open at the end; `--format json` writes `lethe-simulation/1`.
 * - `register` prints the Art. 30 record of processing; with `--timeline`, after running it (so
 *   the sub-processor register it builds is included).
 *
 * The timeline is a JSON array, or NDJSON, of entries oldest first:
 * `{ "at": "2026-01-12T09:00:00+01:00", "call": "registerSubject", "input": { ... } }` (a facade
 * method and its input) or `{ "at": "...", "tick": true }`; optional `actor` and `note`. The
 * clock is set to each entry's `at` and Lethe ticks there; `--until` runs the clock on to that
 * instant at the end. Full description: docs/timeline-format.md.
 *
 * Exit codes: 0 success; 1 `validate` found problems; 2 bad input (a missing or non-JSON file,
 * an invalid policy for `simulate`/`register`, a bad timeline entry, unknown options). Bad input
 * gets one message on stderr naming the file, the line (NDJSON) or entry index (JSON array) and
 * the path; nothing is written to stdout unless the command succeeded.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { parseArgs } from 'node:util';
import { incidentBuilders } from '../api/incidents.js';
import { lifecycleBuilders } from '../api/lifecycle.js';
import { decodePolicy } from '../policy/document.js';
import type { PolicyDocument } from '../policy/document.js';
import { formatRecordsOfProcessing, recordsOfProcessing } from '../policy/recordsOfProcessing.js';
import { instantFromIso } from '../time/instant.js';
import { simulate, simulationJson, simulationText } from './simulate.js';
import type { Simulation } from './simulate.js';
import { formatInputProblem, parseJson, parseTimeline } from './timeline.js';
import type { InputProblem } from './timeline.js';
import { policySummary } from './validate.js';

/** What the command line writes to and reads from; injected so tests need no process. */
export interface CliIo {
  /** Writes text to standard output (the text carries its own newlines). */
  readonly stdout: (text: string) => void;
  /** Writes text to standard error. */
  readonly stderr: (text: string) => void;
  /** Reads a whole file as UTF-8; rejects (e.g. ENOENT) when it cannot. */
  readonly readFile: (path: string) => Promise<string>;
}

/** The usage text. */
export const USAGE = `Usage:
  lethe validate POLICY
  lethe simulate --policy POLICY --timeline TIMELINE [--until INSTANT] [--format text|json]
  lethe register POLICY [--timeline TIMELINE] [--format text|json]
  lethe help

POLICY is a policy document (JSON). TIMELINE is a JSON array or NDJSON of dated entries,
{ "at": "<ISO 8601 instant with offset>", "call": "<facade method>", "input": { ... } }
or { "at": "...", "tick": true } (see docs/timeline-format.md). INSTANT is an ISO 8601
instant with an offset.
Exit codes: 0 ok, 1 invalid policy (validate), 2 bad input or usage.
`;

/** The host calls a timeline may name. */
export const TIMELINE_CALLS: readonly string[] = [...Object.keys(lifecycleBuilders), ...Object.keys(incidentBuilders)].sort();

/** A failure of the command: the message for stderr and the exit code. */
class Failure {
  constructor(
    readonly message: string,
    readonly code: number,
    readonly usage = false,
  ) {}
}

const usageError = (message: string): Failure => new Failure(message, 2, true);
const inputError = (problem: InputProblem): Failure => new Failure(formatInputProblem(problem), 2);

const readText = async (io: CliIo, file: string): Promise<string> => {
  try {
    return await io.readFile(file);
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error);
    throw inputError({ _tag: 'InputProblem', file, message: `cannot read the file: ${reason}` });
  }
};

const readJson = async (io: CliIo, file: string): Promise<unknown> => {
  const parsed = parseJson(file, await readText(io, file));
  if (!parsed.ok) throw inputError(parsed.problem);
  return parsed.value;
};

/** Reads and validates a policy for simulate and register: an invalid one is bad input (exit 2). */
const loadPolicy = async (io: CliIo, file: string): Promise<{ raw: unknown; policy: PolicyDocument }> => {
  const raw = await readJson(io, file);
  const decoded = decodePolicy(raw);
  if (E.isLeft(decoded)) {
    const n = decoded.left.problems.length;
    throw new Failure(
      [`${file}: the policy document is invalid (${n} ${n === 1 ? 'problem' : 'problems'}; run lethe validate):`, ...decoded.left.problems.map((p) => `  ${p.path}: ${p.message}`)].join('\n'),
      2,
    );
  }
  return { raw, policy: decoded.right };
};

const runTimeline = async (io: CliIo, policyRaw: unknown, file: string, until: number | undefined): Promise<Simulation> => {
  const parsed = parseTimeline(file, await readText(io, file), TIMELINE_CALLS);
  if (!parsed.ok) throw inputError(parsed.problem);
  const last = parsed.entries[parsed.entries.length - 1];
  if (until !== undefined && last !== undefined && until < last.instant)
    throw usageError(`--until is before the last entry of ${file} (${last.at}, ${last.where})`);
  if (until === undefined && last === undefined) throw inputError({ _tag: 'InputProblem', file, message: 'the timeline has no entries (and no --until)' });
  const result = await simulate({ policy: policyRaw, entries: parsed.entries, file, ...(until === undefined ? {} : { until }) });
  if (E.isLeft(result)) throw inputError(result.left);
  return result.right;
};

type Values = Record<string, string | boolean | undefined>;

const parse = (args: readonly string[], options: Record<string, { type: 'string' }>, positionals: number): { values: Values; positionals: string[] } => {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true }) as { values: Values; positionals: string[] };
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
  if (parsed.positionals.length !== positionals)
    throw usageError(
      parsed.positionals.length > positionals ? `unexpected argument '${parsed.positionals[positionals] ?? ''}'` : 'missing argument POLICY',
    );
  return parsed;
};

const formatOf = (values: Values): 'text' | 'json' => {
  const format = values['format'] ?? 'text';
  if (format !== 'text' && format !== 'json') throw usageError(`--format must be text or json, not '${String(format)}'`);
  return format;
};

const str = (values: Values, key: string): string | undefined => {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
};

const validate = async (io: CliIo, args: readonly string[]): Promise<{ out: string; code: number }> => {
  const { positionals } = parse(args, {}, 1);
  const file = positionals[0]!;
  const raw = await readJson(io, file);
  const decoded = decodePolicy(raw);
  if (E.isLeft(decoded)) {
    const n = decoded.left.problems.length;
    const lines = [`${file}: invalid (${n} ${n === 1 ? 'problem' : 'problems'})`, ...decoded.left.problems.map((p) => `${p.path}: ${p.message}`)];
    return { out: `${lines.join('\n')}\n`, code: 1 };
  }
  return { out: policySummary(file, decoded.right, raw), code: 0 };
};

const simulateCommand = async (io: CliIo, args: readonly string[]): Promise<{ out: string; code: number }> => {
  const { values } = parse(args, { policy: { type: 'string' }, timeline: { type: 'string' }, until: { type: 'string' }, format: { type: 'string' } }, 0);
  const policyFile = str(values, 'policy');
  const timelineFile = str(values, 'timeline');
  if (policyFile === undefined) throw usageError('missing --policy POLICY');
  if (timelineFile === undefined) throw usageError('missing --timeline TIMELINE');
  const format = formatOf(values);
  let until: number | undefined;
  const untilText = str(values, 'until');
  if (untilText !== undefined) {
    const parsed = instantFromIso(untilText);
    if (E.isLeft(parsed)) throw usageError(`--until ${JSON.stringify(untilText)} is not an instant: ${parsed.left.reason}`);
    until = parsed.right;
  }
  const { raw } = await loadPolicy(io, policyFile);
  const simulation = await runTimeline(io, raw, timelineFile, until);
  return { out: format === 'json' ? simulationJson(simulation) : simulationText(simulation), code: 0 };
};

const register = async (io: CliIo, args: readonly string[]): Promise<{ out: string; code: number }> => {
  const { values, positionals } = parse(args, { timeline: { type: 'string' }, format: { type: 'string' } }, 1);
  const format = formatOf(values);
  const file = positionals[0]!;
  const { raw, policy } = await loadPolicy(io, file);
  const timelineFile = str(values, 'timeline');
  const subProcessors = timelineFile === undefined ? undefined : (await runTimeline(io, raw, timelineFile, undefined)).subProcessors;
  const record = recordsOfProcessing(policy, subProcessors === undefined ? {} : { subProcessors });
  return {
    out: format === 'json' ? `${JSON.stringify({ format: 'lethe-records-of-processing/1', ...record }, null, 2)}\n` : formatRecordsOfProcessing(record),
    code: 0,
  };
};

const COMMANDS: Readonly<Record<string, (io: CliIo, args: readonly string[]) => Promise<{ out: string; code: number }>>> = {
  validate,
  simulate: simulateCommand,
  register,
};

/**
 * Runs the `lethe` command line with `argv` (the arguments after the program name, e.g.
 * `['validate', 'policy.json']`) and returns the exit code: 0 success, 1 `validate` found
 * problems, 2 bad input or usage. Output is buffered and written to `io.stdout` only when the
 * command ran to the end; errors go to `io.stderr` as one message. Never throws.
 */
export const main = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const [command, ...args] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (command === undefined ? io.stderr : io.stdout)(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    io.stderr(`lethe: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  try {
    const { out, code } = await run(io, args);
    io.stdout(out);
    return code;
  } catch (error) {
    if (error instanceof Failure) {
      io.stderr(`lethe ${command}: ${error.message}\n${error.usage ? `\n${USAGE}` : ''}`);
      return error.code;
    }
    io.stderr(`lethe ${command}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 70;
  }
};
