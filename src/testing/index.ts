/**
 * `lethe/testing`: what hosts import for their own tests.
 *
 * - {@link deciderSpec}: given/when/then over any decider, asserting with `node:assert` (any runner);
 * - {@link startEventStoreDbTestServer}: an in-process EventStoreDB-protocol server on loopback, for
 *   Docker-free integration tests (needs `@eventstore/db-client` and `@grpc/grpc-js` installed; they
 *   are loaded only when the server starts).
 *
 * @module
 */
export * from './deciderSpec.js';
export * from './esdb/index.js';
