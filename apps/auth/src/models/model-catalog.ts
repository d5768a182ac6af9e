import { Injectable, Logger } from '@nestjs/common';
import { RoutingTableSnapshot, RPC } from '@ish/contracts';
import { AmqpClient } from '@ish/platform';
import { unknownModelEntries } from '@ish/routing';

/** API.md additions (README): entries of `allowedModels` that name nothing known are kept, and named here. */
export interface ModelWarnings {
  warnings?: { field: string; message: string }[];
}

/** What the gateway can route today, asked of the instance manager when an allowedModels list is written. */
@Injectable()
export class ModelCatalog {
  private readonly logger = new Logger('ModelCatalog');

  constructor(private readonly client: AmqpClient) {}

  async warnings(allowedModels: string[] | null | undefined): Promise<ModelWarnings> {
    if (!allowedModels || allowedModels.length === 0) return {};
    let table: RoutingTableSnapshot;
    try {
      table = await this.client.request<RoutingTableSnapshot>(RPC.instancesListRoutable, {});
    } catch (error) {
      // the list is valid either way; without the table there is nothing to warn about
      this.logger.warn(`could not read the routing table to check allowedModels: ${(error as Error).message}`);
      return {};
    }
    const unknown = unknownModelEntries(allowedModels, table);
    if (unknown.length === 0) return {};
    return {
      warnings: unknown.map((entry) => ({ field: 'allowedModels', message: `${JSON.stringify(entry)} names no model, alias or provider the gateway routes to now; it is kept and allows that name` })),
    };
  }
}
