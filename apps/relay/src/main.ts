import 'reflect-metadata';
import { bootstrapService } from '@ish/platform';
import { WEBHOOKS_BODY_LIMIT } from '@ish/webhooks';
import { AppModule } from './app.module';
import { CONFIG_PARTS, RelayConfig } from './config';

void bootstrapService(AppModule, {
  service: 'relay',
  config: CONFIG_PARTS,
  bodyLimits: [
    // chat requests carry images as data URLs (OpenAI and Anthropic shapes alike); the Messages API reaches
    // Anthropic instances as the client sent it, byte for byte (rawBodyOf)
    { paths: ['/api/v1/messages', '/api/v1/messages/count_tokens'], limit: (config) => config.get(RelayConfig).MAX_REQUEST_BYTES, keepRaw: true },
    { paths: ['/api/v1/chat/completions'], limit: (config) => config.get(RelayConfig).MAX_REQUEST_BYTES },
    WEBHOOKS_BODY_LIMIT,
  ],
});
