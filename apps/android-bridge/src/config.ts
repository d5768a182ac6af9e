import { IsInt, Max, Min } from 'class-validator';
import { AdbConfig } from '@ish/adb';
import { AuthGuardConfig } from '@ish/auth-guard';
import { ConfigPart, ConfigParts, GatewayConfig, PlatformConfig } from '@ish/platform';

/** The bridge's own variable: its limit on screenshots (the adb ones are AdbConfig's). */
@ConfigPart()
export class AndroidBridgeConfig {
  /** screenshots per device per minute (each holds the device lock while `screencap` runs); past it 429 */
  @IsInt() @Min(1) @Max(600)
  ANDROID_SCREENSHOTS_PER_MINUTE = 12;
}

/** What the bridge reads, validated together at start. */
export const CONFIG_PARTS: ConfigParts = [PlatformConfig, GatewayConfig, AuthGuardConfig, AdbConfig, AndroidBridgeConfig];
