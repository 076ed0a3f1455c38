/**
 * The wire side of the EventStoreDB test server: loads the protobuf classes and the Streams
 * service definition that ship inside the chosen client (`@eventstore/db-client` 6.x or
 * `@kurrent/kurrentdb-client` 1.x), and converts between them and the storage engine's records.
 *
 * The generated serializers check `instanceof`, so responses must be built from the very module
 * instances the client uses. The modules are loaded with a dynamic `import()` of the client's own
 * files (`@eventstore/db-client/generated/…` or
 * `@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/…`), resolved from this package like
 * any other import: in the CommonJS build it becomes `require`, in the ESM build Node's loader
 * hands back the same CommonJS module instance from the require cache. Nothing is loaded until a
 * server starts, so `lethe/testing` can be imported without either client installed.
 *
 * @module
 */
import { createRequire } from 'node:module';
import type * as GrpcJs from '@grpc/grpc-js';
import type * as SharedPb from '@eventstore/db-client/generated/shared_pb.js';
import type * as StreamsPb from '@eventstore/db-client/generated/streams_pb.js';
import type * as StreamsGrpcPb from '@eventstore/db-client/generated/streams_grpc_pb.js';
import { EXPECTED_VERSION_CODE } from './streams.js';
import type { ExpectedRevision, ProposedEvent, StoredEvent } from './streams.js';

/**
 * Which client's generated protocol modules the server is built from: `eventstoredb` for
 * `@eventstore/db-client` 6.x, `kurrentdb` for `@kurrent/kurrentdb-client` 1.x.
 */
export type EsdbClientPackage = 'eventstoredb' | 'kurrentdb';

/** The modules the server needs, all loaded at runtime from the chosen client package. */
export interface EsdbProtocol {
  /** The client package the modules come from. */
  readonly client: EsdbClientPackage;
  /** `@grpc/grpc-js`, for the server, statuses and trailers. */
  readonly grpc: typeof GrpcJs;
  /** The client's generated `streams_pb` module. */
  readonly streams: typeof StreamsPb;
  /** The client's generated `shared_pb` module. */
  readonly shared: typeof SharedPb;
  /** The Streams service definition (paths and serializers). */
  readonly service: typeof StreamsGrpcPb.StreamsService;
}

// The KurrentDB 1.x v1 protocol is the EventStoreDB 6.x one (same proto packages, message and
// service names: `event_store.client.streams.Streams`) plus optional fields this server never
// sets (timestamps and positions on CaughtUp/FellBehind/Checkpoint, ReadResp.Position, append
// deadlines). So the 6.2 typings describe the part of both module sets the server uses; the
// KurrentDB contract run (test/contract/kurrentDb.int.spec.ts) is what proves it at runtime.

// ESM import() of a CommonJS module puts module.exports on `default`; tsc's CommonJS interop
// does the same for modules without __esModule and returns the module itself otherwise.
const moduleExports = <A>(namespace: unknown): A => {
  const withDefault = namespace as { readonly default?: A };
  return withDefault.default ?? (namespace as A);
};

/** Where each client package keeps its generated v1 protocol modules (for the isolation check). */
const GENERATED_DIRECTORY: Readonly<Record<EsdbClientPackage, string>> = {
  eventstoredb: '@eventstore/db-client/generated/',
  kurrentdb: '@kurrent/kurrentdb-client/generated/',
};

/**
 * The client packages whose generated protocol modules this process has loaded (read from the
 * CommonJS module cache, which Node shares between `require` and `import()` of CommonJS).
 */
export const loadedProtocolPackages = (): EsdbClientPackage[] => {
  const cache = createRequire(`${process.cwd()}/`).cache;
  const paths = Object.keys(cache).map((path) => path.replace(/\\/g, '/'));
  return (Object.keys(GENERATED_DIRECTORY) as EsdbClientPackage[]).filter((client) =>
    paths.some((path) => path.includes(`/node_modules/${GENERATED_DIRECTORY[client]}`)),
  );
};

const importModules = (
  client: EsdbClientPackage,
): Promise<readonly [unknown, unknown, unknown, unknown]> =>
  // Literal specifiers, so that the CommonJS build turns each into a plain require().
  client === 'kurrentdb'
    ? Promise.all([
        import('@grpc/grpc-js'),
        import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_pb.js'),
        import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/shared_pb.js'),
        import('@kurrent/kurrentdb-client/generated/kurrentdb/protocols/v1/streams_grpc_pb.js'),
      ])
    : Promise.all([
        import('@grpc/grpc-js'),
        import('@eventstore/db-client/generated/streams_pb.js'),
        import('@eventstore/db-client/generated/shared_pb.js'),
        import('@eventstore/db-client/generated/streams_grpc_pb.js'),
      ]);

const protocols = new Map<EsdbClientPackage, Promise<EsdbProtocol>>();

/**
 * Loads (once per package) gRPC and the chosen client's generated Streams modules; rejects if that
 * client is not installed.
 */
export const loadEsdbProtocol = (client: EsdbClientPackage = 'eventstoredb'): Promise<EsdbProtocol> => {
  const cached = protocols.get(client);
  if (cached !== undefined) return cached;
  const loading = importModules(client).then(
    ([grpc, streams, shared, grpcPb]) => ({
      client,
      grpc: moduleExports<typeof GrpcJs>(grpc),
      streams: moduleExports<typeof StreamsPb>(streams),
      shared: moduleExports<typeof SharedPb>(shared),
      service: moduleExports<typeof StreamsGrpcPb>(grpcPb).StreamsService,
    }),
    (error: unknown) => {
      protocols.delete(client);
      throw error;
    },
  );
  protocols.set(client, loading);
  return loading;
};

/** A gRPC status error as grpc-js sends it: code, details and trailers. */
export interface StatusError extends Error {
  /** gRPC status code. */
  readonly code: number;
  /** Status message. */
  readonly details: string;
  /** Trailers (`exception`, `stream-name`, …). */
  readonly metadata: GrpcJs.Metadata;
}

const statusError = (
  p: EsdbProtocol,
  code: number,
  details: string,
  trailers: Readonly<Record<string, string>>,
): StatusError => {
  const metadata = new p.grpc.Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
};

/** `FAILED_PRECONDITION`, `exception=stream-deleted`: what a real node says for a tombstoned stream. */
export const streamDeletedError = (p: EsdbProtocol, streamName: string): StatusError =>
  statusError(p, p.grpc.status.FAILED_PRECONDITION, `Event stream '${streamName}' is deleted.`, {
    exception: 'stream-deleted',
    'stream-name': streamName,
  });

/**
 * `FAILED_PRECONDITION`, `exception=wrong-expected-version`, as Delete and Tombstone report it:
 * versions as EventStoreDB `long` codes (any = -2, no_stream = -1, stream_exists = -4), so an
 * absent stream's actual version is `-1`, exactly as a real node sends it.
 */
export const wrongExpectedVersionError = (
  p: EsdbProtocol,
  streamName: string,
  expected: ExpectedRevision,
  actual: bigint,
): StatusError => {
  const expectedCode = typeof expected === 'bigint' ? expected : EXPECTED_VERSION_CODE[expected];
  return statusError(
    p,
    p.grpc.status.FAILED_PRECONDITION,
    `Delete failed due to WrongExpectedVersion. Stream: ${streamName}, Expected version: ${expectedCode.toString()}, Actual version: ${actual.toString()}`,
    {
      exception: 'wrong-expected-version',
      'stream-name': streamName,
      'expected-version': expectedCode.toString(),
      'actual-version': actual.toString(),
    },
  );
};

/** `INVALID_ARGUMENT` for a request the server cannot make sense of. */
export const invalidArgumentError = (p: EsdbProtocol, details: string): StatusError =>
  statusError(p, p.grpc.status.INVALID_ARGUMENT, details, {});

/** `INVALID_ARGUMENT`, `exception=missing-required-metadata-property`, as a node sends it for a proposed event without `type` or `content-type`. */
export const missingMetadataError = (p: EsdbProtocol, property: string): StatusError =>
  statusError(p, p.grpc.status.INVALID_ARGUMENT, `Missing required metadata property '${property}'.`, {
    exception: 'missing-required-metadata-property',
    'required-metadata-properties': property,
  });

/** The UTF-8 stream name of a stream identifier. */
export const streamNameOf = (identifier: SharedPb.StreamIdentifier | undefined): string =>
  Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');

/** The expected revision of Append/Delete/Tombstone options (all three share the oneof); undefined if unset. */
export const expectedRevisionOf = (options: {
  hasAny(): boolean;
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
  hasRevision(): boolean;
  getRevision(): string;
}): ExpectedRevision | undefined => {
  if (options.hasAny()) return 'any';
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  if (options.hasRevision()) return BigInt(options.getRevision());
  return undefined;
};

const hex = (value: bigint): string => BigInt.asUintN(64, value).toString(16).padStart(16, '0');

const uuidString = (uuid: SharedPb.UUID | undefined): string | undefined => {
  if (uuid === undefined) return undefined;
  if (uuid.hasStructured()) {
    const structured = uuid.getStructured();
    if (structured === undefined) return undefined;
    const digits =
      hex(BigInt(structured.getMostSignificantBits())) + hex(BigInt(structured.getLeastSignificantBits()));
    return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`;
  }
  const text = uuid.getString();
  return text === '' ? undefined : text.toLowerCase();
};

/** A required part a proposed message lacks. */
export interface MissingProperty {
  /** `type`, `content-type` or `id`. */
  readonly missing: string;
}

/** A proposed message as the engine's event, or the name of the required property it lacks. */
export const proposedEventOf = (
  message: StreamsPb.AppendReq.ProposedMessage,
): ProposedEvent | MissingProperty => {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  if (type === undefined) return { missing: 'type' };
  const contentType = metadata.get('content-type');
  if (contentType === undefined) return { missing: 'content-type' };
  const id = uuidString(message.getId());
  if (id === undefined) return { missing: 'id' };
  return {
    id,
    type,
    contentType,
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
};

const uuidMessage = (p: EsdbProtocol, id: string, structured: boolean): SharedPb.UUID => {
  const uuid = new p.shared.UUID();
  if (!structured) return uuid.setString(id);
  const digits = id.replace(/-/g, '');
  const bits = new p.shared.UUID.Structured();
  bits.setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${digits.slice(0, 16)}`)).toString());
  bits.setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${digits.slice(16)}`)).toString());
  return uuid.setStructured(bits);
};

const streamIdentifier = (p: EsdbProtocol, streamName: string): SharedPb.StreamIdentifier =>
  new p.shared.StreamIdentifier().setStreamName(Buffer.from(streamName, 'utf8'));

// Records never change, so each one is built and serialized once, however often it is read.
const eventResponses = new WeakMap<StoredEvent, StreamsPb.ReadResp>();

/** A `ReadResp` carrying one recorded event (type, content-type and created in the metadata map). */
export const eventResponse = (
  p: EsdbProtocol,
  event: StoredEvent,
  structuredIds: boolean,
): StreamsPb.ReadResp => {
  const cached = structuredIds ? undefined : eventResponses.get(event);
  if (cached !== undefined) return cached;
  const response = buildEventResponse(p, event, structuredIds);
  if (!structuredIds) {
    // The generated serializer calls serializeBinary() on every write: answer from the cache.
    const bytes = response.serializeBinary();
    response.serializeBinary = () => bytes;
    eventResponses.set(event, response);
  }
  return response;
};

const buildEventResponse = (
  p: EsdbProtocol,
  event: StoredEvent,
  structuredIds: boolean,
): StreamsPb.ReadResp => {
  const recorded = new p.streams.ReadResp.ReadEvent.RecordedEvent();
  recorded.setId(uuidMessage(p, event.id, structuredIds));
  recorded.setStreamIdentifier(streamIdentifier(p, event.streamName));
  recorded.setStreamRevision(event.revision.toString());
  recorded.setCommitPosition(event.position.toString());
  recorded.setPreparePosition(event.position.toString());
  const metadata = recorded.getMetadataMap();
  metadata.set('type', event.type);
  metadata.set('content-type', event.contentType);
  metadata.set('created', event.created.toString());
  recorded.setData(event.data);
  recorded.setCustomMetadata(event.metadata);
  const readEvent = new p.streams.ReadResp.ReadEvent();
  readEvent.setEvent(recorded);
  readEvent.setCommitPosition(event.position.toString());
  return new p.streams.ReadResp().setEvent(readEvent);
};

/** The first message of every subscription. */
export const confirmationResponse = (p: EsdbProtocol, subscriptionId: string): StreamsPb.ReadResp =>
  new p.streams.ReadResp().setConfirmation(
    new p.streams.ReadResp.SubscriptionConfirmation().setSubscriptionId(subscriptionId),
  );

/** Sent once, when a subscription has delivered everything that existed and goes live. */
export const caughtUpResponse = (p: EsdbProtocol): StreamsPb.ReadResp =>
  new p.streams.ReadResp().setCaughtUp(new p.streams.ReadResp.CaughtUp());

/** A filtered `$all` subscription's checkpoint (commit = prepare = the last considered record). */
export const checkpointResponse = (p: EsdbProtocol, position: bigint): StreamsPb.ReadResp =>
  new p.streams.ReadResp().setCheckpoint(
    new p.streams.ReadResp.Checkpoint()
      .setCommitPosition(position.toString())
      .setPreparePosition(position.toString()),
  );

/** The in-band "stream not found" a read gets for an absent or soft-deleted stream. */
export const streamNotFoundResponse = (p: EsdbProtocol, streamName: string): StreamsPb.ReadResp =>
  new p.streams.ReadResp().setStreamNotFound(
    new p.streams.ReadResp.StreamNotFound().setStreamIdentifier(streamIdentifier(p, streamName)),
  );

/** `AppendResp.success`: current revision (or no_stream) and position (or no_position). */
export const appendSuccessResponse = (
  p: EsdbProtocol,
  currentRevision: bigint,
  position: bigint | undefined,
): StreamsPb.AppendResp => {
  const success = new p.streams.AppendResp.Success();
  if (currentRevision < 0n) success.setNoStream(new p.shared.Empty());
  else success.setCurrentRevision(currentRevision.toString());
  if (position === undefined) success.setNoPosition(new p.shared.Empty());
  else {
    success.setPosition(
      new p.streams.AppendResp.Position()
        .setCommitPosition(position.toString())
        .setPreparePosition(position.toString()),
    );
  }
  return new p.streams.AppendResp().setSuccess(success);
};

/**
 * `AppendResp.wrong_expected_version`, filled as a 20.10+ node fills it: the current and expected
 * options, plus the deprecated 20.6.0 fields a node still sets (except `expected_revision_20_6_0`
 * = ulong.MaxValue for no_stream, which a JS number cannot carry).
 */
export const appendWrongExpectedVersionResponse = (
  p: EsdbProtocol,
  expected: ExpectedRevision,
  currentRevision: bigint,
): StreamsPb.AppendResp => {
  const wrong = new p.streams.AppendResp.WrongExpectedVersion();
  if (expected === 'any') {
    wrong.setExpectedAny(new p.shared.Empty());
    wrong.setAny2060(new p.shared.Empty());
  } else if (expected === 'stream_exists') {
    wrong.setExpectedStreamExists(new p.shared.Empty());
    wrong.setStreamExists2060(new p.shared.Empty());
  } else if (expected === 'no_stream') {
    wrong.setExpectedNoStream(new p.shared.Empty());
  } else {
    wrong.setExpectedRevision(expected.toString());
    if (expected <= BigInt(Number.MAX_SAFE_INTEGER)) wrong.setExpectedRevision2060(Number(expected));
  }
  if (currentRevision < 0n) {
    wrong.setCurrentNoStream(new p.shared.Empty());
    wrong.setNoStream2060(new p.shared.Empty());
  } else {
    wrong.setCurrentRevision(currentRevision.toString());
    if (currentRevision <= BigInt(Number.MAX_SAFE_INTEGER)) {
      wrong.setCurrentRevision2060(Number(currentRevision));
    }
  }
  return new p.streams.AppendResp().setWrongExpectedVersion(wrong);
};

/** `DeleteResp` with the position of the `$metadata` event the soft delete wrote. */
export const deleteResponse = (p: EsdbProtocol, position: bigint): StreamsPb.DeleteResp =>
  new p.streams.DeleteResp().setPosition(
    new p.streams.DeleteResp.Position()
      .setCommitPosition(position.toString())
      .setPreparePosition(position.toString()),
  );

/** `TombstoneResp` with the position of the `$streamDeleted` record. */
export const tombstoneResponse = (p: EsdbProtocol, position: bigint): StreamsPb.TombstoneResp =>
  new p.streams.TombstoneResp().setPosition(
    new p.streams.TombstoneResp.Position()
      .setCommitPosition(position.toString())
      .setPreparePosition(position.toString()),
  );

/** A `$all` filter as a predicate, with its checkpoint interval in considered records. */
export interface AllFilter {
  /** Whether an event passes the filter. */
  readonly accepts: (event: StoredEvent) => boolean;
  /** Records considered between two checkpoints: checkpointIntervalMultiplier × max search window (default window 32). */
  readonly checkpointInterval: number;
}

// EventStoreDB's default max search window when the client asks for `count` (ReadBatchSize).
const DEFAULT_MAX_SEARCH_WINDOW = 32;

/** A filter the server cannot apply. */
export interface InvalidFilter {
  /** What is wrong with it. */
  readonly invalid: string;
}

/** The filter of a read request; undefined for no_filter; a string describing the problem if invalid. */
export const allFilterOf = (
  options: StreamsPb.ReadReq.Options,
): AllFilter | undefined | InvalidFilter => {
  if (!options.hasFilter()) return undefined;
  const filter = options.getFilter();
  if (filter === undefined) return undefined;
  const onStreamName = filter.hasStreamIdentifier();
  const expression = onStreamName ? filter.getStreamIdentifier() : filter.getEventType();
  if (expression === undefined) return { invalid: 'A filter needs a stream identifier or event type expression.' };
  const prefixes = expression.getPrefixList();
  let matches: (text: string) => boolean;
  if (prefixes.length > 0) {
    matches = (text) => prefixes.some((prefix) => text.startsWith(prefix));
  } else {
    let regex: RegExp;
    try {
      regex = new RegExp(expression.getRegex());
    } catch {
      return { invalid: `Invalid filter regex: ${expression.getRegex()}` };
    }
    matches = (text) => regex.test(text);
  }
  const window = filter.hasMax() ? filter.getMax() : DEFAULT_MAX_SEARCH_WINDOW;
  const multiplier = filter.getCheckpointintervalmultiplier();
  return {
    accepts: (event) => matches(onStreamName ? event.streamName : event.type),
    checkpointInterval: Math.max(1, window) * Math.max(1, multiplier),
  };
};
