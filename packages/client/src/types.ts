// Names for the shapes of Keyward's API, taken from the generated OpenAPI types so they follow
// the server: regenerate (npm run sdk:generate) and these follow.
import type { components, operations } from "./generated/openapi.js";
import type { Body, Query } from "./http.js";

type Schemas = components["schemas"];

export type VerifyResult = Schemas["VerifyResult"];
export type VerifyCode = VerifyResult["code"];
export type ValidVerdict = Extract<VerifyResult, { valid: true }>;
export type RefusedVerdict = Extract<VerifyResult, { valid: false }>;
export type VerifyRequest = Body<operations["verifyKey"]>;

export type Key = Schemas["Key"];
export type KeyOwner = Schemas["KeyOwner"];
export type KeyLimits = Schemas["KeyLimits"];
export type KeyPage = Schemas["KeyPage"];
export type KeyUsage = Schemas["KeyUsage"];
export type IssuedKey = Schemas["IssuedKey"];
export type RotatedKey = Schemas["RotatedKey"];
export type ListKeysQuery = NonNullable<Query<operations["listKeys"]>>;
export type KeyUsageQuery = NonNullable<Query<operations["getKeyUsage"]>>;
export type IssueKeyRequest = Body<operations["issueKey"]>;
export type RotateKeyRequest = Body<operations["rotateKey"]>;
export type RevokeKeyRequest = Body<operations["revokeKey"]>;
export type ChangeLimitsRequest = Body<operations["changeKeyLimits"]>;
/** How long the old key keeps working after a rotation. */
export type Grace = NonNullable<RotateKeyRequest["grace"]>;
/** `{type: "days", days}`, `{type: "date", date}` or `{type: "never"}`: keys' and tokens' alike. */
export type Expiry = IssueKeyRequest["expiry"];

export type Team = Schemas["Team"];
export type TeamMember = Schemas["TeamMember"];
export type CreateTeamRequest = Body<operations["createTeam"]>;
export type RenameTeamRequest = Body<operations["renameTeam"]>;

export type WebhookEndpoint = Schemas["WebhookEndpoint"];
export type WebhookDelivery = Schemas["WebhookDelivery"];
export type CreatedWebhook = Schemas["createWebhook201"];
export type ListWebhooksQuery = NonNullable<Query<operations["listWebhooks"]>>;
export type ListDeliveriesQuery = NonNullable<Query<operations["listWebhookDeliveries"]>>;
export type CreateWebhookRequest = Body<operations["createWebhook"]>;
export type UpdateWebhookRequest = Body<operations["updateWebhook"]>;

export type TokenView = Schemas["ApiToken"];
export type TokenScope = TokenView["scopes"][number];
export type IssuedToken = Schemas["IssuedApiToken"];
export type RotatedToken = Schemas["RotatedApiToken"];
export type IssueTokenRequest = Body<operations["createToken"]>;
export type RotateTokenRequest = Body<operations["rotateToken"]>;
export type RevokeTokenRequest = Body<operations["revokeToken"]>;
/** How long a rotated token keeps working (tokens have no `until-expiry`). */
export type TokenGrace = NonNullable<RotateTokenRequest["grace"]>;
