export * from './routing-table.store';
export * from './routing-table.module';
