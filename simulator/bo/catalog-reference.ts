/**
 * The fixed reference tables of the simulated wine estate: families, sale
 * units, packaging, fiscal and depot types, movement reasons and the values of
 * the article and lot criteria. None of them depends on the seed, so scenario
 * files may name any of their codes.
 */
import { APPELLATIONS, GRAPES, words, type Word } from './catalog-words.ts';

/** UPPERFAMILY: code and label. */
export const UPPER_FAMILIES = words([
  'VINS=Vins tranquilles', 'EFFERV=Vins effervescents', 'SPIRIT=Spiritueux et liqueurs',
  'COFFRET=Coffrets et cadeaux',
]);

/** ARTFAMILY: code, label and upper family. */
export const FAMILIES: { code: string; label: string; upper: string }[] = [
  { code: 'ROUGE', label: 'Vins rouges', upper: 'VINS' },
  { code: 'BLANC', label: 'Vins blancs', upper: 'VINS' },
  { code: 'ROSE', label: 'Vins rosés', upper: 'VINS' },
  { code: 'DOUX', label: 'Vins doux et liquoreux', upper: 'VINS' },
  { code: 'VRAC', label: 'Vins en vrac', upper: 'VINS' },
  { code: 'CREMANT', label: 'Crémants', upper: 'EFFERV' },
  { code: 'CHAMP', label: 'Champagnes', upper: 'EFFERV' },
  { code: 'EAUVIE', label: 'Eaux-de-vie', upper: 'SPIRIT' },
  { code: 'LIQUEUR', label: 'Liqueurs et vins de liqueur', upper: 'SPIRIT' },
  { code: 'COFFRET', label: 'Coffrets', upper: 'COFFRET' },
];

/** UNDERFAMILY by family: code and label. */
export const UNDER_FAMILIES: Readonly<Record<string, Word[]>> = {
  ROUGE: words([
    'RGE-GV=Grands vins rouges', 'RGE-TRAD=Rouges de tradition',
    'RGE-FRUIT=Rouges fruités',
  ]),
  BLANC: words(['BLC-SEC=Blancs secs', 'BLC-FUT=Blancs élevés en fût']),
  ROSE: words(['RSE-PALE=Rosés pâles', 'RSE-GAST=Rosés de gastronomie']),
  DOUX: words(['DOU-LIQ=Liquoreux', 'DOU-MOEL=Moelleux']),
  VRAC: words(['VRC-RGE=Vrac rouge', 'VRC-BLC=Vrac blanc']),
  CREMANT: words(['CRE-BRUT=Crémants bruts', 'CRE-ROSE=Crémants rosés']),
  CHAMP: words([
    'CHP-BSA=Bruts sans année', 'CHP-MILL=Champagnes millésimés',
    'CHP-CUVEE=Cuvées de prestige',
  ]),
  EAUVIE: words(['EDV-VIEIL=Eaux-de-vie vieillies', 'EDV-FRUIT=Eaux-de-vie de fruits']),
  LIQUEUR: words(['LIQ-FRUIT=Liqueurs de fruits', 'LIQ-VDL=Vins de liqueur']),
  COFFRET: words(['COF-DECOUV=Coffrets découverte', 'COF-PREST=Coffrets prestige']),
};

/** UNITEVENTE: code, label and how many base units one sale unit holds. */
export const SALE_UNITS: { code: string; label: string; coefficient: number }[] = [
  { code: 'BT75', label: 'Bouteille 75 cl', coefficient: 1 },
  { code: 'DEMI', label: 'Demi-bouteille 37,5 cl', coefficient: 1 },
  { code: 'MAG', label: 'Magnum 150 cl', coefficient: 1 },
  { code: 'BT50', label: 'Bouteille 50 cl', coefficient: 1 },
  { code: 'BT70', label: 'Bouteille 70 cl', coefficient: 1 },
  { code: 'CT6', label: 'Carton de 6 bouteilles', coefficient: 6 },
  { code: 'CT12', label: 'Carton de 12 bouteilles', coefficient: 12 },
  { code: 'COFFRET', label: 'Coffret de 3 bouteilles', coefficient: 1 },
  { code: 'LITRE', label: 'Litre (vin en vrac)', coefficient: 1 },
  { code: 'HL', label: 'Hectolitre', coefficient: 100 },
];

/** PACKAGING: code, label and units per package. */
export const PACKAGINGS: { code: string; label: string; units: number }[] = [
  { code: 'CT6', label: 'Carton de 6 bouteilles', units: 6 },
  { code: 'CT12', label: 'Carton de 12 bouteilles', units: 12 },
  { code: 'CB6', label: 'Caisse bois de 6 bouteilles', units: 6 },
  { code: 'CB3M', label: 'Caisse bois de 3 magnums', units: 3 },
  { code: 'CT24D', label: 'Carton de 24 demi-bouteilles', units: 24 },
  { code: 'CT6S', label: 'Carton de 6 bouteilles de 70 cl', units: 6 },
  { code: 'PAL600', label: 'Palette de 600 bouteilles', units: 600 },
];

/** The packagings each sale unit comes in (PACKAGEARTICLE). */
export const PACKAGINGS_BY_UNIT: Readonly<Record<string, readonly string[]>> = {
  BT75: ['CT6', 'CT12'], MAG: ['CB3M'], DEMI: ['CT24D'], BT50: ['CT6'], BT70: ['CT6S'],
  COFFRET: [], LITRE: [],
};

/** TYPEFISCAL. */
export const FISCAL_TYPES = words([
  'VT=Vins tranquilles', 'VM=Vins mousseux', 'PI=Produits intermédiaires',
  'ALC=Alcools et spiritueux', 'MIXTE=Coffrets (droits par article)',
]);

/** TYPEOFDEPOT. */
export const DEPOT_TYPES = words([
  'PROD=Production et vinification', 'ELEV=Élevage',
  'STOCK=Stockage des produits finis', 'EXPE=Expédition', 'EXT=Dépôt extérieur',
]);

/** The first four depots (code, label, type); every catalog has them. */
export const MAIN_DEPOTS: { code: string; label: string; type: string; location: string }[] = [
  { code: 'CHAI', label: 'Chai de vinification', type: 'PROD', location: 'Cuve inox n°' },
  { code: 'CAVE', label: 'Cave à barriques', type: 'ELEV', location: 'Rangée de barriques' },
  { code: 'STOCK', label: 'Stock bouteilles', type: 'STOCK', location: 'Casier' },
  { code: 'EXPE', label: "Quai d'expédition", type: 'EXPE', location: 'Quai' },
];

/** ARTPRESENTATION. */
export const PRESENTATIONS = words([
  'BTL=Bouteille', 'DEMI=Demi-bouteille', 'MAG=Magnum', 'JERO=Jéroboam (3 L)',
  'CAISSE=Caisse bois', 'ETUI=Étui carton', 'COFFRET=Coffret cadeau', 'BIB=Bag-in-box',
]);

/** MVSMOTIF: the movement reasons and their direction (SENS: E entry, S exit, T transfer, I inventory). */
export const REASONS: { code: string; label: string; direction: 'E' | 'S' | 'T' | 'I' }[] = [
  { code: 'ENT', label: 'Entrée en stock', direction: 'E' },
  { code: 'REC', label: 'Réception', direction: 'E' },
  { code: 'VTE', label: 'Vente', direction: 'S' },
  { code: 'CAS', label: 'Casse', direction: 'S' },
  { code: 'DEG', label: 'Dégustation', direction: 'S' },
  { code: 'TRF', label: 'Transfert', direction: 'T' },
  { code: 'INV', label: 'Inventaire', direction: 'I' },
];

/** A criterion: its title (ARTDESIGNCRITERIA / STODESIGNCRITERIA) and its values. */
export interface Criterion {
  title: string;
  values: Word[];
}

function criterion(title: string, entries: readonly string[]): Criterion {
  return { title, values: words(entries) };
}

function uniqueByCode(all: readonly Word[]): Word[] {
  return [...new Map(all.map((word) => [word.code, word])).values()];
}

/** Article criteria by number (ARTCRITERIA<n>); ARTICLE carries CRIT1 to CRIT4. */
export const ARTICLE_CRITERIA: Readonly<Record<number, Criterion>> = {
  1: criterion('Couleur', [
    'R=Rouge', 'B=Blanc', 'RS=Rosé', 'AMB=Ambré', 'INC=Incolore', 'MIX=Assortiment',
  ]),
  2: { title: 'Appellation', values: uniqueByCode(Object.values(APPELLATIONS).flat()) },
  3: { title: 'Cépage', values: [...GRAPES.red, ...GRAPES.white, ...words(['ASSEMB=Assemblage'])] },
  4: criterion('Élevage', [
    'FUT=Fût de chêne', 'CUVE=Cuve inox', 'AMPH=Amphore', 'FOUDRE=Foudre',
    'LIES=Sur lies',
  ]),
  5: criterion('Certification', [
    'AB=Agriculture biologique', 'HVE=Haute Valeur Environnementale',
    'DEMETER=Biodynamie (Demeter)', 'TERRAV=Terra Vitis', 'CONV=Conventionnelle',
  ]),
  6: criterion('Teneur en sucre', [
    'BRUTN=Brut nature', 'EXTRAB=Extra-brut', 'BRUT=Brut', 'SEC=Sec', 'DSEC=Demi-sec',
    'MOEL=Moelleux', 'LIQ=Liquoreux',
  ]),
  7: criterion('Terroir', [
    'ARGCAL=Argilo-calcaire', 'GRAVES=Graves', 'SCHISTE=Schiste', 'GRANIT=Granit',
    'GALETS=Galets roulés', 'CRAIE=Craie',
  ]),
  8: criterion('Classement', [
    'GCC=Grand cru classé', 'CB=Cru bourgeois', '1ERCRU=Premier cru', 'VILL=Village',
    'AOP=AOP', 'IGP=IGP',
  ]),
  9: criterion('Potentiel de garde', [
    'JEUNE=À boire jeune', 'G3A5=3 à 5 ans', 'G5A10=5 à 10 ans', 'G10P=10 ans et plus',
  ]),
  10: criterion('Accord mets-vins', [
    'VIANDE=Viandes rouges', 'VOLAIL=Volailles', 'POISSON=Poissons et fruits de mer',
    'FROMAGE=Fromages', 'DESSERT=Desserts', 'APERO=Apéritif',
  ]),
  11: criterion('Région', [
    'BORD=Bordeaux', 'BOURG=Bourgogne', 'RHONE=Vallée du Rhône', 'LOIRE=Val de Loire',
    'PROV=Provence', 'ALSACE=Alsace', 'CHAMP=Champagne', 'SUDOUEST=Sud-Ouest',
    'CHARENTE=Charentes',
  ]),
  12: criterion('Gamme', [
    'PREST=Prestige', 'TRAD=Tradition', 'DECOUV=Découverte', 'PRIMEUR=Primeur',
  ]),
  13: criterion('Canal de vente', [
    'CAVEAU=Caveau du domaine', 'CHR=Cafés, hôtels, restaurants', 'CAVISTE=Cavistes',
    'EXPORT=Export', 'GD=Grande distribution',
  ]),
  14: criterion('Bouchage', [
    'LIEGE=Liège naturel', 'TECH=Liège technique', 'VIS=Capsule à vis',
    'VERRE=Bouchon verre', 'MUSEL=Bouchon muselé',
  ]),
  15: criterion('Type de bouteille', [
    'BORDEL=Bordelaise', 'BOURGUIG=Bourguignonne', "FLUTE=Flûte d'Alsace",
    'CHAMPEN=Champenoise', 'CARAFE=Carafe',
  ]),
  16: criterion('Médaille', [
    "OR=Médaille d'or", "ARGENT=Médaille d'argent", 'BRONZE=Médaille de bronze',
    'AUCUNE=Sans médaille',
  ]),
  17: criterion('Vendange', [
    'MANU=Vendange manuelle', 'MECA=Vendange mécanique', 'TRIES=Tries successives',
  ]),
  18: criterion('Température de service', [
    'T6=6 à 8 °C', 'T10=10 à 12 °C', 'T14=14 à 16 °C', 'T16=16 à 18 °C',
  ]),
  20: criterion('Allergènes', [
    'SULF=Contient des sulfites', 'SSA=Sans sulfites ajoutés',
  ]),
  21: criterion('Format', [
    'BT=Bouteille', 'MAG=Magnum', 'DEMI=Demi-bouteille', 'JERO=Jéroboam',
  ]),
};

/** Lot criteria by number (STOCRITERIA<n>); LOTSTOCK carries STOCRIT1 and STOCRIT2. */
export const LOT_CRITERIA: Readonly<Record<number, Criterion>> = {
  1: criterion('État du lot', [
    'CONF=Conforme', 'ACTRL=À contrôler', 'BLOQ=Bloqué (non commercialisable)',
  ]),
  2: criterion('Conditionnement', [
    'BOUT=En bouteilles', 'MAG=En magnums', 'VRAC=En vrac (cuve)', 'COFF=En coffrets',
    'LATTES=Tiré sur lattes',
  ]),
  3: criterion('Origine', [
    'PROPRE=Production du domaine', 'ACHAT=Achat de raisins', 'NEGOCE=Négoce',
  ]),
  4: criterion('Mise en bouteille', [
    'DOMAINE=Au domaine', 'PRESTA=Par un prestataire',
  ]),
  5: criterion('Destination', [
    'FRANCE=Marché français', 'UE=Union européenne', 'GRANDEX=Grand export',
  ]),
};
