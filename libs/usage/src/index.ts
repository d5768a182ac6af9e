export * from './instance-traffic';
export * from './live-traffic';
export * from './usage-totals';
export * from './usage-report-range';
export * from './request-log.read-model';
export * from './usage.module';
