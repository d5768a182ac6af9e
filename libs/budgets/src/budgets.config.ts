import { IsNumber, Max, Min } from 'class-validator';
import { ConfigPart } from '@ish/platform';

/** What relay and worker read to enforce budgets (API.md "Governance"). */
@ConfigPart()
export class BudgetsConfig {
  /** `budget.warning` goes out once per period when spend reaches this share of the limit */
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.01) @Max(1)
  BUDGET_WARNING_RATIO = 0.8;
}
