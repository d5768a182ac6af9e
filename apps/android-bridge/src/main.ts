import 'reflect-metadata';
import { bootstrapService } from '@ish/platform';
import { AppModule } from './app.module';
import { AndroidBridgeConfig } from './config';

void bootstrapService(AppModule, { service: 'android-bridge', config: AndroidBridgeConfig });
