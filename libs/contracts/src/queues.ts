/** BullMQ queues and the jobs they carry. */
export const QUEUES = {
  ai: 'ai',
  adb: 'adb',
  webhooks: 'webhooks',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  aiCompletion: 'ai.completion',
  adbExecute: 'adb.execute',
  webhookDeliver: 'webhook.deliver',
} as const;
