/**
 * A bounded HTTP load loop, run as a separate process so it does not share the server's event loop.
 * Usage: node --import tsx bench/load.ts <url> <cookie|-> <concurrency> <seconds> <maxRequests>
 * Prints one JSON line: { requests, errors, seconds, rps, p50, p99 } (latencies in ms).
 */
import http from 'node:http';

const [url, cookie, conc, secs, max] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(conc) });
const deadline = Date.now() + Number(secs) * 1000;
const maxRequests = Number(max);
const lat: number[] = [];
let errors = 0;
let sent = 0;

function once(): Promise<void> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(url, { agent, headers: cookie && cookie !== '-' ? { cookie } : {} }, (res) => {
      res.resume();
      res.on('end', () => {
        if (res.statusCode !== 200) errors += 1;
        lat.push(performance.now() - t0);
        resolve();
      });
    });
    req.on('error', () => {
      errors += 1;
      resolve();
    });
  });
}

async function worker() {
  while (Date.now() < deadline && sent < maxRequests) {
    sent += 1;
    await once();
  }
}

const start = performance.now();
await Promise.all(Array.from({ length: Number(conc) }, worker));
const seconds = (performance.now() - start) / 1000;
lat.sort((a, b) => a - b);
const q = (p: number) => Number((lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? 0).toFixed(2));
console.log(JSON.stringify({ requests: lat.length, errors, seconds: Number(seconds.toFixed(2)), rps: Number((lat.length / seconds).toFixed(1)), p50: q(0.5), p99: q(0.99) }));
agent.destroy();
