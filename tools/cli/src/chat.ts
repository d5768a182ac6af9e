import OpenAI, { APIConnectionError, APIError } from 'openai';
import { CliConfig, CliError, describeApiError } from './gateway';

/** Streams one reply through POST /api/v1/chat/completions, writing each token as it arrives. */
export async function streamChat(config: CliConfig, message: string, model: string, write: (text: string) => void): Promise<void> {
  const client = new OpenAI({ apiKey: config.apiKey, baseURL: `${config.gatewayUrl}/api/v1`, maxRetries: 0 });
  try {
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: message }], stream: true });
    for await (const chunk of stream) {
      const text = chunk.choices[0]?.delta?.content;
      if (text) write(text);
    }
  } catch (error) {
    if (error instanceof APIConnectionError) throw new CliError(`cannot reach the gateway at ${config.gatewayUrl}: ${(error.cause as Error | undefined)?.message ?? error.message}`);
    // the SDK keeps the API.md body's `error` object; describeApiError wants the whole body
    if (error instanceof APIError) throw new CliError(describeApiError(error.status ?? 0, { error: error.error }));
    throw error;
  }
}
