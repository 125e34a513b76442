/** The usual texts of the reply codes a reply fault answers with, when the fault gives none. */
export const DEFAULT_REPLY_TEXTS: Readonly<Record<number, string>> = {
  421: 'Service not available, closing control connection',
  425: "Can't open data connection",
  426: 'Connection closed; transfer aborted',
  450: 'Requested file action not taken: file unavailable',
  451: 'Requested action aborted: local error in processing',
  452: 'Requested action not taken: insufficient storage space',
  530: 'Not logged in',
  550: 'Requested action not taken: file unavailable',
  553: 'Requested action not taken: file name not allowed',
};
