import { RelayCoreConfig } from '@ish/relay-core';

/** The worker runs the relay's AI-call code (RelayCoreConfig); its queue settings are the jobs lib's part (JobWorkerConfig). */
export class WorkerConfig extends RelayCoreConfig {}
