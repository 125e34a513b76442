/**
 * The one interface through which scenarios drive a device, whatever reaches
 * it: the virtual device called directly, or (later) the real app through
 * Appium. A scenario step names the action; the driver decides how it is done
 * on its device. Every method is asynchronous, since a screen takes time.
 */
import type {
  DeviceSettings,
  FtpTestResult,
  MovementInput,
  ReceiveReport,
  RecordedMovement,
  SendReport,
} from '../simulator/device/index.ts';

export type { DeviceSettings, FtpTestResult, MovementInput, ReceiveReport, RecordedMovement, SendReport };

/** A device a scenario can drive: the synchronisation and stock screens of eStock. */
export interface DeviceDriver {
  /** The device id this driver stands for (« Identifiant de la tablette »). */
  readonly deviceId: string;
  /** What drives it, for reports: `virtual`, `appium:virtual`, `appium:uiautomator2`... */
  readonly kind: string;
  /** The settings screen: device id, FTP user, password, host and port. */
  configure(settings: DeviceSettings): Promise<void>;
  /** « Test FTP »: a test transfer with the configured settings. */
  testFtp(): Promise<FtpTestResult>;
  /** The synchronisation screen's receive action: download and load the BO's data. */
  receive(): Promise<ReceiveReport>;
  /** Records one stock movement on the stock screens. */
  move(input: MovementInput): Promise<RecordedMovement>;
  /** The synchronisation screen's send action: upload the pending movements. */
  send(): Promise<SendReport>;
  /** Releases the device (closes its store or its session). */
  close(): Promise<void>;
}
