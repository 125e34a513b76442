/**
 * The tables of the generated catalog that describe the company and its
 * settings: SOCIETY, PARAMSOC, PARAMMOBILSTOCK, DEFSYS, SOFTUSER (the BO
 * users of the company file) and DEVICEMOBIL (its device registry).
 */
import type { Company } from '../company.ts';
import type { Mapping, Row } from '../exchange/types.ts';
import { STREETS, TOWNS } from './catalog-words.ts';
import type { SeededRandom } from './seeded-random.ts';

/** The company code of SOCIETY and PARAMSOC. */
export const COMPANY_CODE = '001';

/** The depot a user and a device start in. */
export const DEFAULT_DEPOT = 'STOCK';

function settings(pairs: Record<string, string>): Row[] {
  return Object.entries(pairs).map(([key, value]) => ({ CLE: key, VALEUR: value }));
}

/**
 * DEVICEMOBIL: one row per device of the registry, with its key, whether it is
 * blocked, and its default login when it is in the eStock list.
 */
export function deviceMobilRows(company: Pick<Company, 'registry' | 'estock'>): Row[] {
  const logins = new Map(company.estock.map((device) => [device.deviceId, device.login]));
  return company.registry.map((device) => ({
    DEVICE_ID: device.deviceId,
    AUTH_KEY: device.authKey,
    BLOQUE: device.blocked,
    LOGIN: logins.get(device.deviceId) ?? null,
  }));
}

/** SOFTUSER: the company's BO users, each starting in the bottle stock. */
export function softUserRows(company: Pick<Company, 'users'>): Row[] {
  return company.users.map((user) => ({
    LOGIN: user.login,
    NOM: user.lastName,
    PRENOM: user.firstName ?? null,
    DEP_CODE: DEFAULT_DEPOT,
  }));
}

/** The company tables; the seed draws the address and the SIRET number. */
export function companyTables(random: SeededRandom, mapping: Mapping, company: Company):
  [string, Row[]][] {
  const name = `Vignobles ${company.name}`;
  const place = random.pick(TOWNS);
  const siret = Array.from({ length: 14 }, () => random.int(0, 9)).join('');
  const society: Row = {
    SOC_CODE: COMPANY_CODE, RAISON_SOCIALE: name,
    ADRESSE: `${random.int(1, 40)} ${random.pick(STREETS)}`,
    CODE_POSTAL: place.postCode, VILLE: place.town, SIRET: siret,
  };
  const { codec } = mapping;
  return [
    ['SOCIETY', [society]],
    ['PARAMSOC', settings({
      SOC_CODE: COMPANY_CODE, RAISON_SOCIALE: name, DEVISE: 'EUR', PAYS: 'FR', LANGUE: 'FR',
      DEPOT_DEFAUT: DEFAULT_DEPOT, GESTION_LOTS: '1', GESTION_EMPLACEMENTS: '1',
      DECIMALES_QUANTITE: '3', UNITE_STOCK: 'Bouteille', DEBUT_CAMPAGNE: '01/08',
    })],
    ['PARAMMOBILSTOCK', settings({
      VERSION_DONNEES: mapping.version, EXPORT_IMAGES: 'Aucune', MOTIF_ENTREE: 'ENT',
      MOTIF_SORTIE: 'VTE', MOTIF_TRANSFERT: 'TRF', MOTIF_INVENTAIRE: 'INV', CREATION_LOT: '1',
      INFOS_LOT: '1', STOCK_NEGATIF: '0', TOUS_LES_ARTICLES: '1', DEPOT_DEFAUT: DEFAULT_DEPOT,
    })],
    ['DEFSYS', settings({
      APPLICATION: 'iDViniStoria/FlowOne (back office simulé)', FORMAT_ECHANGE: mapping.format,
      VERSION_ECHANGE: mapping.version, ENCODAGE: codec.encoding, LANGUE_DEFAUT: 'FR',
      LANGUES: 'FR, EN', FORMAT_DATE: codec.dateFormat, SEPARATEUR_DECIMAL: codec.decimalSeparator,
    })],
    ['SOFTUSER', softUserRows(company)],
    ['DEVICEMOBIL', deviceMobilRows(company)],
  ];
}
