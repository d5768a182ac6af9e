import { RelayCoreConfig } from '@ish/relay-core';

export class RelayConfig extends RelayCoreConfig {}
