export * from './auth-guard.module';
export * from './auth.guard';
export * from './credential-verifier';
export * from './jwt-keys';
export * from './rate-limiter';
export * from './revocations';
export * from './scopes';
export * from './secrets';
