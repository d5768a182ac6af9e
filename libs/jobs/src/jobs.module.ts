import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConsumerRegistry } from './consumer-registry';
import { JobExplorer } from './job-explorer';
import { JobOutcomes } from './job-outcomes';
import { JobProducer } from './job-producer';
import { JobQueues } from './job-queues';
import { JobReader } from './job-reader';
import { QueueDepths } from './queue-depths';
import { QueueMetering } from './queue-metering';

/** Jobs for any process: the queue registry, the producer (with the users' job index), the reader behind the jobs API, the queue depths. */
@Module({ providers: [JobQueues, JobProducer, JobReader, QueueDepths], exports: [JobQueues, JobProducer, JobReader, QueueDepths] })
export class JobsModule {}

/**
 * Jobs for a process that runs them (the worker): every @JobProcessor provider of the app consumes its
 * queue, with readiness proven by a canary job, outcomes announced, and the queues' metrics exported.
 * The app lists JobWorkerConfig among its config parts.
 */
@Module({
  imports: [JobsModule, DiscoveryModule],
  providers: [ConsumerRegistry, JobOutcomes, QueueMetering, JobExplorer],
  exports: [JobsModule, ConsumerRegistry, JobOutcomes],
})
export class JobWorkersModule {}
