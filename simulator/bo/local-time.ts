/**
 * The BO's clock as the exchange rows carry times: local time, no zone.
 */

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** 'YYYY-MM-DDTHH:mm:ss' in local time: the value of a datetime column. */
export function localDateTime(at: Date): string {
  const date = `${at.getFullYear()}-${twoDigits(at.getMonth() + 1)}-${twoDigits(at.getDate())}`;
  return `${date}T${twoDigits(at.getHours())}:${twoDigits(at.getMinutes())}:${twoDigits(at.getSeconds())}`;
}
