import { Injectable } from '@nestjs/common';
import type { Principal } from '@ish/contracts';
import { ApiError } from '@ish/platform';
import { AUTO_MODEL, isModelAllowedByAll, ModelRequest, parseModelRef, RoutingTableStore } from '@ish/routing';

/**
 * API.md "Governance": the models a credential may call — its own allowedModels and, for a key, its
 * owner's — checked on every AI route before routing, and the filter of `GET /models`.
 */
@Injectable()
export class ModelAccess {
  constructor(private readonly routingTable: RoutingTableStore) {}

  allows(principal: Principal, request: ModelRequest): boolean {
    const lists = [principal.allowedModels, principal.kind === 'api_key' ? principal.ownerAllowedModels : null];
    if (lists.every((list) => list === null || list === undefined)) return true;
    return isModelAllowedByAll(lists, request, this.servingProviders(request.model));
  }

  /** 403 `model_not_allowed` naming the model (the Anthropic route's filter turns it into its own shape). */
  assertAllowed(principal: Principal, request: ModelRequest): void {
    if (this.allows(principal, request)) return;
    const named = request.provider ? `${request.provider}/${request.model}` : request.model;
    throw ApiError.forbidden(`This credential may not call the model ${JSON.stringify(named)} (see allowedModels in GET /api/v1/auth/me)`, 'model_not_allowed').withParam('model');
  }

  /** Providers with an instance that could take the model, whatever its health now: a request naming no provider may land on any of them. */
  private servingProviders(model: string): string[] {
    const bare = parseModelRef(model).model;
    const providers = new Set<string>();
    for (const instance of this.routingTable.current()?.instances ?? []) {
      const serves = bare === AUTO_MODEL ? instance.models.length > 0 : instance.models.length === 0 || instance.models.includes(model) || instance.models.includes(bare);
      if (serves) providers.add(instance.providerType);
    }
    return [...providers];
  }
}
