/**
 * What the fault tests share: a server with faults in force, a logged-in raw
 * control connection, uploads and downloads over it, and the faults fired.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import type { FtpServerEvents, FtpServerOptions } from '../server.ts';
import { DEMO, logIn, openDataConnection, RawControl, readToEnd, startTestServer } from '../test-fixture.ts';
import { faultSetSchema } from './fault-schema.ts';
import type { FiredFault } from './fault-schema.ts';

/** An inbox file of the demo company's device T1, from the company root. */
export const INBOX_ZIP = 'Entrant/eStock/T1/MvtStocks/LotStockExported_20260101_120000.zip';

/**
 * Starts a server with `faults` (as a fault file gives them) and logs a raw
 * control connection in; it collects every `fault` event and every event of a transfer.
 */
export async function faultyServer(t: TestContext, faults: unknown[], options: Partial<FtpServerOptions> = {},
  { secure = false } = {}) {
  const started = await startTestServer(t, { faults: faultSetSchema.parse({ faults }), ...options });
  const { server } = started;
  const fired: FiredFault[] = [];
  const events: { event: string; payload: unknown }[] = [];
  server.on('fault', ({ fault }) => fired.push(fault));
  for (const event of ['upload', 'upload-cut-short', 'download', 'download-cut-short'] as const) {
    server.on(event, (payload: FtpServerEvents[typeof event]) => events.push({ event, payload }));
  }
  const control = secure ? await RawControl.openSecure(server.port) : await RawControl.open(server.port);
  t.after(() => control.close());
  if (secure) {
    await control.command('PBSZ 0');
    await control.command('PROT P');
  }
  await logIn(control, DEMO);
  const root = server.companyRoot('Demo');
  mkdirSync(join(root, dirname(INBOX_ZIP)), { recursive: true });
  return { ...started, control, fired, events, root };
}

/** Uploads `bytes` with STOR on a fresh plain data connection; returns the final reply. */
export async function store(control: RawControl, path: string, bytes: Buffer): Promise<string> {
  const data = await openDataConnection(control);
  data.on('error', () => undefined);
  const started = await control.command(`STOR ${path}`);
  if (!started.startsWith('150 ')) {
    data.destroy();
    return started;
  }
  data.end(bytes);
  return control.reply();
}

/** Downloads with RETR on a fresh plain data connection: the final reply and what arrived. */
export async function retrieve(control: RawControl, path: string): Promise<{ reply: string; bytes: Buffer }> {
  const data = await openDataConnection(control);
  const chunks: Buffer[] = [];
  data.on('data', (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise<void>((done) => data.once('close', () => done()));
  data.on('error', () => undefined);
  const started = await control.command(`RETR ${path}`);
  assert.match(started, /^150 /);
  const reply = await control.reply();
  await closed;
  return { reply, bytes: Buffer.concat(chunks) };
}

export { readToEnd };
