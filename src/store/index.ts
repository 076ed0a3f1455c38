/**
 * The event store: the port every adapter implements and the embedded in-memory implementation.
 *
 * @module
 */
export * from './port.js';
export { DELETED_STREAM_REVISION, getInMemoryEventStore } from './inMemory.js';
export type { InMemoryEventStoreOptions } from './inMemory.js';
