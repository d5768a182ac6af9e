import 'reflect-metadata';
import { bootstrapService } from '@ish/platform';
import { AppModule } from './app.module';
import { AuthConfig } from './config';

void bootstrapService(AppModule, { service: 'auth', config: AuthConfig });
