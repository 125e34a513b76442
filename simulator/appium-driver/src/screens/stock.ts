/** The stock screen (ours): a search field and the device's stock lines it matches. */
import type { VirtualApp } from '../app/virtual-app.ts';
import { box, type Bounds, type NodeSpec } from '../ui-node.ts';
import { appId, button, CONTENT_TOP_PX, editText, label, scrollList, toolbar, windowRoot } from './widgets.ts';

/** The height of a stock row, in pixels. */
export const STOCK_ROW_PX = 130;

/** The stock screen: the list follows the search text (lot or article, any case) as it is typed. */
export function stockScreen(app: VirtualApp): NodeSpec {
  const search = app.stockSearch.trim().toLowerCase();
  const lines = app.device.stock().filter((line) => search === '' ||
    line.lot.toLowerCase().includes(search) || line.article.toLowerCase().includes(search));
  const rows = lines.map((line) => (bounds: Bounds): NodeSpec => ({
    className: 'android.widget.LinearLayout', key: `stock-${line.lot}-${line.depot}-${line.location}`, bounds,
    children: [
      label(line.lot, box(40, bounds.top + 20, 320, 90), appId(app, 'stock_lot')),
      label(line.article, box(380, bounds.top + 20, 260, 90), appId(app, 'stock_article')),
      label(`${line.depot} / ${line.location}`, box(660, bounds.top + 20, 320, 90), appId(app, 'stock_place')),
      label(String(line.quantity), box(1000, bounds.top + 20, 160, 90), appId(app, 'stock_quantity')),
    ],
  }));
  const listTop = CONTENT_TOP_PX + 160;
  const content: NodeSpec[] = [
    editText(app, appId(app, 'stock_search'), box(40, CONTENT_TOP_PX + 30, 800, 100), {
      value: () => app.stockSearch,
      set: (value) => {
        app.stockSearch = value;
        app.scrollOffsets.set('stock', 0);
      },
    }, { hint: 'Lot ou article' }),
    button(appId(app, 'stock_search_button'), 'Rechercher', box(860, CONTENT_TOP_PX + 30, 300, 100), () => {
      app.keyboardIsShown = false;
    }),
    lines.length === 0
      ? label('Aucun stock', box(40, listTop + 40, 1120, 80), appId(app, 'stock_empty'))
      : scrollList(app, { listId: 'stock', id: appId(app, 'stock_list'), bounds: box(0, listTop, 1200, 1920 - listTop),
        rowHeight: STOCK_ROW_PX, rows }),
  ];
  return windowRoot([toolbar(app, 'Stock', { up: () => app.back() }), ...content]);
}
