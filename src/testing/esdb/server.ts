/**
 * An in-process server that speaks the EventStoreDB gRPC protocol (the `Streams` service as
 * `@eventstore/db-client` 6.x and `@kurrent/kurrentdb-client` 1.x use it), so that tests can drive
 * the real client, and code built on it, without a database, a container or a network beyond
 * loopback.
 *
 * Which client: `client: 'eventstoredb'` (default) builds the server's messages from
 * `@eventstore/db-client`'s generated modules and hands out an `esdb://` connection string;
 * `client: 'kurrentdb'` builds them from `@kurrent/kurrentdb-client`'s (its v1 protocol: the same
 * proto packages, message and service names, plus fields this server never sets) and hands out a
 * `kurrentdb://` one. Both packages' generated code registers the same global protobuf names, so a
 * process may load only one of them: the server refuses to start when the other package's protocol
 * modules are already loaded. Run each client's tests in their own file (vitest's default forks
 * pool gives every file its own process) or child process.
 *
 * What it implements, with EventStoreDB's rules:
 * - `Streams.Append` (client-streaming): expected revision `any` / `no_stream` / `stream_exists` /
 *   exact, idempotent retries by event id, wrong expected version in-band
 *   (`AppendResp.wrong_expected_version`), `StreamDeleted` as a `FAILED_PRECONDITION` status;
 * - `Streams.Read` of a stream and of `$all`, forwards and backwards, with counts, from
 *   start / end / a revision / a position (`$all` from a position: inclusive forwards, exclusive
 *   backwards); `ReadResp.stream_not_found` for absent and soft-deleted streams; stream-deleted
 *   status for tombstoned ones; `$all` server-side filters (stream name or event type, prefixes
 *   or regex);
 * - subscriptions to a stream and to `$all` (`Streams.Read` with `subscription`): confirmation,
 *   catch-up strictly after the given revision/position, `caught_up`, then live; `$all` filters
 *   with checkpoints every checkpointIntervalMultiplier × max search window (default 32)
 *   considered records, sent as `ReadResp.checkpoint`;
 * - `Streams.Delete` (soft delete: `{"$tb": long.MaxValue}` in `$$stream`; appending again
 *   recreates the stream with numbering continued and `$tb` set to the first new revision) and
 *   `Streams.Tombstone` (`$streamDeleted` at revision long.MaxValue; never written or read
 *   again); wrong expected version as a status with trailers `exception=wrong-expected-version`,
 *   `stream-name`, `expected-version`, `actual-version` (EventStoreDB `long` codes: any = -2,
 *   no_stream = -1, stream_exists = -4, so an absent stream is `-1`);
 * - metadata streams `$$stream` (`$metadata` events; the last one rules; a metastream keeps one
 *   event); `$tb`, `$maxCount`, `$maxAge` hide events from stream reads and catch-up, never from
 *   `$all`; system records (`$metadata`, `$streamDeleted`) appear in `$all`;
 * - positions: commit = prepare = a byte-offset-like counter that only grows; `created` is .NET
 *   ticks since the Unix epoch, read from the injected clock (which `$maxAge` also uses);
 * - scavenging on demand ({@link EsdbTestServer.scavenge}), node failure ({@link EsdbTestServer.stop})
 *   and recovery on the same port with the same data ({@link EsdbTestServer.restart}).
 *
 * How the KurrentDB 1.x client differs on the wire, and what the server does about it:
 * - it asks `ServerFeatures.GetSupportedMethods` first, as 6.x does; on `UNIMPLEMENTED` it assumes
 *   an unknown server version and appends with `Streams.Append` (not `BatchAppend`); its v2 calls
 *   (`multiStreamAppend`, `appendRecords`) then fail in the client with `UnsupportedError`, as
 *   they would against an EventStoreDB older than 25.1;
 * - appends, deletes and subscriptions go through grpc-js, as in 6.x; `readStream` and `readAll`
 *   go through its native reader (`@kurrent/bridge`, the Rust client), on a connection of its own
 *   that it opens only after waiting `discoveryInterval` (500 ms by default: add
 *   `&discoveryInterval=…` to the connection string to shorten the first read). The Rust reader
 *   keeps only the whole second of `created`, and reads backwards from `end` and forwards from
 *   `start` whatever direction it is given;
 * - the server accepts connections itself, with Nagle's algorithm off, and hands them to grpc-js
 *   (which leaves it on for the connections it accepts): otherwise every native read waited ~40 ms
 *   for the client's delayed ACK.
 *
 * What it does not implement: `BatchAppend` (unregistered; with `ServerFeatures` also
 * unregistered both clients fall back to `Append`, so nothing is lost), `ServerFeatures`,
 * `Gossip` and clusters (single node; use `?tls=false` connection strings without discovery),
 * TLS, authentication and ACLs (credentials are ignored, `$acl` is stored but not enforced),
 * persistent subscriptions, projections and the system projections (`$ce-`, `$et-`, `$by_category`
 * …), link events (`resolve_links` is ignored), operations/users/monitoring services, the
 * `$all` records a real node writes for itself (epochs, `$scavenges`, `$settings`), durability
 * (the log lives in memory), `fell_behind`, `first/last_stream_position` control messages, message
 * size limits and deadlines. Idempotency by event id looks at the whole log, where a real node
 * only remembers recent ids for `any` / `stream_exists` writes.
 *
 * Keepalive: the client pings every 10 s (`keepAliveInterval`); Node's HTTP/2 stack answers and
 * the server never polices pings (no `too_many_pings` GOAWAY), so an idle subscription stays
 * open. The server also pings each connection every 20 s (10 s timeout), so the connections of
 * clients that vanished without closing are reaped and their subscriptions released.
 *
 * On {@link EsdbTestServer.stop} every open call is reset: the client reports `CancelledError`
 * on open subscriptions (and reconnects on its next call), calls made while the server is down
 * fail with `UNAVAILABLE`.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import type * as GrpcJs from '@grpc/grpc-js';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';
import { systemClock } from '../../time/clock.js';
import type { Clock } from '../../time/clock.js';
import {
  allFilterOf,
  appendSuccessResponse,
  appendWrongExpectedVersionResponse,
  caughtUpResponse,
  checkpointResponse,
  confirmationResponse,
  deleteResponse,
  eventResponse,
  expectedRevisionOf,
  invalidArgumentError,
  loadEsdbProtocol,
  loadedProtocolPackages,
  missingMetadataError,
  proposedEventOf,
  streamDeletedError,
  streamNameOf,
  streamNotFoundResponse,
  tombstoneResponse,
  wrongExpectedVersionError,
} from './mapping.js';
import type { AllFilter, EsdbClientPackage, EsdbProtocol, StatusError } from './mapping.js';
import { DELETED_STREAM_REVISION, createEsdbStorage } from './streams.js';
import type { EsdbStorage, ExpectedRevision, ProposedEvent, ReadFrom, StoredEvent } from './streams.js';

/** Options of {@link startEventStoreDbTestServer}. */
export interface EsdbTestServerOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Loopback address to listen on; the server never listens beyond loopback. */
  readonly host?: '127.0.0.1';
  /** Clock for `created` stamps and `$maxAge`; defaults to the system clock. */
  readonly clock?: Clock;
  /**
   * Which client the server is built for (default `eventstoredb`): its messages come from that
   * package's generated modules, `@eventstore/db-client` 6.x or `@kurrent/kurrentdb-client` 1.x,
   * and its connection string uses that client's scheme (`esdb://` or `kurrentdb://`).
   * Both packages register the same global protobuf names, so a process must load only one:
   * the server refuses to start if the other package's protocol modules are already loaded.
   */
  readonly client?: EsdbClientPackage;
}

/** Counters of what the server has been asked, for assertions in tests. */
export interface EsdbTestServerStats {
  /** `Streams.Append` calls received (successful, rejected and idempotent). */
  readonly appendCalls: number;
  /** Events written by appends (idempotent retries write none). */
  readonly appendedEvents: number;
  /** `Streams.Read` calls that were reads, not subscriptions. */
  readonly readCalls: number;
  /** Subscriptions opened (stream and `$all`). */
  readonly subscriptionCalls: number;
  /** Subscriptions currently open. */
  readonly activeSubscriptions: number;
  /** `Streams.Delete` calls. */
  readonly deleteCalls: number;
  /** `Streams.Tombstone` calls. */
  readonly tombstoneCalls: number;
  /** Records in the log (`$all`), including system records, after scavenges. */
  readonly records: number;
  /** Times the server started listening (1 + restarts). */
  readonly starts: number;
}

/** What a scavenge did. */
export interface EsdbScavengeResult {
  /** Records physically removed from the log. */
  readonly removed: number;
}

/** A running in-process EventStoreDB test server. */
export interface EsdbTestServer {
  /**
   * `esdb://127.0.0.1:PORT?tls=false` (or `kurrentdb://…` for the `kurrentdb` client): pass it to
   * `EventStoreDBClient.connectionString` (or `KurrentDBClient.connectionString`).
   */
  readonly connectionString: string;
  /** The client package whose protocol modules the server is built from. */
  readonly client: EsdbClientPackage;
  /** The port it listens on (kept across {@link EsdbTestServer.restart}). */
  readonly port: number;
  /** Drops every connection and stops listening, like a node going down; the data is kept. */
  readonly stop: () => Promise<void>;
  /** Listens again on the same port with the same data (stops first if running); rejects after {@link EsdbTestServer.close}. */
  readonly restart: () => Promise<void>;
  /** Stops for good. */
  readonly close: () => Promise<void>;
  /** Whether it is listening now. */
  readonly isRunning: () => boolean;
  /**
   * Physically drops the events that `$tb`, `$maxCount` and `$maxAge` hide (and everything of
   * soft-deleted and tombstoned streams), keeping each stream's last event, as a scavenge does:
   * afterwards `$all` no longer shows them. Returns how many records were removed.
   */
  readonly scavenge: () => EsdbScavengeResult;
  /** A snapshot of the counters. */
  readonly stats: () => EsdbTestServerStats;
}

interface Subscription {
  readonly pump: () => void;
  readonly close: () => void;
}

type ReadCall = GrpcJs.ServerWritableStream<StreamsPb.ReadReq, StreamsPb.ReadResp>;

const BATCH = 256;

const readCountOf = (options: StreamsPb.ReadReq.Options): number => {
  const count = BigInt(options.getCount() || '0');
  return count > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(count);
};

// Resolves when the call can take more messages, or will never take any again.
const drained = (call: ReadCall): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      call.off('drain', done);
      call.off('cancelled', done);
      call.off('close', done);
      resolve();
    };
    call.on('drain', done);
    call.on('cancelled', done);
    call.on('close', done);
  });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts an in-process EventStoreDB-protocol server on loopback and resolves once it listens.
 * Rejects if the chosen client package (whose generated protocol modules it serves:
 * `@eventstore/db-client` by default, `@kurrent/kurrentdb-client` with `client: 'kurrentdb'`)
 * cannot be loaded, if the other client's protocol modules are already loaded in this process, or
 * if the port cannot be bound.
 *
 * @example
 * ```ts
 * const server = await startEventStoreDbTestServer();
 * const client = EventStoreDBClient.connectionString(server.connectionString);
 * await client.appendToStream('order-1', jsonEvent({ type: 'Placed', data: {} }));
 * await client.dispose();
 * await server.close();
 * ```
 */
export const startEventStoreDbTestServer = async (
  options: EsdbTestServerOptions = {},
): Promise<EsdbTestServer> => {
  const client = options.client ?? 'eventstoredb';
  const other = loadedProtocolPackages().find((loaded) => loaded !== client);
  if (other !== undefined) {
    throw new Error(
      `The ${other} client's protocol modules are already loaded in this process; the ${client} test server ` +
        'would share their global protobuf names. Run each client in its own process (its own test file).',
    );
  }
  const p = await loadEsdbProtocol(client);
  const host = options.host ?? '127.0.0.1';
  const storage = createEsdbStorage(options.clock ?? systemClock);
  const subscriptions = new Set<Subscription>();
  const counters = {
    appendCalls: 0,
    appendedEvents: 0,
    readCalls: 0,
    subscriptionCalls: 0,
    deleteCalls: 0,
    tombstoneCalls: 0,
    starts: 0,
  };
  storage.onWrite(() => {
    for (const subscription of [...subscriptions]) {
      // A subscriber's broken transport must never fail the write that woke it.
      try {
        subscription.pump();
      } catch {
        subscription.close();
      }
    }
  });

  const handlers = createHandlers(p, storage, subscriptions, counters);
  let server: Running | undefined;
  let closed = false;

  interface Running {
    readonly grpc: GrpcJs.Server;
    readonly tcp: NetServer;
    readonly sockets: Set<Socket>;
  }

  // The server listens on its own TCP socket and hands each connection to grpc-js through a
  // connection injector, because grpc-js leaves Nagle's algorithm on for the connections it
  // accepts: a response's header, data and trailer writes then wait for the client's delayed ACK,
  // and the KurrentDB client's native reader (Rust, hyper) paid ~40 ms for every read.
  const listen = async (port: number): Promise<number> => {
    // After a stop the kernel may need a moment to release the port.
    for (let attempt = 0; ; attempt += 1) {
      const candidate = new p.grpc.Server({
        'grpc.keepalive_time_ms': 20_000,
        'grpc.keepalive_timeout_ms': 10_000,
        'grpc.max_receive_message_length': 17 * 1024 * 1024,
      });
      // Only Streams: ServerFeatures stays UNIMPLEMENTED so the clients use Append, not BatchAppend.
      candidate.addService(p.service, handlers);
      const injector = candidate.createConnectionInjector(p.grpc.ServerCredentials.createInsecure());
      const sockets = new Set<Socket>();
      const tcp = createNetServer({ noDelay: true }, (socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined); // a client that resets its connection is not our failure
        injector.injectConnection(socket);
      });
      try {
        await new Promise<void>((resolve, reject) => {
          tcp.once('error', reject);
          tcp.listen({ host, port, exclusive: true }, () => {
            tcp.off('error', reject);
            resolve();
          });
        });
        server = { grpc: candidate, tcp, sockets };
        counters.starts += 1;
        return (tcp.address() as AddressInfo).port;
      } catch (error) {
        candidate.forceShutdown();
        tcp.close();
        if (port === 0 || attempt >= 40) throw error;
        await sleep(50);
      }
    }
  };

  const stop = async (): Promise<void> => {
    const running = server;
    server = undefined;
    for (const subscription of [...subscriptions]) subscription.close();
    if (running === undefined) return;
    const tcpClosed = new Promise<void>((resolve) => running.tcp.close(() => resolve()));
    await new Promise<void>((resolve) => {
      running.grpc.tryShutdown(() => resolve());
      running.grpc.forceShutdown();
    });
    for (const socket of running.sockets) socket.destroy();
    await tcpClosed;
  };

  const port = await listen(options.port ?? 0);

  return {
    connectionString: `${client === 'kurrentdb' ? 'kurrentdb' : 'esdb'}://${host}:${port}?tls=false`,
    client,
    port,
    stop,
    restart: async () => {
      if (closed) throw new Error('The EventStoreDB test server was closed; start a new one.');
      await stop();
      await listen(port);
    },
    close: async () => {
      closed = true;
      await stop();
    },
    isRunning: () => server !== undefined,
    scavenge: () => storage.scavenge(),
    stats: () => ({
      ...counters,
      activeSubscriptions: subscriptions.size,
      records: storage.size(),
    }),
  };
};

const createHandlers = (
  p: EsdbProtocol,
  storage: EsdbStorage,
  subscriptions: Set<Subscription>,
  counters: {
    appendCalls: number;
    appendedEvents: number;
    readCalls: number;
    subscriptionCalls: number;
    deleteCalls: number;
    tombstoneCalls: number;
  },
): GrpcJs.UntypedServiceImplementation => {
  // A failing server stream must emit 'error': destroy() sends no status and the client hangs.
  const fail = (call: ReadCall, error: StatusError): void => {
    call.emit('error', error);
  };

  const append = (
    call: GrpcJs.ServerReadableStream<StreamsPb.AppendReq, StreamsPb.AppendResp>,
    callback: GrpcJs.sendUnaryData<StreamsPb.AppendResp>,
  ): void => {
    counters.appendCalls += 1;
    let streamName: string | undefined;
    let expected: ExpectedRevision | undefined;
    const events: ProposedEvent[] = [];
    let failure: StatusError | undefined;
    let done = false;
    const finish = (error: StatusError | null, response?: StreamsPb.AppendResp): void => {
      if (done) return;
      done = true;
      callback(error, response);
    };
    call.on('data', (request: StreamsPb.AppendReq) => {
      if (failure !== undefined) return;
      if (request.hasOptions()) {
        const options = request.getOptions();
        if (streamName !== undefined || options === undefined) {
          failure = invalidArgumentError(p, 'Append expects one options message, first.');
          return;
        }
        streamName = streamNameOf(options.getStreamIdentifier());
        expected = expectedRevisionOf(options);
        if (expected === undefined) failure = invalidArgumentError(p, 'Append options lack an expected revision.');
        return;
      }
      const message = request.getProposedMessage();
      if (streamName === undefined || message === undefined) {
        failure = invalidArgumentError(p, 'Append expects the options message before proposed messages.');
        return;
      }
      const event = proposedEventOf(message);
      if ('missing' in event) failure = missingMetadataError(p, event.missing);
      else events.push(event);
    });
    call.on('error', () => {
      done = true; // the client went away; nothing is written
    });
    call.on('end', () => {
      if (failure !== undefined) return finish(failure);
      if (streamName === undefined || expected === undefined) {
        return finish(invalidArgumentError(p, 'Append received no options.'));
      }
      if (done) return;
      const outcome = storage.append(streamName, expected, events);
      switch (outcome._tag) {
        case 'StreamDeleted':
          return finish(streamDeletedError(p, streamName));
        case 'WrongExpectedVersion':
          return finish(null, appendWrongExpectedVersionResponse(p, expected, outcome.currentRevision));
        case 'Appended':
          counters.appendedEvents += outcome.written;
          return finish(null, appendSuccessResponse(p, outcome.currentRevision, outcome.position));
      }
    });
  };

  const deleteWith =
    (mode: 'soft' | 'tombstone') =>
    (
      call: GrpcJs.ServerUnaryCall<StreamsPb.DeleteReq | StreamsPb.TombstoneReq, unknown>,
      callback: GrpcJs.sendUnaryData<StreamsPb.DeleteResp | StreamsPb.TombstoneResp>,
    ): void => {
      if (mode === 'soft') counters.deleteCalls += 1;
      else counters.tombstoneCalls += 1;
      const options = call.request.getOptions();
      const expected = options === undefined ? undefined : expectedRevisionOf(options);
      if (options === undefined || expected === undefined) {
        callback(invalidArgumentError(p, 'Delete options lack a stream or an expected revision.'));
        return;
      }
      const streamName = streamNameOf(options.getStreamIdentifier());
      const outcome = storage.deleteStream(streamName, expected, mode);
      switch (outcome._tag) {
        case 'StreamDeleted':
          return callback(streamDeletedError(p, streamName));
        case 'WrongExpectedVersion':
          return callback(wrongExpectedVersionError(p, streamName, expected, outcome.currentRevision));
        case 'Deleted':
          return callback(
            null,
            mode === 'soft' ? deleteResponse(p, outcome.position) : tombstoneResponse(p, outcome.position),
          );
      }
    };

  const sendAll = async (call: ReadCall, responses: Iterable<StreamsPb.ReadResp>): Promise<void> => {
    for (const response of responses) {
      if (call.cancelled || call.destroyed) return;
      if (!call.write(response)) await drained(call);
    }
    if (!call.cancelled && !call.destroyed) call.end();
  };

  function* eventResponses(events: readonly StoredEvent[], structuredIds: boolean): Iterable<StreamsPb.ReadResp> {
    for (const event of events) yield eventResponse(p, event, structuredIds);
  }

  const read = (call: ReadCall): void => {
    const options = call.request.getOptions();
    if (options === undefined) return fail(call, invalidArgumentError(p, 'Read request without options.'));
    const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
    if (options.hasSubscription()) return subscribe(call, options, structuredIds);
    counters.readCalls += 1;
    const direction =
      options.getReadDirection() === p.streams.ReadReq.Options.ReadDirection.BACKWARDS ? 'backwards' : 'forwards';
    const maxCount = readCountOf(options);
    const streamOptions = options.getStream();
    if (options.hasStream() && streamOptions !== undefined) {
      const streamName = streamNameOf(streamOptions.getStreamIdentifier());
      const from: ReadFrom = streamOptions.hasStart()
        ? 'start'
        : streamOptions.hasEnd()
          ? 'end'
          : BigInt(streamOptions.getRevision());
      const outcome = storage.readStream(streamName, { direction, from, maxCount });
      switch (outcome._tag) {
        case 'StreamDeleted':
          return fail(call, streamDeletedError(p, streamName));
        case 'StreamNotFound':
          void sendAll(call, [streamNotFoundResponse(p, streamName)]);
          return;
        case 'Events':
          void sendAll(call, eventResponses(outcome.events, structuredIds));
          return;
      }
    }
    const allOptions = options.getAll();
    if (!options.hasAll() || allOptions === undefined) {
      return fail(call, invalidArgumentError(p, 'Read request names neither a stream nor $all.'));
    }
    const filter = allFilterOf(options);
    if (filter !== undefined && 'invalid' in filter) return fail(call, invalidArgumentError(p, filter.invalid));
    const from: ReadFrom = allOptions.hasStart()
      ? 'start'
      : allOptions.hasEnd()
        ? 'end'
        : BigInt(allOptions.getPosition()?.getCommitPosition() ?? '0');
    const events = storage.readAll({ direction, from, maxCount }, filter?.accepts);
    void sendAll(call, eventResponses(events, structuredIds));
  };

  const subscribe = (call: ReadCall, options: StreamsPb.ReadReq.Options, structuredIds: boolean): void => {
    counters.subscriptionCalls += 1;
    const streamOptions = options.getStream();
    const allOptions = options.getAll();
    let filter: AllFilter | undefined;
    if (!options.hasStream() && options.hasAll()) {
      const parsed = allFilterOf(options);
      if (parsed !== undefined && 'invalid' in parsed) return fail(call, invalidArgumentError(p, parsed.invalid));
      filter = parsed;
    }
    if ((streamOptions === undefined || !options.hasStream()) && (allOptions === undefined || !options.hasAll())) {
      return fail(call, invalidArgumentError(p, 'Subscription names neither a stream nor $all.'));
    }

    let closed = false;
    let waitingForDrain = false;
    let caughtUp = false;
    const subscription: Subscription = {
      pump: () => pump(),
      close: () => {
        closed = true;
        subscriptions.delete(subscription);
      },
    };
    call.on('cancelled', subscription.close);
    call.on('close', subscription.close);
    call.on('error', subscription.close);

    const waitThenPump = (): void => {
      waitingForDrain = true;
      void drained(call).then(() => {
        waitingForDrain = false;
        pump();
      });
    };
    const end = (error: StatusError): void => {
      subscription.close();
      fail(call, error);
    };

    let pump: () => void;
    if (options.hasStream() && streamOptions !== undefined) {
      const streamName = streamNameOf(streamOptions.getStreamIdentifier());
      // Catch-up is exclusive of the given revision; END means "only what comes next".
      let cursor = streamOptions.hasStart()
        ? -1n
        : streamOptions.hasEnd()
          ? storage.lastRevision(streamName)
          : BigInt(streamOptions.getRevision());
      pump = () => {
        while (!closed && !waitingForDrain) {
          // Catch-up reads what a stream read would show; live delivers every new event.
          const batch = storage.streamEventsAfter(streamName, cursor, BATCH, !caughtUp);
          if (batch.length === 0) {
            if (caughtUp) return;
            caughtUp = true;
            // Events the catch-up could not see stay behind the live cursor.
            const last = storage.lastRevision(streamName);
            if (last > cursor) cursor = last;
            if (!call.write(caughtUpResponse(p))) return waitThenPump();
            continue;
          }
          for (const event of batch) {
            cursor = event.revision;
            const writable = call.write(eventResponse(p, event, structuredIds));
            if (event.revision === DELETED_STREAM_REVISION) return end(streamDeletedError(p, streamName));
            if (!writable) return waitThenPump();
          }
        }
      };
      if (!call.write(confirmationResponse(p, randomUUID()))) waitingForDrain = true;
      if (storage.lastRevision(streamName) === DELETED_STREAM_REVISION) {
        return end(streamDeletedError(p, streamName));
      }
    } else {
      const all = allOptions as StreamsPb.ReadReq.Options.AllOptions;
      // Catch-up is exclusive of the given position; END means "only what comes next".
      let cursor = all.hasStart()
        ? -1n
        : all.hasEnd()
          ? storage.headPosition()
          : BigInt(all.getPosition()?.getCommitPosition() ?? '-1');
      let considered = 0;
      pump = () => {
        while (!closed && !waitingForDrain) {
          const batch = storage.allEventsAfter(cursor, BATCH);
          if (batch.length === 0) {
            if (caughtUp) return;
            caughtUp = true;
            if (!call.write(caughtUpResponse(p))) return waitThenPump();
            continue;
          }
          for (const event of batch) {
            cursor = event.position;
            let writable = true;
            if (filter === undefined || filter.accepts(event)) {
              writable = call.write(eventResponse(p, event, structuredIds));
            }
            if (filter !== undefined) {
              considered += 1;
              if (considered >= filter.checkpointInterval) {
                considered = 0;
                writable = call.write(checkpointResponse(p, event.position)) && writable;
              }
            }
            if (!writable) return waitThenPump();
          }
        }
      };
      if (!call.write(confirmationResponse(p, randomUUID()))) waitingForDrain = true;
    }
    subscriptions.add(subscription);
    if (waitingForDrain) {
      waitingForDrain = false;
      waitThenPump();
    } else pump();
  };

  return {
    append,
    read,
    delete: deleteWith('soft'),
    tombstone: deleteWith('tombstone'),
  } as unknown as GrpcJs.UntypedServiceImplementation;
};
