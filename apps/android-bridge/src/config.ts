import { AdbConfig } from '@ish/adb';

/** The bridge reads the adb variables (libs/adb AdbConfig) and nothing of its own. */
export class AndroidBridgeConfig extends AdbConfig {}
