import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ALL_ENTITIES, dataSourceOptions } from '@ish/database';
import { PlatformConfig } from '../config/platform.config';

/** PostgreSQL through TypeORM; the schema comes from migrations (`npm run migrate`), never synchronize. */
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [PlatformConfig],
          useFactory: (config: PlatformConfig) => ({
            ...dataSourceOptions(config.DATABASE_URL),
            entities: ALL_ENTITIES,
            migrations: [],
            retryAttempts: 1_000_000,
            retryDelay: 1000,
          }),
        }),
      ],
    };
  }
}
