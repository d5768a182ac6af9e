import { Module } from '@nestjs/common';
import { ConsumerRegistry } from './consumer-registry';
import { JobOutcomes } from './job-outcomes';
import { MeteredQueues } from './metered-queues';

@Module({ providers: [ConsumerRegistry, MeteredQueues, JobOutcomes], exports: [ConsumerRegistry, JobOutcomes] })
export class ConsumersModule {}
