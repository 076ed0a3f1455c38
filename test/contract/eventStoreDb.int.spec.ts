// The contract suite on the EventStoreDB adapter, driving the real @eventstore/db-client over gRPC
// against the in-process EventStoreDB-protocol test server (target 2 of 3).
import { EventStoreDBClient } from '@eventstore/db-client';
import { getEventStoreDbEventStore } from '../../src/adapters/eventstoredb/index.js';
import { startEventStoreDbTestServer } from '../../src/testing/esdb/index.js';
import { simulatedClock } from '../../src/time/clock.js';
import { eventStoreContract } from './eventStoreContract.js';

eventStoreContract('eventstoredb adapter over the test server', async () => {
  const clock = simulatedClock(Date.UTC(2026, 0, 1));
  const server = await startEventStoreDbTestServer({ clock });
  const client = EventStoreDBClient.connectionString(server.connectionString);
  const store = getEventStoreDbEventStore(client);
  return {
    store,
    clock,
    teardown: async () => {
      await store.close();
      await server.close();
    },
  };
});
