import { DynamicModule, Module } from '@nestjs/common';
import { LoadedConfig } from './config';

/**
 * The validated config parts of a process, each injectable by its class everywhere in the app.
 * bootstrapService validates the parts once, before Nest starts, and adds this module to the app.
 */
@Module({})
export class ConfigModule {
  static forLoaded(config: LoadedConfig): DynamicModule {
    const parts = config.entries().map(([part, value]) => ({ provide: part, useValue: value }));
    return {
      module: ConfigModule,
      global: true,
      providers: [{ provide: LoadedConfig, useValue: config }, ...parts],
      exports: [LoadedConfig, ...parts.map(({ provide }) => provide)],
    };
  }
}
