/**
 * The licences of the eStock module (« Gestion des modules », guide 2b): a
 * number of licences, one per device, and an end date. From them the back
 * office generates a key; the publisher's technical service answers with a
 * counter-key that validates it. Export and import are refused while the
 * counter-key is missing or wrong, the end date is past, or more devices are
 * active in the eStock list than there are licences.
 *
 * The real key algorithm is not public. Ours, the simulator's assumption: the
 * key is `ESTK-<licences>-<YYYYMMDD>-<8 hex digits of the SHA-256 of the
 * company, licences and date>`, and the counter-key the first 16 hex digits of
 * an HMAC-SHA256 of the key, in groups of 4. `counterKeyFor` plays the
 * technical service.
 */
import { createHash, createHmac } from 'node:crypto';
import { BackOfficeError, BackOfficeValueError } from '../errors.ts';
import type { BoDatabase } from './database.ts';
import { activeDevices } from './devices.ts';

/** What the BO stores of its eStock licence. */
export interface Licence {
  /** The number of licences: devices that may be active at once. */
  count: number;
  /** The last day of validity, 'YYYY-MM-DD'. */
  until: string;
  /** The key generated from count and until. */
  key: string;
  /** The counter-key entered, or null before one is. */
  counterKey: string | null;
}

/** The licence's standing: the stored licence, and why export and import are refused, if they are. */
export interface LicenceStanding extends Licence {
  valid: boolean;
  /** Why export and import are refused; undefined when the licence is valid. */
  refusal?: string;
}

const LICENCE_KEY = 'estock_licence';
// The technical service's secret: a fixed value of this simulator, not the publisher's.
const SERVICE_SECRET = 'estock-hil technical service';
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkedDay(until: string): string {
  const match = DAY.exec(until);
  const date = match && new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  if (!match || !date || date.toISOString().slice(0, 10) !== until) {
    throw new BackOfficeValueError(`licence end date "${until}" is not a day written YYYY-MM-DD`);
  }
  return until;
}

/** The key the BO generates for `count` licences until `until` ('YYYY-MM-DD'). */
export function licenceKey(company: string, count: number, until: string): string {
  const digest = createHash('sha256').update(`eStock|${company}|${count}|${until}`).digest('hex');
  return `ESTK-${String(count).padStart(4, '0')}-${until.replaceAll('-', '')}-${digest.slice(0, 8).toUpperCase()}`;
}

/** A licence key as the BO generates it: `ESTK-0008-20271231-A31071E7` (either case). */
export const LICENCE_KEY_PATTERN = /^ESTK-\d{4,}-\d{8}-[0-9A-F]{8}$/i;

/**
 * The counter-key that validates a key: what the technical service sends
 * back. Throws BackOfficeValueError for text that is not a licence key.
 */
export function counterKeyFor(key: string): string {
  if (!LICENCE_KEY_PATTERN.test(key.trim())) {
    throw new BackOfficeValueError(`"${key}" is not an eStock licence key: a key reads ` +
      'ESTK-NNNN-YYYYMMDD-XXXXXXXX, as the licence window (bo licence) shows it');
  }
  const digest = createHmac('sha256', SERVICE_SECRET).update(key.trim().toUpperCase()).digest('hex');
  return digest.slice(0, 16).toUpperCase().match(/.{4}/g)!.join('-');
}

/** The stored licence, or undefined when none was ever set. */
export function readLicence(db: BoDatabase): Licence | undefined {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM bo_meta WHERE key = ?').get(LICENCE_KEY);
  return row === undefined ? undefined : JSON.parse(row.value) as Licence;
}

function writeLicence(db: BoDatabase, licence: Licence): void {
  db.prepare('INSERT OR REPLACE INTO bo_meta (key, value) VALUES (?, ?)').run(LICENCE_KEY, JSON.stringify(licence));
}

/**
 * « Générer la clé »: sets the number of licences and the end date, and
 * generates their key; the counter-key must be entered again. Throws
 * BackOfficeValueError for a count that is not a whole number >= 0 or a wrong date.
 */
export function setLicences(db: BoDatabase, company: string, count: number, until: string): Licence {
  if (!Number.isInteger(count) || count < 0) {
    throw new BackOfficeValueError(`number of licences ${count} is not a whole number >= 0`);
  }
  const licence = { count, until: checkedDay(until), key: licenceKey(company, count, until), counterKey: null };
  writeLicence(db, licence);
  return licence;
}

/**
 * Enters the counter-key. It is kept even when wrong, as the BO's window
 * keeps what is typed; the standing then says that it does not validate the key.
 * Throws BackOfficeError when no licence was set.
 */
export function enterCounterKey(db: BoDatabase, counterKey: string): Licence {
  const licence = readLicence(db);
  if (licence === undefined) {
    throw new BackOfficeError('no licence to validate: set the number of licences and the end date first');
  }
  const entered = { ...licence, counterKey: counterKey.trim().toUpperCase() };
  writeLicence(db, entered);
  return entered;
}

/** A licence for a new back office: `count` licences until `until`, validated. */
export function seedLicence(db: BoDatabase, company: string, count: number, until: string): void {
  if (readLicence(db) !== undefined) return;
  const licence = setLicences(db, company, count, until);
  enterCounterKey(db, counterKeyFor(licence.key));
}

/** `2026-12-31` as `31/12/2026`, as the BO shows dates. */
function shown(day: string): string {
  return day.split('-').reverse().join('/');
}

/**
 * The licence's standing on `today` ('YYYY-MM-DD') with these devices active
 * in the eStock list (active and blocked nowhere).
 */
export function licenceStanding(db: BoDatabase, today: string, activeDevices: readonly string[]):
  LicenceStanding {
  const licence = readLicence(db);
  if (licence === undefined) {
    return { count: 0, until: '', key: '', counterKey: null, valid: false,
      refusal: 'the eStock module has no licence: set the number of licences and the end date, ' +
        'then enter the counter-key' };
  }
  const refusal = licenceRefusal(licence, today, activeDevices);
  return { ...licence, valid: refusal === undefined, ...(refusal === undefined ? {} : { refusal }) };
}

function licenceRefusal(licence: Licence, today: string, active: readonly string[]): string | undefined {
  if (licence.counterKey === null) {
    return `the eStock licence key ${licence.key} has no counter-key yet: enter the one the technical service gives`;
  }
  if (licence.counterKey !== counterKeyFor(licence.key)) {
    return `the counter-key ${licence.counterKey} does not validate the eStock licence key ${licence.key}`;
  }
  if (today > licence.until) return `the eStock licence ended on ${shown(licence.until)}`;
  if (active.length > licence.count) {
    return `${active.length} devices are active in the eStock list (${active.join(', ')}) but the ` +
      `licence covers ${licence.count}: deactivate ${active.length - licence.count} or add licences`;
  }
  return undefined;
}

/** 'YYYY-MM-DD' of a moment, local time. */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** Why export and import are refused at `now` by the licence; undefined when it is valid. */
export function licenceRefusalAt(db: BoDatabase, now: Date): string | undefined {
  return licenceStanding(db, localDay(now), activeDevices(db)).refusal;
}
