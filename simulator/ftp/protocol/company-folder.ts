/**
 * The files one logged-in session may reach: the company root and nothing
 * outside it. Paths from clients are virtual (`/Entrant/eStock/T1`, or relative
 * to the current folder); they are resolved here, refused when they would
 * reach out of the root through a link, and turned into disk paths
 * that never go back to the client. `..` at the root stays at the root, as
 * on the chrooted servers customers run.
 */
import { realpathSync } from 'node:fs';
import { dirname, join, posix, sep } from 'node:path';

/** A client path the session may not use; `reply` is the FTP reply to give. */
export class PathRefused extends Error {
  constructor(readonly reply: number, message: string) {
    super(message);
  }
}

/** A resolved path: as the client sees it, and on disk. */
export interface ResolvedPath {
  /** Absolute from the company root, `/` first, no trailing `/`: `/Sortant/eStock`. */
  virtual: string;
  /** Absolute path on disk. Never put it in a reply. */
  disk: string;
}

/** The company root of one session. */
export class CompanyFolder {
  private readonly realRoot: string;

  /** `root` must exist; it is resolved through links once, here. */
  constructor(readonly root: string) {
    this.realRoot = realpathSync(root);
  }

  /**
   * Resolves a client path against the current folder `cwd` (virtual).
   * Backslashes count as separators, as on the Windows servers some clients
   * expect; `..` stops at the root, as on a chrooted server. Throws
   * PathRefused (501) for a NUL byte.
   */
  resolve(cwd: string, clientPath: string): ResolvedPath {
    if (clientPath.includes('\0')) throw new PathRefused(501, 'A path may not hold a NUL byte');
    const path = clientPath.replaceAll('\\', '/');
    const joined = path.startsWith('/') ? path : `${cwd}/${path}`;
    const segments: string[] = [];
    for (const segment of joined.split('/')) {
      if (segment === '' || segment === '.') continue;
      // As on a chrooted server, the parent of the root is the root itself: `/..` is `/`.
      if (segment === '..') segments.pop();
      else segments.push(segment);
    }
    const virtual = posix.join('/', ...segments);
    return { virtual, disk: segments.length === 0 ? this.root : join(this.root, ...segments) };
  }

  /**
   * Checks that a resolved path, followed through links, stays inside the
   * root: its nearest existing ancestor (itself if it exists) must resolve
   * inside. Throws PathRefused (550) otherwise. Synchronous: one realpath(3)
   * call costs less than a round trip through the thread pool, on every command.
   */
  confine(path: ResolvedPath): void {
    let existing = path.disk;
    for (;;) {
      try {
        const real = realpathSync.native(existing);
        if (real === this.realRoot || real.startsWith(this.realRoot + sep)) return;
        throw new PathRefused(550, 'Permission denied: the path leads out of the company root');
      } catch (error) {
        if (error instanceof PathRefused) throw error;
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
        const parent = dirname(existing);
        if (parent === existing || existing === this.root) return;
        existing = parent;
      }
    }
  }

  /** Resolves and confines in one go. */
  reach(cwd: string, clientPath: string): ResolvedPath {
    const resolved = this.resolve(cwd, clientPath);
    this.confine(resolved);
    return resolved;
  }
}
