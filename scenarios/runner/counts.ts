/**
 * How counts read in summaries and messages: `1 movement`, `2 movements`,
 * `0 anomalies`.
 */

/** Plurals that are not the singular plus `s`. */
const IRREGULAR: Readonly<Record<string, string>> = {
  anomaly: 'anomalies',
  entry: 'entries',
};

/** `count` followed by `noun`, in the plural unless count is 1: `1 zip`, `3 zips`, `0 anomalies`. */
export function counted(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : (IRREGULAR[noun] ?? `${noun}s`)}`;
}
