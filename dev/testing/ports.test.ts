import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { quietPort } from './ports';

const listen = (port: number) =>
  new Promise<Server>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

it('hands out ports outside the kernel ephemeral range, in the block of this Jest worker', async () => {
  const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const worker = Number(process.env.JEST_WORKER_ID ?? 0);
  const ports = [await quietPort(), await quietPort(), await quietPort()];
  expect(new Set(ports).size).toBe(3);
  for (const p of ports) {
    expect(p).toBeLessThan(low);
    expect(p).toBeGreaterThanOrEqual(20_000 + worker * 400);
    expect(p).toBeLessThan(20_000 + (worker + 1) * 400);
  }
});

it('skips a port somebody already listens on', async () => {
  const probe = await quietPort();
  // The next one in the block is taken: quietPort must step over it.
  const taken = await listen(probe + 1);
  try {
    expect(await quietPort()).toBe(probe + 2);
  } finally {
    await close(taken);
  }
});
