/**
 * The stock screen: a search by lot or article, and the rows it lists.
 */
import type { ElementName } from '../locator-map.ts';
import { back, tap, type Screen, type as typeInto } from './screen.ts';
import { showSync } from './sync.ts';
import { strategyOf } from '../finder.ts';

/** One row of the stock list as the screen shows it. */
export interface StockRow {
  lot: string;
  article: string;
  /** « DEPOT / EMPLACEMENT ». */
  place: string;
  quantity: string;
}

/** Opens the stock screen from the synchronisation screen. */
export async function openStock(screen: Screen): Promise<void> {
  await showSync(screen);
  await tap(screen, 'sync.openStock');
  await screen.finder.find('stock.search');
}

/** Searches the stock for a lot or an article and reads the rows listed; back on the synchronisation screen after. */
export async function lookUpStock(screen: Screen, query: string): Promise<StockRow[]> {
  await openStock(screen);
  await typeInto(screen, 'stock.search', query);
  await tap(screen, 'stock.searchButton');
  await screen.finder.waitFor(['stock.lot'], screen.finder.findMs);
  const [lots, articles, places, quantities] = await Promise.all(
    (['stock.lot', 'stock.article', 'stock.place', 'stock.quantity'] as const).map((name) => allTexts(screen, name)),
  );
  await back(screen);
  await showSync(screen);
  return (lots ?? []).map((lot, index) => ({
    lot, article: articles?.[index] ?? '', place: places?.[index] ?? '', quantity: quantities?.[index] ?? '',
  }));
}

/** The texts of every element the first matching locator of a name finds, in screen order. */
async function allTexts(screen: Screen, name: ElementName): Promise<string[]> {
  const { browser } = screen.finder;
  for (const locator of screen.finder.element(name).locators) {
    const { using, value } = strategyOf(locator);
    const references = await browser.findElements(using, value);
    if (references.length === 0) continue;
    return Promise.all(references.map(async (reference) => browser.$(reference).getText()));
  }
  return [];
}
