import { getInMemoryEventStore } from '../../src/store/inMemory.js';
import { simulatedClock } from '../../src/time/clock.js';
import { eventStoreContract } from './eventStoreContract.js';

eventStoreContract('in-memory', async () => {
  const clock = simulatedClock(Date.UTC(2026, 0, 1));
  return { store: getInMemoryEventStore({ clock }), clock };
});
