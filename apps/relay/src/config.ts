import { BaseConfig } from '@ish/platform';

export class RelayConfig extends BaseConfig {}
