/**
 * A second server process for the check-in concurrency test (ACCEPTANCE.md "Guarantees": two server
 * processes on PostgreSQL). It opens the same database with its own pool, builds its own app, logs in
 * as branch1, prints "ready", waits for "go" on stdin, fires its requests at once and prints the status
 * codes and participation ids as JSON.
 *   node --import tsx src/modules/service/concurrency.child.ts <db url> <secret> <today> <requests> <path> <json body>
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../../db/connection.js';
import { buildApp } from '../../app.js';
import { createCipher } from '../../platform/crypto.js';
import { configureAudit } from '../../platform/audit.js';
import { fixedClock } from '../../platform/clock.js';

const [url, secret, today, count, path, body] = process.argv.slice(2);
const handle = await openDatabase({ url, poolSize: 10 });
configureAudit({ secret });
const { app } = await buildApp({ db: handle.db, dbKind: 'postgres', clock: fixedClock(today), cipher: createCipher(secret), dataDir: '/tmp' });
const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'branch1', password: 'zhibu123' }, remoteAddress: '10.78.0.1' });
const cookie = `zhibu_session=${login.cookies.find((c) => c.name === 'zhibu_session')!.value}`;
process.stdout.write('ready\n');
const rl = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => rl.once('line', () => resolve()));
const results = await Promise.all(
  Array.from({ length: Number(count) }, () =>
    app.inject({ method: 'POST', url: path, payload: JSON.parse(body), headers: { cookie } })
      .then((r) => ({ status: r.statusCode, id: r.statusCode < 300 ? (r.json() as { participationId: number }).participationId : null })),
  ),
);
process.stdout.write(`${JSON.stringify(results)}\n`);
rl.close();
await app.close();
await handle.close();
