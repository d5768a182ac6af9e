import 'reflect-metadata';
import { bootstrapService } from '@ish/platform';
import { AppModule } from './app.module';
import { RelayConfig } from './config';

void bootstrapService(AppModule, {
  service: 'relay',
  config: RelayConfig,
  // chat requests carry images as data URLs
  largeBodies: { paths: ['/api/v1/chat/completions'], limit: (config) => config.MAX_REQUEST_BYTES },
});
