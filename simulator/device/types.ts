/**
 * The shapes the virtual device speaks in: its settings, the movements a
 * person records on it, and the reports of its synchronisation actions.
 */
import type { Mapping, StockLine } from '../exchange/types.ts';
import type { FtpProfile } from '../ftp/client.ts';

export type { StockLine };

/**
 * How the device's send and receive meet a network or a server that fails.
 * The real app's habits here are unknown: these are the simulator's, to put
 * the rest of the chain (server, BO) through what a careful client does.
 */
export interface SyncSettings {
  /** How long the FTP client waits for the server before giving up, in milliseconds; default 15 000. */
  timeoutMs: number;
  /** How many times a send or a receive is tried before it fails; default 1 (no retry). */
  attempts: number;
  /** The pause before each new attempt, in milliseconds; default 0. */
  pauseMs: number;
  /**
   * `direct` (default): STOR under the final name. `temporary-name`: STOR
   * as `<name>.tmp`, then RNFR/RNTO to the final name.
   */
  uploadMode: UploadMode;
  /**
   * Explicit FTP over TLS: `off` (default), `optional` (when the server
   * offers it), `required`. The settings screen has no such field; in a
   * scenario, device.configure follows the simulator's server unless told.
   */
  tls: DeviceTls;
  /**
   * Where passive data connections go: `control-host` (default) to the host
   * of the control connection, whatever address PASV gives, as the FTP client
   * of the virtual device does by default; `as-given` to the address of the
   * PASV reply, which a server behind a misconfigured NAT gets wrong.
   */
  passiveAddress: PassiveAddressHabit;
}

/** How the movement zip reaches its final name on the server. */
export type UploadMode = 'direct' | 'temporary-name';

/** Whether the device speaks FTP over TLS. */
export type DeviceTls = 'off' | 'optional' | 'required';

/** Which address a passive data connection goes to. */
export type PassiveAddressHabit = 'control-host' | 'as-given';

/** The settings screen: « Identifiant de la tablette », the FTP login, and the BO login it works as. */
export interface DeviceSettings {
  deviceId: string;
  ftp: FtpProfile;
  /** The BO login written in each movement (LOGIN); none when left out. */
  login?: string;
  /**
   * Sync settings to change; those left out keep their value (the defaults
   * at first). The device's `settings` gives all of them.
   */
  sync?: Partial<SyncSettings>;
}

/** The settings a configured device has: every sync setting given, defaults filled in. */
export type DeviceSettingsInForce = DeviceSettings & { sync: SyncSettings };

/** entry E, exit S, transfer T, inventory I (the quantity counted replaces the stock). */
export type MovementType = 'entry' | 'exit' | 'transfer' | 'inventory';

/** One stock movement as a person enters it on the stock screens. */
export interface MovementInput {
  type: MovementType;
  lot: string;
  /** The article of a lot new to the device; for a known lot it must match, or be left out. */
  article?: string;
  /** The vintage (year) of a new lot, or a new vintage for a known one. */
  vintage?: number;
  depot: string;
  /** Required: every stock line lies at a location of its depot. */
  location?: string;
  /** Transfers only: where the quantity goes. */
  toDepot?: string;
  toLocation?: string;
  /** Bottles or litres, 3 decimals at most; > 0, or >= 0 for an inventory. */
  quantity: number;
  /** A reason code of MVSMOTIF whose SENS matches the type. */
  reason: string;
  comment?: string;
  /** Information attached to the lot (INFO_CODE -> VALEUR). */
  lotInformation?: Record<string, string>;
}

/** A movement as the device recorded it. */
export interface RecordedMovement {
  /** MVT_ID: `<deviceId>-<6-digit counter>`, unique on the device. */
  id: string;
  input: MovementInput;
  /** The article of the lot, from the received data or from the input for a new lot. */
  article: string;
  /** Whether this movement created the lot on the device. */
  lotIsNew: boolean;
  /** Local time 'YYYY-MM-DDTHH:mm:ss' (the movement's DATE_MVT). */
  recordedAt: string;
}

/** The outcome of « Test FTP »; `ms` is the whole test's duration. */
export interface FtpTestResult {
  ok: boolean;
  message: string;
  ms: number;
}

/** What a receive loaded: export tables and rows, bytes downloaded, and the export's version and date. */
export interface ReceiveReport {
  tables: number;
  rows: number;
  bytes: number;
  dataVersion: string;
  /** Local time 'YYYY-MM-DDTHH:mm:ss', as written in Version.txt. */
  exportDate: string;
  ms: number;
  /** Attempts made (virtual device only: a report read from the app's screen has none). */
  attempts?: number;
  /** Why each failed attempt before the last failed, oldest first (virtual device only). */
  failures?: string[];
}

/** What a send uploaded; `file` is undefined when nothing was pending (then no FTP at all). */
export interface SendReport {
  file?: string;
  movements: number;
  lots: number;
  /** Bytes of the movement zip. */
  bytes: number;
  ms: number;
  /** Attempts made (virtual device only: a report read from the app's screen has none). */
  attempts?: number;
  /** Why each failed attempt before the last failed, oldest first (virtual device only). */
  failures?: string[];
}

/** How to open a virtual device. */
export interface VirtualDeviceOptions {
  /** The device's own folder (created if missing); its store is `estock.sqlite` in it. */
  folder: string;
  mapping: Mapping;
  /** Movement dates and upload names come from it; default the system clock. */
  clock?: () => Date;
  /** Written to Entrant/eStock/<device>/Version.txt; default '1.0.0'. */
  appVersion?: string;
  /** Default '13'. */
  androidVersion?: string;
  /** Default 'estock-hil virtual tablet'. */
  model?: string;
}

/** The eStock app without a screen: settings, synchronisation and stock screens as calls. */
export interface VirtualDevice {
  readonly settings: DeviceSettingsInForce | undefined;
  /** Saves the settings in the store (they survive reopening); throws DeviceError on a bad device id. */
  configure(settings: DeviceSettings): void;
  /** Login, upload, size and delete of a small file; never throws for FTP failures (ok=false, reply code). */
  testFtp(): Promise<FtpTestResult>;
  /** Downloads and loads the BO's export; throws DeviceError when nothing was exported yet. */
  receive(): Promise<ReceiveReport>;
  /** Validates and records a movement, applying it to the local stock; throws DeviceError. */
  move(input: MovementInput): RecordedMovement;
  /**
   * Uploads the pending movements, lots and lot information, retried as the
   * sync settings say; FtpError leaves them pending.
   */
  send(): Promise<SendReport>;
  /** Movements recorded and not yet confirmed by the server, oldest first. */
  pendingMovements(): RecordedMovement[];
  /** The local stock, by lot, depot and location. */
  stock(): StockLine[];
  close(): void;
}
