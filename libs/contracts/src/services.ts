/** The five services and their default local ports (API.md, "Ports and processes"). */
export const SERVICES = {
  auth: { port: 8001 },
  relay: { port: 8002 },
  'instance-manager': { port: 8003 },
  'android-bridge': { port: 8004 },
  worker: { port: 8005 },
} as const;

export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];
