// the harness the integration tests, the chaos scenarios and the benchmarks share (one project: test-support)
export * from './env';
export * from './event-stream';
export * from './http';
export * from './instances';
export * from './model-list-provider';
export * from './request-logs';
export * from './system';
export * from './webhook-receiver';
export * from './workers';
export { default as globalSetup } from './global-setup';
export { default as globalTeardown } from './global-teardown';
