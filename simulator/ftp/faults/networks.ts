/**
 * The named networks of the `bandwidth` fault, from networks.yaml beside
 * this file: rates each way and a one-way latency.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { withFirstProblemOnly, YamlFile } from '../../yaml-file.ts';
import { NETWORK_NAMES, type NetworkName } from './fault-schema.ts';

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
