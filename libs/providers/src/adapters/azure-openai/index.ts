import type { ChatAdapter } from '../adapter-types';
import { azureOpenAIChatRequest, azureOpenAIChatResponse, azureOpenAIChatStream } from './azure-openai-chat';

/** Azure OpenAI: the OpenAI protocol with Azure's addressing (v1 API or deployments + api-version) and `api-key`. */
export const azureOpenAIAdapter: ChatAdapter = {
  chatRequest: azureOpenAIChatRequest,
  chatResponse: azureOpenAIChatResponse,
  chatStream: azureOpenAIChatStream,
};

export {
  AZURE_OPENAI_API,
  AZURE_OPENAI_DEFAULT_API_VERSION,
  AZURE_OPENAI_GA_API_VERSION,
  AZURE_OPENAI_PARAMETERS,
  azureDeployment,
  azureHeaders,
  azureOpenAIProbe,
  azureOperation,
  usesV1Api,
} from './azure-openai-api';
export type { AzureOpenAIOperation } from './azure-openai-api';
export { azureOpenAIChatRequest, azureOpenAIChatResponse, azureOpenAIChatStream, azureOpenAIEmbeddingsRequest } from './azure-openai-chat';
