/* Load generator run as its own process: open-loop at a fixed rate, or closed-loop with N in flight. Prints JSON. */
import http from 'node:http';

interface Args {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  rate?: number;
  concurrency?: number;
  seconds: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
const target = new URL(args.url);
const latencies: number[] = [];
let errors = 0;
let statusOther = 0;

function once(): Promise<void> {
  const start = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      { agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method: args.method, headers: args.headers },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode && res.statusCode < 300) latencies.push(performance.now() - start);
          else statusOther++;
          resolve();
        });
      },
    );
    req.on('error', () => {
      errors++;
      resolve();
    });
    if (args.body) req.write(args.body);
    req.end();
  });
}

async function main() {
  const until = performance.now() + args.seconds * 1000;
  const t0 = performance.now();
  const inflight: Promise<void>[] = [];
  if (args.rate) {
    const interval = 1000 / args.rate;
    let next = performance.now();
    while (performance.now() < until) {
      inflight.push(once());
      next += interval;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  } else {
    const worker = async () => {
      while (performance.now() < until) await once();
    };
    for (let i = 0; i < (args.concurrency ?? 1); i++) inflight.push(worker());
  }
  await Promise.all(inflight);
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  process.stdout.write(
    JSON.stringify({ ok: latencies.length, errors, non2xx: statusOther, rps: latencies.length / elapsed, p50: pct(50), p95: pct(95), p99: pct(99), max: latencies.at(-1) ?? NaN }),
  );
  agent.destroy();
}

void main();
