import { Module } from '@nestjs/common';
import { UsageModule } from '@ish/usage';
import { CircuitStates } from './circuit-states';
import { InFlightReader } from './in-flight-reader';
import { PassiveStatsReader } from './passive-stats-reader';

/** What instances are doing right now: in-flight counts, circuits, passive health. */
@Module({ imports: [UsageModule], providers: [InFlightReader, CircuitStates, PassiveStatsReader], exports: [InFlightReader, CircuitStates, PassiveStatsReader] })
export class LiveStateModule {}
