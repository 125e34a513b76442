/**
 * Times as the exchange rows carry them: local time without a zone, as the
 * tablet's clock shows it.
 */

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** 'YYYY-MM-DD' in local time. */
export function localDate(at: Date): string {
  return `${at.getFullYear()}-${twoDigits(at.getMonth() + 1)}-${twoDigits(at.getDate())}`;
}

/** 'YYYY-MM-DDTHH:mm:ss' in local time (the datetime value of a row). */
export function localDateTime(at: Date): string {
  return `${localDate(at)}T${twoDigits(at.getHours())}:${twoDigits(at.getMinutes())}:${twoDigits(at.getSeconds())}`;
}
