import 'reflect-metadata';
import { bootstrapService } from '@ish/platform';
import { AppModule } from './app.module';
import { RelayConfig } from './config';

void bootstrapService(AppModule, { service: 'relay', config: RelayConfig, bodyLimit: (config) => config.MAX_REQUEST_BYTES });
