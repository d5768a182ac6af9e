// class-transformer's @Type reads decorator metadata
import 'reflect-metadata';

export * from './services';
export * from './messaging';
export * from './queues';
export * from './redis-keys';
export * from './errors';
export * from './health';
export * from './instances';
export * from './stats';
export * from './auth';
export * from './android';
export * from './relay';
export * from './webhooks';
export * from './validation/outbound-address';
export * from './validation/outbound-url';
export * from './validation/model-fallbacks';
export * from './validation/model-aliases';
export * from './validation/instance-settings';
export * from './validation/less-than-property';
export * from './validation/omittable';
export * from './validation/openapi-schema';
export * from './embeddings';
export * from './validation/embedding-input';
export * from './usage';
