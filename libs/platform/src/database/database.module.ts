import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ALL_ENTITIES, dataSourceOptions } from '@ish/database';
import { BaseConfig } from '../config/config';

/** PostgreSQL through TypeORM; the schema comes from migrations (`npm run migrate`), never synchronize. */
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [BaseConfig],
          useFactory: (config: BaseConfig) => ({
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
