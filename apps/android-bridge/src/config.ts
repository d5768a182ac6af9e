import { BaseConfig } from '@ish/platform';

export class AndroidBridgeConfig extends BaseConfig {}
