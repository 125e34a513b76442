/**
 * Logging: one `debug` namespace per part of the simulator, switched on with
 * the DEBUG environment variable, e.g. `DEBUG=hil:* npm start` or
 * `DEBUG=hil:ftp:wire` for the FTP wire transcript alone.
 */
import createDebug from 'debug';

/** The namespaces in use, so that every part logs under a name a reader can switch on. */
export type LogNamespace =
  | 'hil:ftp'
  | 'hil:ftp:wire'
  | 'hil:exchange'
  | 'hil:bo'
  | 'hil:device'
  | 'hil:scenario'
  | 'hil:appium';

/** A logger for one part; `context` (company, device, session) prefixes every line. */
export function logger(namespace: LogNamespace, context?: string): (format: string, ...args: unknown[]) => void {
  const log = createDebug(namespace);
  if (context === undefined) return (format, ...args) => log(format, ...args);
  return (format, ...args) => log(`[${context}] ${format}`, ...args);
}
