/**
 * The folders of a company on the FTP server, as the guide describes them
 * (section 1c): `Sortant` (back office to mobiles) and `Entrant` (mobiles to
 * back office), each holding one exchange folder per mobile application.
 */
import { join, resolve } from 'node:path';
import { ConfigError } from '../errors.ts';
import { makeFolders } from '../folders.ts';

/** The transfer directions: `Sortant` to the mobiles, `Entrant` to the back office. */
export const EXCHANGE_DIRECTIONS = ['Sortant', 'Entrant'] as const;

/** One exchange folder per mobile app: eStock, Mobil Business (`ND2`), Mobil Visio (`HM1`). */
export const MOBILE_APPS = ['eStock', 'ND2', 'HM1'] as const;

// A company name becomes one folder under the roots folder: nothing that could climb out of it.
const COMPANY_FOLDER_PATTERN = /^[^/\\:*?"<>|\0]{1,64}$/;

/**
 * Checks that a company name can name its root folder. Throws ConfigError
 * naming the company when it is empty, `.`/`..` or holds a path separator.
 */
export function checkCompanyName(company: string): void {
  const nameIsUsable = COMPANY_FOLDER_PATTERN.test(company) && company.trim() === company
    && company !== '.' && company !== '..';
  if (!nameIsUsable) {
    throw new ConfigError(`FTP company "${company}": a company name names its root folder; ` +
      'use 1 to 64 characters without / \\ : * ? " < > |, nor spaces at either end');
  }
}

/** The absolute root folder of a company: `<rootsFolder>/<company>`. */
export function companyRootFolder(rootsFolder: string, company: string): string {
  checkCompanyName(company);
  return join(resolve(rootsFolder), company);
}

/**
 * Creates a company's root (`root`, default `<rootsFolder>/<company>`) and its
 * tree `Sortant|Entrant / eStock|ND2|HM1`, keeping whatever is already there.
 * Returns the absolute root folder. Throws ConfigError when the name is
 * unusable or a folder cannot be created.
 */
export function createCompanyTree(rootsFolder: string, company: string, root?: string): string {
  checkCompanyName(company);
  root = root === undefined ? companyRootFolder(rootsFolder, company) : resolve(root);
  for (const direction of EXCHANGE_DIRECTIONS) {
    for (const app of MOBILE_APPS) {
      const folder = join(root, direction, app);
      try {
        makeFolders(folder);
      } catch (error) {
        const reason = (error as Error).message;
        throw new ConfigError(`FTP company "${company}": cannot create ${folder}: ${reason}; ` +
          'check the roots folder and its permissions', { cause: error });
      }
    }
  }
  return root;
}
