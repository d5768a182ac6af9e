export * from './provider-specs';
export * from './provider-client';
export * from './safe-upstream-text';
export * from './sse-decoder';
export * from './parse-retry-after';
export * from './classify-upstream-error';
export * from './estimate-cost';
