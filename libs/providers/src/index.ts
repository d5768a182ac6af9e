export * from './provider-specs';
export * from './create-provider-client';
export * from './parse-retry-after';
export * from './classify-upstream-error';
export * from './estimate-cost';
