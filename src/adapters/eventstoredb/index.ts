/**
 * `lethe/eventstoredb`: the event-store port on EventStoreDB or KurrentDB. The client library is a
 * peer dependency (`@eventstore/db-client` 6.2.x, or `@kurrent/kurrentdb-client` 1.x) and is loaded
 * only by {@link connectEventStoreDb}.
 *
 * @module
 */
export {
  connectEventStoreDb,
  getEventStoreDbEventStore,
  type ClientRecordedEvent,
  type ClientResolvedEvent,
  type ClientStream,
  type EventStoreDbClientLike,
  type EventStoreDbEventStore,
  type EventStoreDbOptions,
  type EventStoreDbSubscription,
  type SubscriptionState,
} from './eventStoreDb.js';
