import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CreateInstanceRequest, InstanceView, UpdateInstanceRequest } from '@ish/contracts';
import { RequireScopes } from '@ish/platform';
import { InstancesService } from './instances.service';

@ApiTags('instances')
@ApiBearerAuth()
@Controller('api/v1/instances')
export class InstancesController {
  constructor(private readonly instances: InstancesService) {}

  @RequireScopes('instances:read')
  @Get()
  list(): Promise<InstanceView[]> {
    return this.instances.list();
  }

  @RequireScopes('instances:read')
  @Get('status')
  status() {
    return this.instances.status();
  }

  @RequireScopes('instances:write')
  @Post()
  create(@Body() body: CreateInstanceRequest): Promise<InstanceView> {
    return this.instances.create(body);
  }

  @RequireScopes('instances:read')
  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<InstanceView> {
    return this.instances.get(id);
  }

  @RequireScopes('instances:write')
  @Patch(':id')
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateInstanceRequest): Promise<InstanceView> {
    return this.instances.update(id, body);
  }

  @RequireScopes('instances:write')
  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.instances.remove(id);
  }
}
