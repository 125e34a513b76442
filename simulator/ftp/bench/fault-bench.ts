/**
 * `npm run bench:faults`: what the fault engine costs and whether its caps
 * hold, on our FTP server over 127.0.0.1 with basic-ftp. It times a large
 * file up and down and small commands back to back with no fault engine at
 * all, with faults in force that never match (the cost of asking), and with
 * 50 ms of latency on the data; then it sends and fetches payloads under
 * bandwidth caps (the named networks and two rates of our own) and prints the
 * throughput achieved against the cap. A benchmark to read, not a test: it
 * exits 0 whatever the figures, 1 when it could not measure.
 * Usage: npm run bench:faults -- [--runs 3] [--size-mb 50] [--small 300] [--cap-seconds 3] [--json]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { Client } from 'basic-ftp';
import { Command } from 'commander';
import { downloadBytes } from '../client.ts';
import { faultSetSchema, NETWORK_NAMES, type FaultSet } from '../faults/fault-schema.ts';
import { networkNamed } from '../faults/networks.ts';
import { startFtpServer, type StartedFtpServer } from '../server.ts';
import { median } from './report.ts';

const ACCOUNT = { company: 'Bench', login: 'bench', password: 'bench-faults' };
// Away from the default range (50000-50999) that tests running meanwhile use, and from bench:ftp's.
const PASSIVE_PORTS = { min: 45000, max: 45999 };
const CLIENT_TIMEOUT_MS = 120_000;

interface BenchOptions {
  runs: number;
  sizeMb: number;
  small: number;
  capSeconds: number;
  json: boolean;
}

/** The figures of one engine setting: MB/s each way, ms per small command. */
interface OverheadRow {
  setting: string;
  uploadMBps: number;
  downloadMBps: number;
  commandMs: number;
}

/**
 * One capped transfer: the cap and what was achieved, kbit/s: over the data
 * connection alone (from the fault's record: its bytes and the time from the
 * first byte), and over the whole transfer as the client times it (with the
 * named network's latency on each command).
 */
interface CapRow {
  cap: string;
  direction: 'upload' | 'download';
  capKbps: number;
  dataKbps: number;
  clientKbps: number;
  bytes: number;
}

const note = (line: string): void => void process.stderr.write(`${line}\n`);

const OVERHEAD_SETTINGS: { setting: string; faults?: FaultSet }[] = [
  { setting: 'no fault engine' },
  { setting: '4 faults, none matching', faults: faultSetSchema.parse({ faults: [
    { reply: { verb: 'DELE', code: 550 } }, { cut: { path: 'Sortant/none/**', atBytes: 1 } },
    { latency: { login: 'nobody', ms: 100 } }, { bandwidth: { address: '10.9.9.9', network: 'edge' } },
  ] }) },
  { setting: 'latency 50 ms on data', faults: faultSetSchema.parse({ faults: [
    { latency: { verb: 'STOR', ms: 50 } }, { latency: { verb: 'RETR', ms: 50 } },
  ] }) },
];

const program = new Command('bench:faults')
  .description('the fault engine on our FTP server: overhead with no fault and with latency, bandwidth caps held')
  .option('--runs <n>', 'measured runs of the overhead cases; the median is reported', '3')
  .option('--size-mb <n>', 'size of the large file of the overhead cases, in MB (10^6 bytes)', '50')
  .option('--small <n>', 'small commands (SIZE) per run', '300')
  .option('--cap-seconds <n>', 'how long each capped transfer should take at its cap, in seconds', '3')
  .option('--json', 'print the figures as JSON only')
  .action(async (raw: Record<string, string | boolean>) => {
    await bench({
      runs: whole(raw.runs, '--runs'), sizeMb: whole(raw.sizeMb, '--size-mb'), small: whole(raw.small, '--small'),
      capSeconds: whole(raw.capSeconds, '--cap-seconds'), json: raw.json === true,
    });
  });

async function bench(options: BenchOptions): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'hil-fault-bench-'));
  try {
    const overhead: OverheadRow[] = [];
    for (const { setting, faults } of OVERHEAD_SETTINGS) {
      note(`overhead: ${setting}`);
      overhead.push(await withServer(folder, faults, (server) => measureOverhead(server, setting, options)));
    }
    const caps = await measureCaps(folder, options);
    if (options.json) process.stdout.write(`${JSON.stringify({ overhead, caps }, null, 2)}\n`);
    else process.stdout.write(formatFigures(overhead, caps, options));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

async function withServer<T>(folder: string, faults: FaultSet | undefined,
  work: (server: StartedFtpServer) => Promise<T>): Promise<T> {
  const run = mkdtempSync(join(folder, 'run-'));
  const server = await startFtpServer({
    port: 0, passivePorts: PASSIVE_PORTS, companies: [ACCOUNT], rootsFolder: join(run, 'roots'),
    transcriptsFolder: join(run, 'transcripts'), ...(faults !== undefined && { faults }),
  });
  try {
    return await work(server);
  } finally {
    await server.stop();
  }
}

async function openClient(server: StartedFtpServer): Promise<Client> {
  const client = new Client(CLIENT_TIMEOUT_MS);
  await client.access({ host: server.host, port: server.port, user: ACCOUNT.login, password: ACCOUNT.password });
  return client;
}

async function measureOverhead(server: StartedFtpServer, setting: string, options: BenchOptions):
  Promise<OverheadRow> {
  const payload = Buffer.alloc(options.sizeMb * 1_000_000, 0x5a);
  const client = await openClient(server);
  const up: number[] = [];
  const down: number[] = [];
  const command: number[] = [];
  try {
    for (let run = 0; run <= options.runs; run++) {
      // Run 0 warms up and is not counted.
      const upMs = await timed(() => client.uploadFrom(Readable.from([payload]), 'Entrant/big.bin'));
      let back: Buffer = Buffer.alloc(0);
      const downMs = await timed(async () => void (back = await downloadBytes(client, 'Entrant/big.bin')));
      if (back.length !== payload.length) throw new Error(`download gave ${back.length} of ${payload.length} bytes`);
      const smallMs = await timed(async () => {
        for (let at = 0; at < options.small; at++) await client.size('Entrant/big.bin');
      });
      if (run === 0) continue;
      up.push(payload.length / 1000 / upMs);
      down.push(payload.length / 1000 / downMs);
      command.push(smallMs / options.small);
    }
  } finally {
    client.close();
  }
  return { setting, uploadMBps: median(up), downloadMBps: median(down), commandMs: median(command) };
}

/** The caps measured: each named network both ways, and 64 and 1000 kbit/s of our own. */
async function measureCaps(folder: string, options: BenchOptions): Promise<CapRow[]> {
  const caps = [
    ...NETWORK_NAMES.map((name) => ({ cap: name, up: networkNamed(name).upKbps, down: networkNamed(name).downKbps,
      fault: { bandwidth: { network: name } } })),
    ...[64, 1000].map((kbps) => ({ cap: `${kbps} kbit/s`, up: kbps, down: kbps,
      fault: { bandwidth: { upKbps: kbps, downKbps: kbps } } })),
  ];
  const rows: CapRow[] = [];
  for (const { cap, up, down, fault } of caps) {
    note(`cap: ${cap}`);
    const faults = faultSetSchema.parse({ faults: [fault] });
    await withServer(folder, faults, async (server) => {
      const client = await openClient(server);
      try {
        const upBytes = Math.round((up * 1000 / 8) * options.capSeconds);
        const upMs = await timed(() => client.uploadFrom(Readable.from([Buffer.alloc(upBytes, 1)]), 'Entrant/c.bin'));
        rows.push({ cap, direction: 'upload', capKbps: up, dataKbps: dataKbps(server, 'STOR Entrant/c.bin'),
          clientKbps: kbps(upBytes, upMs), bytes: upBytes });
        const downBytes = Math.round((down * 1000 / 8) * options.capSeconds);
        await client.uploadFrom(Readable.from([Buffer.alloc(downBytes, 2)]), 'Entrant/d.bin');
        const downMs = await timed(async () => void await downloadBytes(client, 'Entrant/d.bin'));
        rows.push({ cap, direction: 'download', capKbps: down, dataKbps: dataKbps(server, 'RETR Entrant/d.bin'),
          clientKbps: kbps(downBytes, downMs), bytes: downBytes });
      } finally {
        client.close();
      }
    });
  }
  return rows;
}

function formatFigures(overhead: readonly OverheadRow[], caps: readonly CapRow[], options: BenchOptions): string {
  const lines = [
    `Overhead: ${options.sizeMb} MB up and down, ${options.small} SIZE commands; median of ${options.runs} runs`,
    '',
    '| setting | upload | download | per command |',
    '| --- | ---: | ---: | ---: |',
    ...overhead.map((row) => `| ${row.setting} | ${row.uploadMBps.toFixed(0)} MB/s | ` +
      `${row.downloadMBps.toFixed(0)} MB/s | ${row.commandMs.toFixed(3)} ms |`),
    '',
    `Caps: each transfer sized to take ${options.capSeconds} s at its cap`,
    '',
    '| cap | direction | cap kbit/s | data connection | / cap | whole transfer, client side |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...caps.map((row) => `| ${row.cap} | ${row.direction} | ${row.capKbps} | ${row.dataKbps.toFixed(0)} | ` +
      `${(row.dataKbps / row.capKbps * 100).toFixed(1)}% | ${row.clientKbps.toFixed(0)} |`),
  ];
  return `${lines.join('\n')}\n`;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** The data rate a bandwidth fault recorded for `command`: `...; 375000 bytes in 3001 ms`. */
function dataKbps(server: StartedFtpServer, command: string): number {
  const record = server.transcript().findLast((line) => line.command === command);
  const text = record?.faults?.find((fault) => fault.kind === 'bandwidth')?.text ?? '';
  const carried = /; (\d+) bytes in (\d+) ms$/.exec(text);
  if (carried === null) throw new Error(`no bandwidth fault recorded for ${command}: ${text || 'none'}`);
  return kbps(Number(carried[1]), Number(carried[2]));
}

function kbps(bytes: number, ms: number): number {
  return (bytes * 8) / ms;
}

function whole(value: string | boolean | undefined, option: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new Error(`${option} ${String(value)}: give a whole number`);
  return number;
}

program.parseAsync().catch((error: Error) => {
  process.stderr.write(`bench:faults could not measure: ${error.message}\n`);
  process.exit(1);
});
