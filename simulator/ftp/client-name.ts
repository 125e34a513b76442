/**
 * How the simulated back office names itself to the company FTP server. Its
 * FTP client sends `CLNT estock-hil back office` right after the greeting; the
 * server remembers the name, and the `side` of a fault (docs/faults.md) tells
 * the back office's sessions from every other by this exact name. The virtual
 * device sends no CLNT, as the real app sends none.
 */

/** The name the simulated back office gives with CLNT, and the one the server recognises it by. */
export const BACK_OFFICE_CLIENT_NAME = 'estock-hil back office';

/** Whether a name given with CLNT is the simulated back office's; false for no name. */
export function namesBackOffice(clientName: string | undefined): boolean {
  return clientName === BACK_OFFICE_CLIENT_NAME;
}
