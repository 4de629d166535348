import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ExpiryCell } from "@/components/keys/expiry-cell";
import { RevokeKeyDialog } from "@/components/keys/revoke-key-dialog";
import { RotateKeyDialog } from "@/components/keys/rotate-key-dialog";
import { StatusBadge } from "@/components/keys/status-badge";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { getCurrentUser } from "@/lib/auth/current-user";
import { KeywardError } from "@/lib/errors";
import { formatExact, formatRelative } from "@/lib/format/time";
import { EXPIRY_PRESET_DAYS } from "@/lib/keys/expiry-policy";
import { getKeyDetail, type KeyDetail } from "@/lib/keys/read/key-detail";
import { myTeams } from "@/lib/teams/membership";
import { LimitsCard } from "./limits-card";

import { UsageCard } from "./usage-card";

export const metadata: Metadata = { title: "Key" };

async function load(userId: string, id: string): Promise<KeyDetail> {
  try {
    return await getKeyDetail(userId, id);
  } catch (error) {
    if (error instanceof KeywardError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

export default async function KeyPage({ params, searchParams }: PageProps<"/keys/[id]">) {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  const { id } = await params;
  const [{ key, replacedBy, replaces, history, lastVerifier, may }, teams] = await Promise.all([
    load(user.id, id),
    myTeams(user.id),
  ]);
  const now = new Date();
  const works = key.status === "ACTIVE" || key.status === "EXPIRING" || key.status === "GRACE";
  // A team MEMBER renews and rotates only the team keys they issued (lib/keys/read/key-access.ts).
  const allowedToReplace = works ? may.rotate : may.renew;
  const canReplace = !key.replacedById && allowedToReplace;
  const otherOwners = [
    ...(key.owner.type === "team" ? [{ value: "", label: "Me (personal)" }] : []),
    ...teams.filter((t) => t.id !== key.owner.id).map((t) => ({ value: t.id, label: `Team: ${t.name}` })),
  ];
  const wantsRenew = (await searchParams).renew === "1" && canReplace;
  const mode = key.status === "EXPIRED" || key.status === "EXPIRING" || !works ? "renew" : "rotate";

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/keys" className="text-indigo-700 hover:underline dark:text-indigo-300">
          ← {key.owner.type === "team" ? "Keys" : "My keys"}
        </Link>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="flex items-center gap-3 text-2xl font-semibold tracking-tight">
            {key.name} <StatusBadge keyView={key} />
          </h1>
          <code className="mt-1 block font-mono text-sm text-zinc-600 dark:text-zinc-400">{key.masked}</code>
        </div>
        <div className="flex gap-2">
          <RotateKeyDialog
            keyId={key.id}
            keyName={key.name}
            mode={mode}
            oldKeyWorks={works}
            oldKeyExpires={key.expiresAt !== null}
            presets={[...EXPIRY_PRESET_DAYS]}
            initiallyOpen={wantsRenew}
            canReplace={canReplace}
            otherOwners={otherOwners}
            ownerName={key.owner.name}
          />
          {/* A key in grace too: revoking it ends the grace period now. */}
          {works && may.revoke ? <RevokeKeyDialog keyId={key.id} keyName={key.name} /> : null}
        </div>
      </div>
      {!key.replacedById && !allowedToReplace ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Only the person who issued this key, or a team admin, can rotate it while it works.
        </p>
      ) : null}

      {key.status === "EXPIRED" && key.expiresAt ? (
        <Alert tone="error">
          This key expired {formatRelative(key.expiresAt, now)} ({formatExact(key.expiresAt)}). Services using it get{" "}
          <code>EXPIRED</code>. {canReplace ? "Renew it to get a new key with the same name and scopes." : null}
        </Alert>
      ) : null}
      {key.status === "EXPIRING" && key.expiresAt && !key.replacedById ? (
        <Alert tone="warning">
          This key expires {formatRelative(key.expiresAt, now)} ({formatExact(key.expiresAt)}). Renew it before then.
        </Alert>
      ) : null}
      {key.blacklist && key.blacklist.reason !== "EXPIRED" ? (
        <Alert tone="error">
          Blacklisted as <strong>{key.blacklist.reason}</strong> {formatRelative(key.blacklist.at, now)} by{" "}
          {key.blacklist.by}
          {key.blacklist.note ? ` — “${key.blacklist.note}”` : ""}.
        </Alert>
      ) : null}
      {works && key.replacedById && key.worksUntil ? (
        <Alert tone={key.expiringSoon ? "warning" : "info"}>
          Replaced
          {replacedBy ? (
            <>
              {" "}
              by{" "}
              <Link className="underline" href={`/keys/${replacedBy.id}`}>
                {replacedBy.masked}
              </Link>
            </>
          ) : null}
          . This key stops working {formatRelative(key.worksUntil, now)} ({formatExact(key.worksUntil)}): move what
          still uses it to the new key{may.revoke ? ", or revoke it to end its grace now" : ""}.
        </Alert>
      ) : null}

      <dl className="grid gap-x-8 gap-y-4 rounded-xl bg-white p-5 shadow-sm ring-1 ring-zinc-200 sm:grid-cols-2 lg:grid-cols-3 dark:bg-zinc-900 dark:ring-zinc-800">
        <Item label="Scopes">
          <span className="flex flex-wrap gap-1">
            {key.scopes.map((s) => (
              <Badge key={s} tone="blue">
                {s}
              </Badge>
            ))}
          </span>
        </Item>
        <Item label="Owner">
          {key.owner.type === "team" ? (
            <span>
              Team{" "}
              <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/teams/${key.owner.slug}`}>
                {key.owner.name}
              </Link>
            </span>
          ) : (
            "You (personal)"
          )}
        </Item>
        <Item label="Issued by">{key.issuedBy?.label ?? "—"}</Item>
        <Item label="Created">{formatExact(key.createdAt)}</Item>
        <Item label="Expires">
          <ExpiryCell keyView={key} now={now} replacedBy={replacedBy} />
        </Item>
        <Item label="Last used">
          {key.lastUsedAt ? `${formatRelative(key.lastUsedAt, now)} (${formatExact(key.lastUsedAt)})` : "never"}
          {key.lastUsedAt && lastVerifier ? (
            <span data-testid="last-verifier">{`, checked by ${lastVerifier.name}`}</span>
          ) : null}
        </Item>
        <Item label="Successful verifications">
          <span data-testid="key-usage-count">{key.usageCount.toLocaleString("en")}</span>
        </Item>
        {replacedBy ? (
          <Item label="Replaced by">
            <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/keys/${replacedBy.id}`}>
              {replacedBy.masked}
            </Link>
          </Item>
        ) : null}
        {replaces ? (
          <Item label="Replaces">
            <Link className="text-indigo-700 hover:underline dark:text-indigo-300" href={`/keys/${replaces.id}`}>
              {replaces.masked}
            </Link>
          </Item>
        ) : null}
      </dl>

      <LimitsCard
        keyId={key.id}
        keyName={key.name}
        limits={key.limits}
        usageCount={key.usageCount}
        lastClientIp={key.lastClientIp}
        canChange={works && may.limits}
        unchangeableReason={
          !may.limits
            ? "Only the person who issued this key, or a team admin, can change its limits."
            : !works
              ? "This key no longer works, so its limits no longer apply."
              : undefined
        }
      />

      <UsageCard userId={user.id} keyId={key.id} />

      <section aria-labelledby="history-heading">
        <h2 id="history-heading" className="mb-3 text-lg font-semibold">
          History
        </h2>
        <ol className="space-y-3 border-l border-zinc-200 pl-4 dark:border-zinc-800">
          {history.map((entry, i) => (
            <li key={`${entry.at}-${i}`} className="text-sm">
              <p>
                <span className="font-medium">{entry.what}</span>
                {entry.by !== "—" ? <span className="text-zinc-500"> by {entry.by}</span> : null}
                {entry.detail ? <span className="text-zinc-500"> · {entry.detail}</span> : null}
              </p>
              <p className="text-xs text-zinc-500" title={formatExact(entry.at)}>
                {formatRelative(entry.at, now)}
              </p>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500">{label}</dt>
      <dd className="mt-1 text-sm">{children}</dd>
    </div>
  );
}
