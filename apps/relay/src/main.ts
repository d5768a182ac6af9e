import 'reflect-metadata';
import { bootstrapService } from '@ish/platform';
import { AppModule } from './app.module';
import { CONFIG_PARTS, RelayConfig } from './config';

void bootstrapService(AppModule, {
  service: 'relay',
  config: CONFIG_PARTS,
  // chat requests carry images as data URLs (OpenAI and Anthropic shapes alike)
  largeBodies: {
    paths: ['/api/v1/chat/completions', '/api/v1/messages', '/api/v1/messages/count_tokens'],
    limit: (config) => config.get(RelayConfig).MAX_REQUEST_BYTES,
    // the Messages API reaches Anthropic instances as the client sent it, byte for byte
    rawBodies: ['/api/v1/messages', '/api/v1/messages/count_tokens'],
  },
});
