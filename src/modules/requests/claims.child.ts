/**
 * A second server process for the wish-claim concurrency test (like dues/concurrency.child.ts): it
 * opens the same PostgreSQL database with its own pool, builds its own app, logs in the given users,
 * prints "ready", waits for "go" on stdin, fires its claims all at once and prints the status codes.
 *   node --import tsx src/modules/requests/claims.child.ts <url> <secret> <today> <wishId> <requests> <user>…
 */
import { createInterface } from 'node:readline';
import { openDatabase } from '../../db/connection.js';
import { buildApp } from '../../app.js';
import { createCipher } from '../../platform/crypto.js';
import { configureAudit } from '../../platform/audit.js';
import { fixedClock } from '../../platform/clock.js';

const [url, secret, today, wishId, count, ...users] = process.argv.slice(2);
const handle = await openDatabase({ url, poolSize: 10 });
configureAudit({ secret });
const { app } = await buildApp({ db: handle.db, dbKind: 'postgres', clock: fixedClock(today), cipher: createCipher(secret), dataDir: '/tmp' });
const cookies: string[] = [];
for (const [i, u] of users.entries()) {
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u, password: 'zhibu123' }, remoteAddress: `10.78.0.${i + 1}` });
  cookies.push(`zhibu_session=${login.cookies.find((c) => c.name === 'zhibu_session')!.value}`);
}
process.stdout.write('ready\n');
const rl = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => rl.once('line', () => resolve()));
const results = await Promise.all(
  Array.from({ length: Number(count) }, (_, i) =>
    app.inject({ method: 'POST', url: `/api/requests/${wishId}/claim`, payload: {}, headers: { cookie: cookies[i % cookies.length] } })
      .then((r) => ({ status: r.statusCode, user: users[i % users.length] })),
  ),
);
process.stdout.write(`${JSON.stringify(results)}\n`);
rl.close();
await app.close();
await handle.close();
