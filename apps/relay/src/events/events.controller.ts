import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Principal } from '@ish/contracts';
import { CurrentPrincipal, RequireScopes } from '@ish/platform';
import { EventHub } from './event-hub';

@ApiTags('relay')
@ApiBearerAuth()
@RequireScopes('chat')
@Controller('api/v1/events')
export class EventsController {
  constructor(private readonly hub: EventHub) {}

  /** Server-Sent Events of the caller's own events (admins also get system events) */
  @Get()
  stream(@CurrentPrincipal() principal: Principal, @Res() res: Response): void {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write(': connected\n\n');
    this.hub.add(principal, res);
  }
}
