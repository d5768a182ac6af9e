import 'reflect-metadata';
import { bootstrapService } from '@ish/platform';
import { AppModule } from './app.module';
import { CONFIG_PARTS } from './config';

void bootstrapService(AppModule, { service: 'worker', config: CONFIG_PARTS });
