export { DEFAULT_MODELS, startProviderSim } from './provider-sim';
export { FAULT_MODES } from './types';
export type { FaultMode, ProviderSim, ProviderSimOptions, SimFault, SimStats } from './types';
export type { RecordedRequest } from './request-recorder';
