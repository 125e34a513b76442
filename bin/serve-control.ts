/**
 * The control channel of a running `estock-hil serve`: a Unix socket,
 * `<state>/serve.sock` (named in serve.json), speaking JSON lines. Each line
 * a client writes is one request; serve answers each with one line, the
 * state after it. `estock-hil faults` is its client; any program can be:
 *
 *     {"op":"set","faults":[{"bandwidth":"4g"}],"seed":7}
 *     {"ok":true,"state":{"seed":7,"faults":[{"fault":1,"spec":{...},"fired":0}],"profile":null}}
 *
 * Requests are checked against the fault and profile formats here too, so
 * that a client other than ours cannot set what the server does not know.
 */
import { rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { FaultControl, FaultInForce, ProfileControl } from '../simulator/ftp/faults/control.ts';
import { faultSpecSchema } from '../simulator/ftp/faults/fault-schema.ts';
import { serverProfileSchema, type ServerProfile } from '../simulator/ftp/profiles/profile-schema.ts';
import { logger } from '../simulator/log.ts';
import { describeValue, issueText, plainIssues, valueAt } from '../simulator/schema-issue.ts';

/** The socket's name inside the state folder. */
export const SERVE_SOCKET_NAME = 'serve.sock';

/** The longest Unix socket path Linux takes (108 bytes with its final NUL). */
const MAX_SOCKET_PATH_BYTES = 107;

/** What a client asks. */
export const controlRequestSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('set'), faults: z.array(faultSpecSchema), seed: z.number().int().optional() }),
  z.strictObject({ op: z.literal('add'), faults: z.array(faultSpecSchema) }, {
    error: (issue) => issue.code === 'unrecognized_keys' && issue.keys.includes('seed')
      ? 'add keeps the seed in force; a seed goes with set' : undefined,
  }),
  z.strictObject({ op: z.literal('clear') }),
  z.strictObject({ op: z.literal('show') }),
  /** A profile as its file gives it (the client reads the file), or null for none. */
  z.strictObject({ op: z.literal('profile'), profile: serverProfileSchema.nullable() }),
]);
export type ControlRequest = z.infer<typeof controlRequestSchema>;

/** The faults and the profile in force. */
export interface ControlState {
  seed: number;
  faults: FaultInForce[];
  profile: ServerProfile | null;
}

/** serve's answer to one request. */
export type ControlReply = { ok: true; state: ControlState } | { ok: false; error: string };

/** What the channel acts on, and who hears of each change. */
export interface ControlTarget {
  faults: FaultControl;
  profile: ProfileControl;
  /** Told of each change made (not of `show`), with the state after it. */
  onChange?: (request: Exclude<ControlRequest, { op: 'show' }>, state: ControlState) => void;
}

/** A listening control channel. */
export interface StartedControl {
  /** The socket's path, for serve.json. */
  readonly socket: string;
  /** Stops listening, closes the clients' connections and removes the socket. */
  close(): Promise<void>;
}

const log = logger('hil:ftp', 'control');

/**
 * The socket path for a state folder: `<state>/serve.sock`, or one in the
 * temporary folder when that path is longer than a Unix socket's may be.
 */
export function controlSocketPath(stateFolder: string): string {
  const path = join(stateFolder, SERVE_SOCKET_NAME);
  if (Buffer.byteLength(path) <= MAX_SOCKET_PATH_BYTES) return path;
  return join(tmpdir(), `estock-hil-serve-${process.pid}.sock`);
}

/** The state of the target, as replies give it. */
function controlState(target: Pick<ControlTarget, 'faults' | 'profile'>): ControlState {
  return { ...target.faults.current(), profile: target.profile.current() ?? null };
}

/** Carries out one request line; never throws. */
function handleControlLine(target: ControlTarget, line: string): ControlReply {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (error) {
    return { ok: false, error: `not a JSON line: ${(error as Error).message}` };
  }
  const parsed = controlRequestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = plainIssues(parsed.error.issues)[0]!;
    const found = valueAt(data, issue.path);
    return { ok: false, error: `${issue.path.join('.') || '(request)'}: ${issueText(issue, describeValue(found))}` };
  }

  const request = parsed.data;
  switch (request.op) {
    case 'set': {
      const { faults, seed } = request;
      target.faults.set({ faults, ...(seed !== undefined && { seed }) });
      break;
    }
    case 'add': target.faults.add(request.faults);
      break;
    case 'clear': target.faults.clear();
      break;
    case 'profile': target.profile.set(request.profile ?? undefined);
      break;
    case 'show': return { ok: true, state: controlState(target) };
  }
  const state = controlState(target);
  try {
    target.onChange?.(request, state);
  } catch (error) {
    log('a listener of control changes threw: %s', (error as Error).message);
  }
  return { ok: true, state };
}

/**
 * Listens on `socket` (a stale socket file left by a serve that died is
 * removed first: the state folder's lock says none runs). Throws the
 * listen error, e.g. EACCES.
 */
export async function startControl(socket: string, target: ControlTarget): Promise<StartedControl> {
  rmSync(socket, { force: true });
  const clients = new Set<Socket>();
  const server: Server = createServer((client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', (error) => log('control client: %s', error.message));
    // readline passes on the client's errors, already logged above.
    createInterface({ input: client }).on('error', () => {}).on('line', (line) => {
      if (line.trim() === '') return;
      client.write(`${JSON.stringify(handleControlLine(target, line))}\n`);
    });
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(socket, () => {
      server.off('error', failed);
      listening();
    });
  });
  log('control channel on %s', socket);

  let closing: Promise<void> | undefined;
  return {
    socket,
    close: () => closing ??= new Promise<void>((closed) => {
      for (const client of clients) client.destroy();
      server.close(() => {
        rmSync(socket, { force: true });
        closed();
      });
    }),
  };
}
