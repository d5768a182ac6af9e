export { DEFAULT_MODELS, startProviderSim } from './provider-sim';
export { FAULT_MODES, SIM_PROTOCOLS } from './types';
export { ANTHROPIC_DEFAULT_MODELS } from './anthropic/anthropic-routes';
export type { FaultMode, ProviderSim, ProviderSimOptions, SimFault, SimProtocol, SimStats } from './types';
export type { RecordedRequest } from './request-recorder';
export { embeddingVector, float32Base64 } from './embeddings';
