// Links into the portal that leave the app (verify answers, emails): one place spells each.

/** Where a key's owner renews it: the key's page with the renew dialog open. */
export const renewUrlFor = (appUrl: string, keyId: string) => `${appUrl}/keys/${keyId}?renew=1`;
