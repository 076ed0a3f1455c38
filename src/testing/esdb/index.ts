/**
 * The in-process EventStoreDB-protocol test server (exported by `lethe/testing`): tests drive the
 * real `@eventstore/db-client` 6.x or `@kurrent/kurrentdb-client` 1.x against it, with
 * EventStoreDB's rules and without a database.
 * See {@link startEventStoreDbTestServer} and the `server` module for what it implements.
 *
 * @module
 */
export { startEventStoreDbTestServer } from './server.js';
export type {
  EsdbScavengeResult,
  EsdbTestServer,
  EsdbTestServerOptions,
  EsdbTestServerStats,
} from './server.js';
export type { EsdbClientPackage } from './mapping.js';
