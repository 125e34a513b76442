/**
 * A company as the simulator knows it: its FTP login, its BO users, the
 * registry of its mobile devices and the eStock device list. Read from a YAML
 * file (see simulator/companies/demo.yaml).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { withFirstProblemOnly, YamlFile } from './yaml-file.ts';

/** Device ids become folder names on the FTP server: letters, digits, `-`, `_` and `.` only. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,29}$/;

const deviceId = z.string().regex(DEVICE_ID_PATTERN, 'a device id is 1 to 30 letters, digits, "-", "_" or "."');

const companySchema = z.strictObject({
  name: z.string().min(1),
  ftp: z.strictObject({ login: z.string().min(1), password: z.string().min(1) }),
  users: z.array(z.strictObject({
    login: z.string().min(1).max(30),
    lastName: z.string().min(1),
    firstName: z.string().optional(),
  })).min(1),
  registry: z.array(z.strictObject({
    deviceId,
    authKey: z.string().regex(/^[0-9a-f]{16}$/, 'an authentication key is 16 hexadecimal digits'),
    blocked: z.boolean().default(false),
  })),
  estock: z.array(z.strictObject({
    deviceId,
    login: z.string().min(1),
    active: z.boolean().default(true),
    blocked: z.boolean().default(false),
    /** « Critères Articles et Lots »: a filter on what the device receives; empty for all. */
    criteria: z.string().default(''),
  })),
  /**
   * The eStock licences a new back office starts with, validated; default as
   * many as the active devices of the eStock list, until 31/12/2099.
   */
  licences: z.strictObject({
    count: z.number().int().nonnegative(),
    until: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day written YYYY-MM-DD'),
  }).optional(),
});

/** A company: see simulator/companies/demo.yaml for each field. */
export type Company = z.infer<typeof companySchema>;
/** One entry of the device registry. */
export type RegisteredDevice = Company['registry'][number];
/** One entry of the eStock device list. */
export type EstockDevice = Company['estock'][number];

/** The folder of the companies shipped with the simulator. */
export const COMPANIES_FOLDER = join(dirname(fileURLToPath(import.meta.url)), 'companies');

/** The path of a shipped company file by name (`demo`), or the path given if it names a file. */
export function companyFile(nameOrPath: string): string {
  return /[\\/]|\.ya?ml$/.test(nameOrPath) ? nameOrPath : join(COMPANIES_FOLDER, `${nameOrPath}.yaml`);
}

/** What a company file holds, told when the file holds something else. */
const COMPANY_NEEDS = 'a company file is a mapping with name:, ftp:, users:, registry: ' +
  'and estock:; see simulator/companies/demo.yaml';

/**
 * Reads and validates a company file. Throws ConfigError (a YamlFileError)
 * naming the file, the line and the key at fault of its first problem, e.g.
 * `demo.yaml:12: registry.2.authKey: ...`.
 */
export function loadCompany(nameOrPath: string): Company {
  return withFirstProblemOnly(() => {
    const yaml = YamlFile.read(companyFile(nameOrPath), 'company file');
    const parsed = yaml.parseMapping(companySchema, COMPANY_NEEDS);
    checkEstockList(yaml, parsed);
    yaml.throwIfWrong();
    return parsed;
  });
}

/** Each device of the eStock list is in the registry, and works as one of the users. */
function checkEstockList(yaml: YamlFile, company: Company): void {
  const registered = new Set(company.registry.map((device) => device.deviceId));
  const logins = new Set(company.users.map((user) => user.login));
  company.estock.forEach(({ deviceId, login }, index) => {
    if (!registered.has(deviceId)) {
      yaml.add(['estock', index, 'deviceId'], `estock.${index}.deviceId: ${deviceId} is not in ` +
        'the registry; a device joins the eStock list only from the registry');
    }
    if (!logins.has(login)) {
      yaml.add(['estock', index, 'login'], `estock.${index}.login: ${login} is not one of the users`);
    }
  });
}
