/**
 * The named networks of the `bandwidth` fault, from networks.yaml beside
 * this file: rates each way and a one-way latency; and the rates a bandwidth
 * fault gives.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { withFirstProblemOnly, YamlFile } from '../../yaml-file.ts';
import { NETWORK_NAMES, type FaultBody, type NetworkName } from './fault-schema.ts';

/** The file of the named networks. */
export const NETWORKS_FILE = join(dirname(fileURLToPath(import.meta.url)), 'networks.yaml');

/** One named network's figures. */
export interface Network {
  /** Server to client, kbit/s. */
  downKbps: number;
  /** Client to server, kbit/s. */
  upKbps: number;
  /** One way, milliseconds. */
  latencyMs: number;
}

const networkSchema = z.strictObject({
  downKbps: z.number().int().positive(),
  upKbps: z.number().int().positive(),
  latencyMs: z.number().int().nonnegative(),
});
const networksSchema = z.strictObject(
  Object.fromEntries(NETWORK_NAMES.map((name) => [name, networkSchema])) as Record<NetworkName, typeof networkSchema>,
);

let networks: Record<NetworkName, Network> | undefined;

/** The figures of a named network. Throws ConfigError when networks.yaml is wrong. */
export function networkNamed(name: NetworkName): Network {
  networks ??= withFirstProblemOnly(() => YamlFile.read(NETWORKS_FILE, 'network file')
    .parseMapping(networksSchema, `a mapping of ${NETWORK_NAMES.join(', ')} to downKbps, upKbps and latencyMs`));
  return networks[name];
}

/** The rates of a bandwidth fault, kbit/s, its own or its network's, and the network's latency. */
export function ratesOf(body: FaultBody<'bandwidth'>):
  { up?: number; down?: number; latencyMs: number; name?: string } {
  const network = body.network === undefined ? undefined : networkNamed(body.network);
  const up = body.upKbps ?? network?.upKbps;
  const down = body.downKbps ?? network?.downKbps;
  return {
    ...(up !== undefined && { up }),
    ...(down !== undefined && { down }),
    latencyMs: network?.latencyMs ?? 0,
    ...(body.network !== undefined && { name: body.network }),
  };
}

/** The other way. */
export function opposite(direction: 'upload' | 'download'): 'upload' | 'download' {
  return direction === 'upload' ? 'download' : 'upload';
}
