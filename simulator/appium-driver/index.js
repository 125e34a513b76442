// The driver's entry, as Appium imports it. Appium loads a driver with a plain
// dynamic import() and cannot run TypeScript, so this file asks tsx to load the
// TypeScript source for it: no build step, and the source keeps its real paths.
import { tsImport } from 'tsx/esm/api';

const { EstockVirtualDriver } = await tsImport('./src/driver.ts', import.meta.url);

export { EstockVirtualDriver };
export default EstockVirtualDriver;
