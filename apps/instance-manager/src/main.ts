import 'reflect-metadata';
import { bootstrapService } from '@ish/platform';
import { AppModule } from './app.module';
import { InstanceManagerConfig } from './config';

void bootstrapService(AppModule, { service: 'instance-manager', config: InstanceManagerConfig });
