export * from './relay-core.config';
export * from './relay-core.module';
export * from './chat-executor';
export * from './chat-completion-request';
export * from './conversation.store';
export * from './ai-job.runner';
export * from './request-log.writer';
export * from './response-cache';
