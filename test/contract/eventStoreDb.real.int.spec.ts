// The contract suite on a real EventStoreDB or KurrentDB (target 3 of 3), when one is reachable:
//   docker run --rm -p 2113:2113 eventstore/eventstore:24.10 --insecure --run-projections=All
//   EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false' npm test
// Without the variable the suite is skipped, and says so.
import { describe, it } from 'vitest';
import { connectEventStoreDb } from '../../src/adapters/eventstoredb/index.js';
import { eventStoreContract } from './eventStoreContract.js';

const connectionString = process.env['EVENTSTORE_CONNECTION_STRING'];

if (connectionString === undefined || connectionString === '') {
  describe('eventstoredb adapter on a real server', () => {
    it.skip('skipped: set EVENTSTORE_CONNECTION_STRING to run the contract suite against a real EventStoreDB', () => {});
  });
} else {
  eventStoreContract('eventstoredb adapter on a real server', async () => {
    const connected = await connectEventStoreDb(connectionString);
    if (connected._tag === 'Left') throw new Error(`cannot connect: ${connected.left._tag}`);
    const store = connected.right;
    // No clock: a real server stamps events with its own time, so the maxAge test is skipped.
    return { store, teardown: () => store.close() };
  });
}
