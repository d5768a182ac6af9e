export * from './data-source';
export * from './entities/instance.entity';
export * from './entities/request-log.entity';
