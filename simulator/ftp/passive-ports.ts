/**
 * Choice of the port for each passive data connection. A port is taken by
 * listening on it: one that is busy (another server, another test in
 * parallel) is skipped. Every server of a process shares one cursor per range,
 * started at a random place in it, so that servers running at once do not
 * all try the same ports first.
 */
import { createServer, type Server } from 'node:net';

/** An inclusive range of TCP ports. */
export interface PassivePortRange {
  min: number;
  max: number;
}

/** How many ports of the range are tried before a PASV is answered 425. */
export const PASSIVE_PORT_ATTEMPTS = 50;

const cursors = new Map<string, number>();

/**
 * Listens on a free port of `range` on `host` and returns the listening
 * server. Rejects when none of the first PASSIVE_PORT_ATTEMPTS ports tried is free.
 */
export async function listenOnPassivePort(host: string, range: PassivePortRange): Promise<Server> {
  const attempts = Math.min(PASSIVE_PORT_ATTEMPTS, range.max - range.min + 1);
  for (let attempt = 0; attempt < attempts; attempt++) {
    const server = await listenOn(host, takePort(range));
    if (server !== undefined) return server;
  }
  throw new Error(`no free passive port in ${range.min}-${range.max}`);
}

function takePort(range: PassivePortRange): number {
  const key = `${range.min}-${range.max}`;
  const size = range.max - range.min + 1;
  const offset = cursors.get(key) ?? Math.floor(Math.random() * size);
  cursors.set(key, (offset + 1) % size);
  return range.min + offset;
}

function listenOn(host: string, port: number): Promise<Server | undefined> {
  return new Promise((answer) => {
    // Half-open: Node must not shut our side when the client ends its upload, so that the
    // data channel can still tell a normal close from a reset (PassiveChannel.resetReason).
    const server = createServer({ pauseOnConnect: true, allowHalfOpen: true });
    server.once('error', () => answer(undefined));
    server.listen({ host, port, exclusive: true }, () => answer(server));
  });
}
