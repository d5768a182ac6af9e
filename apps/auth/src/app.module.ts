import { Module } from '@nestjs/common';
import { PlatformModule } from '@ish/platform';
import { AuthConfig } from './config';

@Module({
  imports: [PlatformModule.forRoot({ service: 'auth', config: AuthConfig })],
})
export class AppModule {}
