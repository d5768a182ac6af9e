export * from './budget-period';
export * from './budgets.config';
export * from './budgets.module';
export * from './spend-ledger';
