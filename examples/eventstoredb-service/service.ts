/**
 * A small HTTP service (Node's `http` module, JSON bodies) that embeds Lethe on an event store
 * (EventStoreDB in `main.ts`), keeps the personal data in its own user table and carries out what
 * Lethe asks: `EraseSubjectData` really deletes the row (or the category's columns) and is
 * confirmed back, so the retention clock closes; notification commands (`NotifySupervisoryAuthority`,
 * `NotifyDataSubjects`, `ObligationOverdue`, ...) write records to a notifications table.
 *
 * Time: on the system clock a worker ticks the scheduler every `tickEverySeconds`; on a simulated
 * clock there is no worker and `POST /admin/clock { "now": ISO }` moves the clock and ticks (that
 * endpoint exists only then). Every Lethe call, tick and confirmation runs one at a time.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { createLethe, hostCommandTypes, OPEN_OBLIGATION_STATES } from '../../src/index.js';
import type { CallResult, Clock, CommandHandler, EventStore, Lethe, ObligationState, SimulatedClock } from '../../src/index.js';
import { createNotificationTable, isNotification } from './notifications.js';
import type { NotificationTable } from './notifications.js';
import { createUserTable } from './users.js';
import type { UserTable } from './users.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The example's policy document (policy.json beside this file). */
export const examplePolicy: unknown = JSON.parse(readFileSync(join(here, 'policy.json'), 'utf8'));

/** The data category and system of policy.json that the user table holds. */
export const LEADS = { category: 'widget-leads', system: 'users-db' } as const;

/** Options of {@link startService}. */
export interface ServiceOptions {
  /** Where Lethe's log lives (e.g. `connectEventStoreDb(...)`); the caller owns it and closes it. */
  readonly store: EventStore;
  /** The system clock (a worker ticks), or a simulated clock (`POST /admin/clock` moves it). */
  readonly clock: Clock | SimulatedClock;
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Address to listen on (default `127.0.0.1`). */
  readonly host?: string;
  /** How often the worker ticks on the system clock (default 10 seconds). */
  readonly tickEverySeconds?: number;
  /** The policy document (default: policy.json). */
  readonly policy?: unknown;
  /** Where the service writes what it does (default: nowhere). Never given personal data. */
  readonly log?: (line: string) => void;
}

/** A running service. */
export interface Service {
  /** `http://host:port` */
  readonly url: string;
  /** Whether `POST /admin/clock` is enabled (a simulated clock). */
  readonly simulated: boolean;
  /** The Lethe it runs. */
  readonly lethe: Lethe;
  /** The host's tables (for inspection; the HTTP API reads them too). */
  readonly users: UserTable;
  readonly notifications: NotificationTable;
  /** Stops the worker and the HTTP server, after the work under way. Does not close the store. */
  readonly close: () => Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
}

type Route = {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly handle: (params: Readonly<Record<string, string>>, body: unknown, query: URLSearchParams) => Promise<Reply>;
};

const reply = (status: number, body: unknown): Reply => ({ status, body });

const isSimulated = (clock: Clock | SimulatedClock): clock is SimulatedClock => typeof (clock as Partial<SimulatedClock>).set === 'function';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The 400 of an input the service checks itself (the same shape as Lethe's). */
const invalid = (path: string, message: string): Reply => reply(400, { error: 'InvalidInput', path, message });

/**
 * Turns a Lethe error into a status and a body that names the error, the path and what is wrong,
 * never the value (which may be personal data): 400 for input errors, 404 for unknown entities,
 * 409 for refusals by the domain rules and write conflicts, 503 when the store fails.
 */
export const errorReply = (error: unknown): Reply => {
  const e = isObject(error) ? error : {};
  const tag = typeof e['_tag'] === 'string' ? e['_tag'] : 'Error';
  const path = typeof e['path'] === 'string' ? e['path'] : undefined;
  const message = typeof e['message'] === 'string' ? e['message'] : typeof e['reason'] === 'string' ? e['reason'] : undefined;
  if (tag === 'Rejected') {
    const rejection = isObject(e['rejection']) ? e['rejection'] : {};
    return reply(409, {
      error: 'Rejected',
      rejection: typeof rejection['_tag'] === 'string' ? rejection['_tag'] : 'Rejected',
      ...(typeof rejection['message'] === 'string' ? { message: rejection['message'] } : {}),
    });
  }
  if (tag === 'ConcurrencyConflict') return reply(409, { error: tag });
  if (tag === 'StoreUnavailable' || tag === 'StoreError' || tag === 'ProcessingFailed') return reply(503, { error: tag });
  if (/^Unknown(Subject|Request|Breach)$/.test(tag)) return reply(404, { error: tag, path: path ?? '', message: message ?? 'not found' });
  if (path !== undefined) return reply(400, { error: tag, path, message: message ?? 'is invalid' });
  return reply(500, { error: tag });
};

const toJson = (value: unknown): string => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

const readBody = async (request: IncomingMessage): Promise<Either<Reply, unknown>> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) return E.left(reply(413, { error: 'BodyTooLarge' }));
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return E.right({});
  try {
    return E.right(JSON.parse(text) as unknown);
  } catch {
    return E.left(reply(400, { error: 'InvalidJson', path: '', message: 'the body is not JSON' }));
  }
};

/** Starts the service and resolves once it listens. */
export const startService = async (options: ServiceOptions): Promise<Service> => {
  const { store, clock } = options;
  const log = options.log ?? ((): void => undefined);
  const simulated = isSimulated(clock);
  const users = createUserTable();
  const notifications = createNotificationTable();
  const nowIso = (): string => new Date(clock.now()).toISOString();

  /** Erasures carried out and not yet confirmed back to Lethe (confirming inside a handler would re-enter the dispatcher). */
  const toConfirm: { subjectId: string; category: string; target: { system: string } | { processor: string } }[] = [];

  const handle =
    (type: string): CommandHandler =>
    (command) => {
      const d = isObject(command.data) ? command.data : {};
      if (type === 'EraseSubjectData') {
        const subjectId = String(d['subjectId']);
        const categories = Array.isArray(d['categories']) ? d['categories'].map(String) : [];
        const outcome = users.erase(subjectId, categories);
        log(`EraseSubjectData ${subjectId} [${categories.join(', ')}]: ${outcome}`);
        const systems = Array.isArray(d['systems']) ? d['systems'].map(String) : [];
        const processors = Array.isArray(d['processors']) ? d['processors'].map(String) : [];
        // The example's only system is its user table; a real service would ask each processor and confirm on its answer.
        for (const category of categories) {
          for (const system of systems) toConfirm.push({ subjectId, category, target: { system } });
          for (const processor of processors) toConfirm.push({ subjectId, category, target: { processor } });
        }
      } else if (isNotification(type)) {
        const record = notifications.record(command, nowIso());
        log(`${type}${record.dueAt !== undefined ? ` due ${record.dueAt}` : ''}: notification ${record.id} recorded`);
      } else {
        log(`${type} ${command.commandId}: acknowledged (the example does nothing for it)`);
      }
      return E.right(undefined);
    };

  const created = createLethe({
    policy: options.policy ?? examplePolicy,
    store,
    clock,
    actor: 'eventstoredb-service',
    handlers: Object.fromEntries(hostCommandTypes.map((type) => [type, handle(type)])),
  });
  if (E.isLeft(created)) throw new Error(`the policy does not load: ${toJson(created.left)}`);
  const lethe = created.right;

  // One thing at a time: HTTP calls, worker ticks and confirmations share the views and the outbox.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <A>(work: () => Promise<A>): Promise<A> => {
    const run = queue.then(work);
    queue = run.catch(() => undefined);
    return run;
  };

  const confirmErasures = async (): Promise<void> => {
    for (let next = toConfirm.shift(); next !== undefined; next = toConfirm.shift()) {
      const confirmed = await lethe.confirmErasure(next);
      if (E.isLeft(confirmed)) log(`confirmErasure ${next.subjectId} ${next.category}: ${confirmed.left._tag}`);
    }
  };

  const tick = async (now?: number): Promise<number> => {
    const fired = await lethe.tick(now);
    if (E.isLeft(fired)) throw new Error(`tick failed: ${fired.left._tag}`);
    await confirmErasures();
    return fired.right.fired.length;
  };

  /** Runs one Lethe call in turn and replies with the created ids and the streams it wrote. */
  const call = (run: () => Promise<Either<unknown, CallResult>>, ids: Record<string, string> = {}, status = 200, after?: () => void): Promise<Reply> =>
    serial(async () => {
      const result = await run();
      if (E.isLeft(result)) return errorReply(result.left);
      after?.();
      await confirmErasures();
      return reply(status, { ...ids, appended: result.right.appended });
    });

  const settled = await serial(() => lethe.settle());
  if (E.isLeft(settled)) throw new Error(`catching up with the store failed: ${settled.left._tag}`);

  const withPath = (body: unknown, key: string, value: string): unknown => (isObject(body) ? { ...body, [key]: value } : body);
  const notObject = (body: unknown): Reply | undefined => (isObject(body) ? undefined : invalid('', 'the body must be a JSON object'));

  /** Checks the personal columns the service itself keeps (Lethe never receives them). */
  const personalColumns = (value: unknown, prefix: string, required: boolean): Either<Reply, { name?: string; email?: string }> => {
    const v = isObject(value) ? value : {};
    const name = v['name'];
    const email = v['email'];
    if (required || name !== undefined)
      if (typeof name !== 'string' || name.trim() === '' || name.length > 200) return E.left(invalid(`${prefix}name`, 'must be a non-empty string'));
    if (required || email !== undefined)
      if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)) return E.left(invalid(`${prefix}email`, 'must be an email address'));
    return E.right({ ...(typeof name === 'string' ? { name } : {}), ...(typeof email === 'string' ? { email } : {}) });
  };

  const without = (body: Record<string, unknown>, ...keys: string[]): Record<string, unknown> =>
    Object.fromEntries(Object.entries(body).filter(([k]) => !keys.includes(k)));

  const routes: Route[] = [
    // ----- subjects and their data -----
    {
      method: 'POST',
      pattern: /^\/subjects$/,
      // Sign-up: register the subject with Lethe (no name, no email), record the collection of
      // widget-leads (its retention clock starts), then create the row that holds them.
      handle: async (_p, body) => {
        const bad = notObject(body);
        if (bad !== undefined) return bad;
        const b = body as Record<string, unknown>;
        const columns = personalColumns(b, '', true);
        if (E.isLeft(columns)) return columns.left;
        const subjectId = typeof b['subjectId'] === 'string' ? b['subjectId'] : randomUUID();
        return serial(async () => {
          const registered = await lethe.registerSubject({
            subjectId,
            jurisdictions: b['jurisdictions'] ?? ['EU'],
            ourRole: { role: 'controller' },
            ...(b['registeredAt'] !== undefined ? { registeredAt: b['registeredAt'] } : {}),
          });
          if (E.isLeft(registered)) return errorReply(registered.left);
          const collected = await lethe.collectData({ subjectId, ...LEADS, source: 'signup', submission: 'explicit' });
          if (E.isLeft(collected)) return errorReply(collected.left);
          users.upsert(subjectId, columns.right, nowIso());
          return reply(201, { subjectId, appended: [...registered.right.appended, ...collected.right.appended] });
        });
      },
    },
    {
      method: 'POST',
      pattern: /^\/subjects\/(?<id>[^/]+)\/consents$/,
      handle: async (p, body) => {
        const grantId = isObject(body) && typeof body['grantId'] === 'string' ? body['grantId'] : randomUUID();
        return notObject(body) ?? call(() => lethe.grantConsent({ grantId, ...(body as object), subjectId: p['id'] }), { grantId }, 201);
      },
    },
    {
      method: 'POST',
      pattern: /^\/consents\/(?<id>[^/]+)\/withdrawal$/,
      handle: async (p, body) => notObject(body) ?? call(() => lethe.withdrawConsent(withPath(body, 'grantId', p['id']!))),
    },
    {
      method: 'POST',
      pattern: /^\/subjects\/(?<id>[^/]+)\/collections$/,
      // A widget submission: `fields` (name, email) go to the user table only; the rest to collectData.
      handle: async (p, body) => {
        const bad = notObject(body);
        if (bad !== undefined) return bad;
        const b = body as Record<string, unknown>;
        const columns = personalColumns(b['fields'], 'fields.', false);
        if (E.isLeft(columns)) return columns.left;
        const subjectId = p['id']!;
        return call(
          () => lethe.collectData({ ...LEADS, ...without(b, 'fields'), subjectId }),
          {},
          201,
          () => {
            if (Object.keys(columns.right).length > 0 || users.get(subjectId) !== undefined) users.upsert(subjectId, columns.right, nowIso());
          },
        );
      },
    },
    {
      method: 'POST',
      pattern: /^\/subjects\/(?<id>[^/]+)\/activity$/,
      handle: async (p, body) => notObject(body) ?? call(() => lethe.recordActivity(withPath(body, 'subjectId', p['id']!)), {}, 201),
    },
    {
      method: 'POST',
      pattern: /^\/subjects\/(?<id>[^/]+)\/erasure$/,
      handle: async (p, body) => notObject(body) ?? call(() => lethe.requestErasure(withPath(body, 'subjectId', p['id']!)), {}, 201),
    },
    {
      method: 'GET',
      pattern: /^\/subjects\/(?<id>[^/]+)\/timeline$/,
      // Entries naming a rule ("... under retention.widget-leads") get the rule's citation, from the obligations view.
      handle: async (p) => {
        const subjectId = p['id']!;
        const all: ObligationState[] = ['pending', 'due', 'overdue', 'satisfied', 'exempt', 'suspended'];
        const citations = new Map(lethe.obligations({ now: clock.now(), subjectId, state: all }).map((o) => [o.rule.ruleId, o.rule.citation]));
        const entries = lethe.timeline(subjectId).map((entry) => {
          const ruleId = /\bunder ([A-Za-z0-9._:-]*[A-Za-z0-9])/.exec(entry.summary)?.[1];
          const citation = ruleId === undefined ? undefined : citations.get(ruleId);
          return citation === undefined ? entry : { ...entry, ruleId, citation };
        });
        return reply(200, { subjectId, entries });
      },
    },
    {
      method: 'GET',
      pattern: /^\/subjects\/(?<id>[^/]+)\/can-process$/,
      handle: async (p, _b, q) => {
        const purpose = q.get('purpose');
        if (purpose === null) return invalid('purpose', 'is required (query parameter)');
        return reply(200, lethe.canProcess(p['id']!, purpose));
      },
    },
    {
      method: 'GET',
      pattern: /^\/users\/(?<id>[^/]+)$/,
      // The host's own table (the personal data itself): what erasure removes.
      handle: async (p) => {
        const row = users.get(p['id']!);
        return row === undefined ? reply(404, { error: 'UnknownUser' }) : reply(200, row);
      },
    },
    // ----- data-subject requests -----
    {
      method: 'POST',
      pattern: /^\/requests$/,
      handle: async (_p, body) => {
        const requestId = isObject(body) && typeof body['requestId'] === 'string' ? body['requestId'] : randomUUID();
        return notObject(body) ?? call(() => lethe.receiveRequest({ requestId, ...(body as object) }), { requestId }, 201);
      },
    },
    {
      method: 'POST',
      pattern: /^\/requests\/(?<id>[^/]+)\/identity-verification$/,
      handle: async (p, body) => notObject(body) ?? call(() => lethe.verifyIdentity(withPath(body, 'requestId', p['id']!))),
    },
    {
      method: 'POST',
      pattern: /^\/requests\/(?<id>[^/]+)\/fulfilment$/,
      handle: async (p, body) => notObject(body) ?? call(() => lethe.fulfilRequest(withPath(body, 'requestId', p['id']!))),
    },
    // ----- breaches -----
    {
      method: 'POST',
      pattern: /^\/breaches$/,
      handle: async (_p, body) => {
        const breachId = isObject(body) && typeof body['breachId'] === 'string' ? body['breachId'] : randomUUID();
        return notObject(body) ?? call(() => lethe.reportBreach({ breachId, ...(body as object) }), { breachId }, 201);
      },
    },
    {
      method: 'POST',
      pattern: /^\/breaches\/(?<id>[^/]+)\/awareness$/,
      handle: async (p, body) => notObject(body) ?? call(() => lethe.establishAwareness(withPath(body, 'breachId', p['id']!))),
    },
    {
      method: 'POST',
      pattern: /^\/breaches\/(?<id>[^/]+)\/assessment$/,
      handle: async (p, body) => notObject(body) ?? call(() => lethe.assessBreach(withPath(body, 'breachId', p['id']!))),
    },
    {
      method: 'POST',
      pattern: /^\/breaches\/(?<id>[^/]+)\/authority-notification$/,
      handle: async (p, body) => notObject(body) ?? call(() => lethe.recordAuthorityNotification(withPath(body, 'breachId', p['id']!))),
    },
    // ----- what is owed, and what the service wrote -----
    {
      method: 'GET',
      pattern: /^\/obligations$/,
      handle: async (_p, _b, q) => {
        const states = (q.get('state') ?? OPEN_OBLIGATION_STATES.join(',')).split(',').filter((s) => s !== '');
        const known: readonly ObligationState[] = ['pending', 'due', 'overdue', 'satisfied', 'exempt', 'suspended'];
        const unknown = states.find((s) => !known.includes(s as ObligationState));
        if (unknown !== undefined) return invalid('state', `must be among ${known.join(', ')}`);
        const subjectId = q.get('subjectId');
        const now = clock.now();
        return reply(200, {
          now: new Date(now).toISOString(),
          obligations: lethe.obligations({ now, state: states as ObligationState[], ...(subjectId !== null ? { subjectId } : {}) }),
        });
      },
    },
    {
      method: 'GET',
      pattern: /^\/notifications$/,
      handle: async () => reply(200, { notifications: notifications.all() }),
    },
    {
      method: 'GET',
      pattern: /^\/health$/,
      handle: async () => reply(200, { ok: true, now: nowIso(), simulatedClock: simulated }),
    },
  ];

  if (simulated) {
    routes.push({
      method: 'POST',
      pattern: /^\/admin\/clock$/,
      // Test mode: move the simulated clock to `now` and tick (what the worker does on the system clock).
      handle: async (_p, body) => {
        const now = isObject(body) ? body['now'] : undefined;
        if (typeof now !== 'string' || !/(Z|[+-]\d{2}:\d{2})$/.test(now) || !Number.isFinite(Date.parse(now)))
          return invalid('now', 'must be an ISO 8601 instant with an offset');
        const at = Date.parse(now);
        return serial(async () => {
          if (!clock.set(at)) return reply(409, { error: 'ClockWouldGoBack', path: 'now', message: `the clock reads ${nowIso()}` });
          const fired = await tick(at);
          return reply(200, { now: nowIso(), fired });
        });
      },
    });
  }

  const respond = (response: ServerResponse, { status, body }: Reply): void => {
    const text = toJson(body);
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    response.end(text);
  };

  const server = createServer((request, response) => {
    void (async () => {
      try {
        const url = new URL(request.url ?? '/', 'http://service');
        const path = url.pathname.replace(/\/+$/, '') || '/';
        const matches = routes.filter((r) => r.pattern.test(path));
        const route = matches.find((r) => r.method === request.method);
        if (route === undefined) {
          respond(response, matches.length > 0 ? reply(405, { error: 'MethodNotAllowed' }) : reply(404, { error: 'NotFound', path: '' }));
          request.resume();
          return;
        }
        const params = Object.fromEntries(Object.entries(route.pattern.exec(path)?.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
        const body = request.method === 'POST' ? await readBody(request) : E.right(undefined);
        if (E.isLeft(body)) return respond(response, body.left);
        respond(response, await route.handle(params, body.right, url.searchParams));
      } catch (error) {
        // Only the error's class: its message might quote an input.
        log(`internal error: ${error instanceof Error ? error.name : 'unknown'}`);
        if (!response.headersSent) respond(response, reply(500, { error: 'InternalError' }));
      }
    })();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const worker = simulated
    ? undefined
    : setInterval(() => {
        serial(() => tick()).catch((error: unknown) => log(`worker: ${error instanceof Error ? error.message : 'tick failed'}`));
      }, (options.tickEverySeconds ?? 10) * 1000);

  return {
    url: `http://${host}:${address.port}`,
    simulated,
    lethe,
    users,
    notifications,
    close: async () => {
      if (worker !== undefined) clearInterval(worker);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await queue;
    },
  };
};
