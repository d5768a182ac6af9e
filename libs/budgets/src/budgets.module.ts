import { Module } from '@nestjs/common';
import { UsageModule } from '@ish/usage';
import { SpendLedger } from './spend-ledger';

/** Spend per key and user per budget period (Redis, rebuilt from request_logs): relay and worker enforce it, auth shows it. */
@Module({ imports: [UsageModule], providers: [SpendLedger], exports: [SpendLedger] })
export class BudgetsModule {}
