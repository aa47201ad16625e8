/**
 * A test server (the demo data, real SQLite) in a child process on the database file argv[2]:
 * several of them on one file are routers sharing the database, each with its own event loop.
 * Prints `READY <url>`; SIGTERM stops it and keeps the file.
 */
import { startTestServer } from './server.js';

const srv = await startTestServer({ dbPath: process.argv[2]! });
process.stdout.write(`READY ${srv.url}\n`);
process.once('SIGTERM', () => {
  void srv.stop({ keepDb: true }).then(() => process.exit(0));
});
