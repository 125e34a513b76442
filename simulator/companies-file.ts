/**
 * The companies file of `estock-hil serve`: which companies one FTP server
 * serves, each from its company file, with an optional root folder on disk,
 * a disabled login, and the catalog its back office starts with. See
 * simulator/companies/bench.companies.yaml.
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { COMPANIES_FOLDER, companyFile, loadCompany, type Company } from './company.ts';
import { withFirstProblemOnly, YamlFile } from './yaml-file.ts';

/** Ends the name of a shipped companies file: `bench` is `simulator/companies/bench.companies.yaml`. */
export const COMPANIES_FILE_SUFFIX = '.companies.yaml';

const catalogSchema = z.strictObject({
  size: z.enum(['small', 'medium', 'large']).default('small'),
  seed: z.number().int().nonnegative().default(1),
});

const entrySchema = z.strictObject({
  /** A shipped company (`demo`) or a company file, relative to the companies file. */
  company: z.string().min(1),
  /** The company's root folder on disk, relative to the companies file; default in the state folder. */
  root: z.string().min(1).optional(),
  /** Its FTP login is refused, as a company whose access was withdrawn. */
  disabled: z.boolean().default(false),
  /** The catalog a new BO database is seeded with; a kept database keeps its own. */
  catalog: catalogSchema.default({ size: 'small', seed: 1 }),
});

const fileSchema = z.strictObject({
  mapping: z.strictObject({ format: z.string().min(1), version: z.string().min(1) })
    .default({ format: 'eStock', version: '1.00' }),
  companies: z.array(entrySchema).min(1),
});

/** One company served: its company file read, and how it is served. */
export interface ServedCompany {
  company: Company;
  /** The company file it was read from. */
  companyFile: string;
  /** Absolute root folder, when the companies file gives one. */
  root?: string;
  disabled: boolean;
  catalog: z.infer<typeof catalogSchema>;
}

/** What a companies file says, paths resolved. */
export interface CompaniesConfig {
  /** The companies file, or undefined for the default (the demo company alone). */
  file: string | undefined;
  mapping: { format: string; version: string };
  companies: ServedCompany[];
}

/** The path of a shipped companies file by name (`bench`), or the path given if it names a file. */
export function companiesFilePath(nameOrPath: string): string {
  if (/[\\/]|\.ya?ml$/.test(nameOrPath)) return resolve(nameOrPath);
  return join(COMPANIES_FOLDER, `${nameOrPath}${COMPANIES_FILE_SUFFIX}`);
}

/** What serve serves without a companies file: the demo company, enabled, the small catalog of seed 1. */
export function defaultCompanies(): CompaniesConfig {
  const file = companyFile('demo');
  const demo = { company: loadCompany(file), companyFile: file, disabled: false, catalog: catalogSchema.parse({}) };
  return { file: undefined, mapping: { format: 'eStock', version: '1.00' }, companies: [demo] };
}

/** What a companies file holds, told when the file holds something else. */
const COMPANIES_FILE_NEEDS = 'list the companies under companies:, each one ' +
  '"- company: <a shipped company or a company file>", and optionally the exchange format ' +
  'under mapping:; see docs/serve.md';

/**
 * Reads and validates a companies file, and each company file it names.
 * Throws ConfigError (a YamlFileError) naming the file, the line and the key
 * of the first problem found, e.g.
 * `bench.companies.yaml:3: companies.1.company: FTP login "Demo" is also ...`.
 */
export function loadCompaniesFile(nameOrPath: string): CompaniesConfig {
  const file = companiesFilePath(nameOrPath);
  return withFirstProblemOnly(() => {
    const yaml = YamlFile.read(file, 'companies file');
    const parsed = yaml.parseMapping(fileSchema, COMPANIES_FILE_NEEDS);

    const folder = dirname(file);
    const companies = parsed.companies
      .map((entry, index) => servedCompany(yaml, folder, entry, index));
    checkApart(yaml, companies);
    return { file, mapping: parsed.mapping, companies };
  });
}

function servedCompany(yaml: YamlFile, folder: string, entry: z.infer<typeof entrySchema>,
  index: number): ServedCompany {
  // A bare name is a shipped company (an absolute path); a relative path is from the companies file's folder.
  const named = companyFile(entry.company);
  const path = isAbsolute(named) ? named : join(folder, named);
  let company: Company;
  try {
    company = loadCompany(path);
  } catch (error) {
    const problem = (error as Error).message;
    yaml.add(['companies', index, 'company'], `companies.${index}.company: ${problem}`);
    throw yaml.error({ cause: error });
  }
  return {
    company,
    companyFile: path,
    ...(entry.root !== undefined && { root: resolve(folder, entry.root) }),
    disabled: entry.disabled,
    catalog: entry.catalog,
  };
}

/** Companies share one FTP server: each needs its own login, name and root. */
function checkApart(yaml: YamlFile, companies: readonly ServedCompany[]): void {
  companies.forEach((current, index) => {
    const earlier = companies.slice(0, index);
    const { name, ftp } = current.company;
    const sameLogin = earlier.findIndex((other) => other.company.ftp.login === ftp.login);
    const problem = (key: string, text: string) =>
      yaml.add(['companies', index, key], `companies.${index}.${key}: ${text}`);
    if (sameLogin >= 0) {
      problem('company', `FTP login "${ftp.login}" of ${name} is also the login of ` +
        `companies.${sameLogin} (${companies[sameLogin]!.company.name}); each company logs in with its own`);
    }
    const sameName = earlier.findIndex((other) => other.company.name === name);
    if (sameName >= 0) problem('company', `company ${name} is already companies.${sameName}`);
    const sameRoot = earlier.findIndex((other) => current.root !== undefined && other.root === current.root);
    if (sameRoot >= 0) {
      problem('root', `${current.root} is already the root of companies.${sameRoot}; ` +
        'two companies cannot share one tree');
    }
  });
  yaml.throwIfWrong();
}
