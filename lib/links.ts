// Links into the portal that leave the app (verify answers, emails): one place spells each.

/** Where a key's owner renews it: the key's page with the renew dialog open. */
export const renewUrlFor = (appUrl: string, keyId: string) => `${appUrl}/keys/${keyId}?renew=1`;

/** Where an API token is renewed (made anew): its owner's token page, a person's or a team's. */
export const tokensUrlFor = (appUrl: string, team: { slug: string } | null) =>
  team ? `${appUrl}/teams/${team.slug}/tokens` : `${appUrl}/settings/tokens`;
