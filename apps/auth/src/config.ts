import { BaseConfig } from '@ish/platform';

export class AuthConfig extends BaseConfig {}
