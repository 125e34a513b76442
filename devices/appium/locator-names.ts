/**
 * The logical names the page objects find elements by, and the messages they
 * read with the named groups each needs. A locator map must give every one of
 * them, so that a map for a new app version is checked when it is loaded.
 */

/** Every element a page object looks for. */
export const ELEMENT_NAMES = [
  'permission.message', 'permission.allow',
  'sync.title', 'sync.receive', 'sync.send', 'sync.pending', 'sync.status', 'sync.progress',
  'sync.openStock', 'sync.openMovement', 'settings.open', 'menu.more', 'menu.appUpdate',
  'browser.url',
  'settings.title', 'settings.list', 'settings.deviceId', 'settings.ftpUser', 'settings.ftpPassword',
  'settings.ftpHost', 'settings.ftpPort', 'settings.login', 'settings.testFtp', 'settings.testFtpScroll',
  'settings.back',
  'dialog.title', 'dialog.edit', 'dialog.message', 'dialog.ok', 'dialog.cancel',
  'stock.title', 'stock.search', 'stock.searchButton', 'stock.lot', 'stock.article', 'stock.place',
  'stock.quantity',
  'movement.title', 'movement.type', 'movement.type.entry', 'movement.type.exit', 'movement.type.transfer',
  'movement.type.inventory', 'movement.lot', 'movement.article', 'movement.vintage', 'movement.depot',
  'movement.location', 'movement.toDepot', 'movement.toLocation', 'movement.quantity', 'movement.reason',
  'movement.comment', 'movement.lotInformation', 'movement.save', 'movement.status',
] as const;

/** A logical element name, e.g. `settings.deviceId`. */
export type ElementName = (typeof ELEMENT_NAMES)[number];

/** Every message a page object reads, with the named groups its regular expression must have. */
export const MESSAGE_GROUPS = {
  'sync.received': ['tables', 'rows', 'bytes', 'dataVersion', 'exportDate'],
  'sync.receiveFailed': ['reason'],
  'sync.sent': ['file', 'movements', 'lots', 'bytes'],
  'sync.nothingToSend': [],
  'sync.sendFailed': ['reason'],
  'sync.pendingCount': ['count'],
  'movement.recorded': ['id', 'article', 'newLot', 'recordedAt'],
  'movement.refused': ['reason'],
  'ftpTest.succeeded': [],
  'ftpTest.failed': [],
} as const satisfies Record<string, readonly string[]>;

/** A message name, e.g. `sync.received`. */
export type MessageName = keyof typeof MESSAGE_GROUPS;
