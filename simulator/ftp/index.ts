/**
 * The FTP part of the simulator: the company FTP server (server.ts) and the
 * client side used by the back office and the device (client.ts).
 */
export * from './server.ts';
export * from './client.ts';
export { EXCHANGE_DIRECTIONS, MOBILE_APPS } from './company-tree.ts';
