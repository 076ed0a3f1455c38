/**
 * Runs the example service on the system clock: against EventStoreDB when
 * `EVENTSTORE_CONNECTION_STRING` is set, else against the in-process EventStoreDB test server
 * (the log then lives in memory and is gone when the process stops). Listens on `PORT` (default
 * 3000); the worker ticks every `TICK_SECONDS` (default 10). Ctrl-C stops it cleanly.
 *
 * Run: node --import tsx examples/eventstoredb-service/main.ts
 */
import * as E from 'fp-ts/lib/Either.js';
import { connectEventStoreDb } from '../../src/adapters/eventstoredb/index.js';
import { systemClock } from '../../src/index.js';
import { startEventStoreDbTestServer } from '../../src/testing/esdb/index.js';
import type { EsdbTestServer } from '../../src/testing/esdb/index.js';
import { startService } from './service.js';

const fromEnv = process.env['EVENTSTORE_CONNECTION_STRING'];
let testServer: EsdbTestServer | undefined;
let connectionString: string;
if (fromEnv !== undefined && fromEnv !== '') {
  connectionString = fromEnv;
  console.log(`EventStoreDB: ${connectionString.replace(/\/\/[^@/]*@/, '//***@')}`);
} else {
  testServer = await startEventStoreDbTestServer();
  connectionString = testServer.connectionString;
  console.log(`EVENTSTORE_CONNECTION_STRING is not set: started the in-process EventStoreDB test server at ${connectionString}`);
  console.log('(the log lives in this process only; see README.md to run against a real EventStoreDB)');
}

const connected = await connectEventStoreDb(connectionString);
if (E.isLeft(connected)) {
  console.error(`cannot connect to EventStoreDB: ${connected.left._tag}`);
  await testServer?.close();
  process.exit(1);
}
const store = connected.right;

const port = Number(process.env['PORT'] ?? 3000);
const tickEverySeconds = Number(process.env['TICK_SECONDS'] ?? 10);
const service = await startService({
  store,
  clock: systemClock,
  port,
  host: process.env['HOST'] ?? '127.0.0.1',
  tickEverySeconds,
  log: (line) => console.log(`  ${new Date().toISOString()} ${line}`),
});
console.log(`Lethe example service listening on ${service.url} (scheduler ticks every ${tickEverySeconds}s)`);

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  console.log('stopping');
  await service.close();
  await store.close();
  await testServer?.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
