/**
 * The French words of a wine estate that the catalog generator draws names
 * from. Every word fits Windows-1252 (the mapping's encoding): accents,
 * « », œ and ° are in it, emoji and curly quotes beyond it are not.
 */

/** The first word of an estate's name. */
export const ESTATE_KINDS = [
  'Château', 'Domaine', 'Clos', 'Mas', 'Château', 'Domaine', 'Cave',
] as const;

/** The rest of an estate's name: reads after any of ESTATE_KINDS. */
export const ESTATE_NAMES = [
  'des Aubiers', 'de la Bégude', 'Saint-Hilaire', 'des Combes', 'de Beauséjour',
  'du Prieuré', 'de la Garrigue', 'Belle-Croix', 'des Églantiers', "de l'Ermitage",
  'du Grand Chêne', 'de Montclair', 'La Croix-Bellevue', 'des Hauts de Fontenelle',
  'de Fonvieille', 'des Trois Tilleuls', 'Sainte-Anne', 'du Moulin à Vent',
  'de la Côte Rôtie', 'des Perrières', 'de Val-Fleuri', 'du Roc de Cazelles',
  'de Peyrelongue', 'des Grès Rouges', 'Lamothe-Bergeron', 'de Haut-Cadillac',
  "d'Arlincourt", 'de la Pointe aux Cèdres', 'des Cigales', 'du Vieux Pressoir',
  'de Bellegarde', 'des Sablières',
] as const;

/** Cuvée names. */
export const CUVEES = [
  'Cuvée Prestige', 'Vieilles Vignes', 'Réserve du Propriétaire', 'Cuvée Élégance',
  'Les Terrasses', 'Grande Réserve', 'Cuvée des Moines', 'Premier Vin', 'Second Vin',
  "L'Âme du Terroir", 'Cœur de Cuvée', 'Héritage', 'Fleur de Pierre', 'Sous le Tilleul',
  'Cuvée Saint-Vincent', 'Les Galets Roulés', 'Éclat de Lune', 'Tradition',
  'Les Demoiselles', 'Clos des Fées', 'Cuvée Hélène', 'Pur Fruit',
] as const;

/** An entry of an article criterion table: a code and its label. */
export interface Word {
  code: string;
  label: string;
}

/** Words written 'CODE=Label'. */
export function words(entries: readonly string[]): Word[] {
  return entries.map((entry) => {
    const at = entry.indexOf('=');
    return { code: entry.slice(0, at), label: entry.slice(at + 1) };
  });
}

/** The groups of appellations. */
export type AppellationGroup = 'red' | 'white' | 'rose' | 'sweet' | 'sparkling' | 'spirit';

/** Appellations by kind of wine (ARTCRITERIA2). */
export const APPELLATIONS: Readonly<Record<AppellationGroup, Word[]>> = {
  red: words([
    'STEMGC=Saint-Émilion Grand Cru', 'PESSAC=Pessac-Léognan', 'MEDOC=Médoc',
    'BORDSUP=Bordeaux Supérieur', 'CDR=Côtes du Rhône', 'CHATPAPE=Châteauneuf-du-Pape',
    'CAHORS=Cahors', 'MADIRAN=Madiran', 'BOURGOGNE=Bourgogne Pinot Noir',
    'MORGON=Morgon', 'BANDOL=Bandol', 'STJOSEPH=Saint-Joseph',
  ]),
  white: words([
    'CHABLIS=Chablis Premier Cru', 'SANCERRE=Sancerre', 'POUILLY=Pouilly-Fumé',
    'MUSCADET=Muscadet Sèvre et Maine', 'VOUVRAY=Vouvray', 'ENTRE2M=Entre-deux-Mers',
    'ALSACE=Alsace Grand Cru', 'MACON=Mâcon-Villages',
  ]),
  rose: words([
    'CDP=Côtes de Provence', 'TAVEL=Tavel', 'BANDOL=Bandol', "ROSELOIRE=Rosé d'Anjou",
  ]),
  sweet: words([
    'SAUTERNES=Sauternes', 'MONBAZ=Monbazillac', 'JURANCON=Jurançon',
    'COTLAYON=Coteaux du Layon',
  ]),
  sparkling: words([
    'CHAMPAGNE=Champagne', 'CREMLOIRE=Crémant de Loire',
    'CREMBOURG=Crémant de Bourgogne', "CREMALS=Crémant d'Alsace",
  ]),
  spirit: words([
    'COGNAC=Cognac', 'ARMAGNAC=Bas-Armagnac', 'FINEBORD=Fine Bordeaux',
    "CALVADOS=Calvados Pays d'Auge",
  ]),
};

/** Grape varieties by colour (ARTCRITERIA3). */
export const GRAPES: Readonly<Record<'red' | 'white', Word[]>> = {
  red: words([
    'MERLOT=Merlot', 'CABSAUV=Cabernet Sauvignon', 'CABFRANC=Cabernet Franc',
    'SYRAH=Syrah', 'GRENACHE=Grenache', 'MOURVEDRE=Mourvèdre', 'CINSAULT=Cinsault',
    'PINOTN=Pinot Noir', 'GAMAY=Gamay', 'MALBEC=Malbec (Côt)', 'TANNAT=Tannat',
  ]),
  white: words([
    'CHARDO=Chardonnay', 'SAUVBL=Sauvignon Blanc', 'SEMILLON=Sémillon',
    'CHENIN=Chenin Blanc', 'VIOGNIER=Viognier', 'RIESLING=Riesling',
    'GEWURZ=Gewurztraminer', 'MELON=Melon de Bourgogne', 'UGNI=Ugni Blanc',
    'PMENG=Petit Manseng',
  ]),
};

/** Brandies (« eaux-de-vie ») sold under an estate's name. */
export const BRANDIES = [
  'Cognac VSOP', 'Cognac XO', "Armagnac Hors d'Âge", 'Fine Bordeaux',
  'Marc de Bourgogne', 'Eau-de-vie de poire Williams', "Calvados Pays d'Auge 12 ans",
  'Fine de Bourgogne',
] as const;

/** Liqueurs and fortified wines. */
export const LIQUEURS = [
  'Crème de cassis', 'Ratafia de Champagne', 'Liqueur de framboise',
  'Pineau des Charentes', 'Liqueur de noix', 'Floc de Gascogne', 'Crème de mûre',
] as const;

/** Gift boxes: the three bottles they hold are named by ARTILINK. */
export const GIFT_BOXES = [
  'Coffret découverte', 'Coffret dégustation', 'Coffret prestige',
  'Coffret « Trois couleurs »', 'Coffret cadeau du domaine',
] as const;

/** Towns for the addresses and the depots beyond the first four. */
export const TOWNS = [
  { postCode: '33330', town: 'Saint-Émilion' }, { postCode: '33250', town: 'Pauillac' },
  { postCode: '84230', town: 'Châteauneuf-du-Pape' }, { postCode: '21200', town: 'Beaune' },
  { postCode: '51160', town: 'Aÿ-Champagne' }, { postCode: '49700', town: 'Doué-en-Anjou' },
  { postCode: '83330', town: 'Le Castellet' }, { postCode: '46000', town: 'Cahors' },
  { postCode: '68340', town: 'Riquewihr' }, { postCode: '89800', town: 'Chablis' },
] as const;

/** Streets for the company's address. */
export const STREETS = [
  'route des Grands Crus', 'chemin des Vignes', 'allée des Chais',
  'lieu-dit Les Granges', 'rue du Pressoir', "place de l'Église",
] as const;
