/**
 * File system failures as FTP replies. The reply says what went wrong with
 * the client's own (virtual) path, never the path on disk.
 */
import { PathRefused } from '../company-folder.ts';

const REPLIES: Record<string, [number, string]> = {
  ENOENT: [550, 'No such file or folder'],
  ENOTDIR: [550, 'Not a folder'],
  EISDIR: [550, 'Is a folder'],
  EEXIST: [550, 'Already exists'],
  ENOTEMPTY: [550, 'Folder not empty'],
  EACCES: [550, 'Permission denied'],
  EPERM: [550, 'Permission denied'],
  ENOSPC: [452, 'Insufficient storage space'],
  EDQUOT: [452, 'Insufficient storage space'],
  ENAMETOOLONG: [553, 'File name not allowed'],
  EINVAL: [553, 'File name not allowed'],
};

/** The reply for a failure on `virtualPath`: a PathRefused, a file system error, or 451 for anything else. */
export function fileErrorReply(error: unknown, virtualPath: string): { code: number; text: string } {
  if (error instanceof PathRefused) return { code: error.reply, text: `${virtualPath}: ${error.message}` };
  const known = REPLIES[(error as NodeJS.ErrnoException).code ?? ''];
  if (known === undefined) return { code: 451, text: `${virtualPath}: local error in processing` };
  return { code: known[0], text: `${virtualPath}: ${known[1]}` };
}
