// Webhook endpoints: list, read, create, change, delete, test, new secret, deliveries. Needs
// webhooks:read or webhooks:write.
import type { operations } from "./generated/openapi.js";
import type { Http, Success } from "./http.js";
import type {
  CreatedWebhook,
  CreateWebhookRequest,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  UpdateWebhookRequest,
  WebhookEndpoint,
} from "./types.js";

export class Webhooks {
  constructor(private readonly http: Http) {}

  list(query: ListWebhooksQuery = {}): Promise<Success<operations["listWebhooks"]>> {
    return this.http.request("get", "/api/v1/webhooks", { query });
  }

  get(id: string): Promise<WebhookEndpoint> {
    return this.http.request("get", "/api/v1/webhooks/{id}", { params: { id } });
  }

  /** The answer holds the signing secret, this once. */
  create(request: CreateWebhookRequest): Promise<CreatedWebhook> {
    return this.http.request("post", "/api/v1/webhooks", { body: request });
  }

  update(id: string, request: UpdateWebhookRequest): Promise<WebhookEndpoint> {
    return this.http.request("patch", "/api/v1/webhooks/{id}", { params: { id }, body: request });
  }

  delete(id: string): Promise<Success<operations["deleteWebhook"]>> {
    return this.http.request("delete", "/api/v1/webhooks/{id}", { params: { id } });
  }

  test(id: string): Promise<Success<operations["testWebhook"]>> {
    return this.http.request("post", "/api/v1/webhooks/{id}/test", { params: { id } });
  }

  rollSecret(id: string): Promise<Success<operations["rollWebhookSecret"]>> {
    return this.http.request("post", "/api/v1/webhooks/{id}/roll-secret", { params: { id } });
  }

  deliveries(id: string, query: ListDeliveriesQuery = {}): Promise<Success<operations["listWebhookDeliveries"]>> {
    return this.http.request("get", "/api/v1/webhooks/{id}/deliveries", { params: { id }, query });
  }

  redeliver(id: string, deliveryId: string): Promise<Success<operations["redeliverWebhook"]>> {
    return this.http.request("post", "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver", {
      params: { id, deliveryId },
    });
  }
}
