import { IsInt, Max, Min } from 'class-validator';
import { AdbConfig } from '@ish/adb';

/** The bridge reads the adb variables (libs/adb AdbConfig) and its own limit on screenshots. */
export class AndroidBridgeConfig extends AdbConfig {
  /** screenshots per device per minute (each holds the device lock while `screencap` runs); past it 429 */
  @IsInt() @Min(1) @Max(600)
  ANDROID_SCREENSHOTS_PER_MINUTE = 12;
}
