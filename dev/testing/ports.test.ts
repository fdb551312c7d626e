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

const worker = Number(process.env.JEST_WORKER_ID ?? 0);
const blockStart = 20_000 + worker * 400;
const successor = (p: number) => (p + 1 === blockStart + 400 ? blockStart : p + 1);

it('hands out ports outside the kernel ephemeral range, in the block of this Jest worker', async () => {
  const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
  const ports = [await quietPort(), await quietPort(), await quietPort()];
  expect(new Set(ports).size).toBe(3);
  for (const p of ports) {
    expect(p).toBeLessThan(low);
    expect(p).toBeGreaterThanOrEqual(blockStart);
    expect(p).toBeLessThan(blockStart + 400);
  }
});

it('skips a port somebody already listens on', async () => {
  const probe = await quietPort();
  // The next one in the block is taken: quietPort must step over it.
  const taken = await listen(successor(probe));
  try {
    expect(await quietPort()).toBe(successor(successor(probe)));
  } finally {
    await close(taken);
  }
});
