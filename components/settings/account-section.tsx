"use client";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { ApiError, callApi } from "@/components/keys/api-client";

interface Props {
  email: string;
  emailVerified: boolean;
  hasPassword: boolean;
  github: { enabled: boolean; linked: boolean };
  /** Single sign-on (OIDC), connected like GitHub. */
  sso?: { enabled: boolean; name: string; linked: boolean };
  /** What the page was told in its URL (e.g. after GitHub sent the browser back). */
  notice?: string;
}

type Status = { tone: "success" | "error" | "info"; text: string } | null;

const messageOf = (e: unknown) =>
  e instanceof ApiError
    ? [e.message, ...e.fieldErrors.map((f) => f.message)].join(" ")
    : "Something went wrong. Try again.";

/** The account itself: the address and its verification, the password, a connected GitHub. */
export function AccountSection({ email, emailVerified, hasPassword, github, sso, notice }: Props) {
  const [status, setStatus] = useState<Status>(notice ? { tone: "success", text: notice } : null);
  const [pending, setPending] = useState<string | null>(null);

  async function run(name: string, work: () => Promise<string | void>) {
    setPending(name);
    setStatus(null);
    try {
      const text = await work();
      if (text) setStatus({ tone: "success", text });
    } catch (e) {
      setStatus({ tone: "error", text: messageOf(e) });
    } finally {
      setPending(null);
    }
  }

  async function changePassword(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    await run("password", async () => {
      await callApi("POST", "/api/v1/me/password", {
        ...(hasPassword ? { currentPassword: String(data.get("currentPassword")) } : {}),
        password: String(data.get("password")),
      });
      form.reset();
      return "Password changed. Every other session of your account has ended.";
    });
  }

  return (
    <section aria-labelledby="account-heading" className="max-w-lg space-y-5">
      <h2 id="account-heading" className="text-lg font-semibold">
        Account
      </h2>
      {status ? <Alert tone={status.tone}>{status.text}</Alert> : null}
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span className="break-all font-medium">{email}</span>
        {emailVerified ? <Badge tone="green">verified</Badge> : <Badge tone="amber">not verified</Badge>}
        {emailVerified ? null : (
          <Button
            variant="secondary"
            disabled={pending !== null}
            onClick={() =>
              run(
                "verify",
                async () => (await callApi("POST", "/api/v1/me/verification"), `We sent a new link to ${email}.`),
              )
            }
          >
            {pending === "verify" ? "Sending…" : "Send a verification link"}
          </Button>
        )}
      </div>

      <form
        onSubmit={changePassword}
        className="space-y-3"
        aria-label={hasPassword ? "Change password" : "Set a password"}
      >
        <h3 className="text-sm font-medium">{hasPassword ? "Change password" : "Set a password"}</h3>
        {hasPassword ? (
          <Field id="current-password" label="Current password">
            <Input
              id="current-password"
              name="currentPassword"
              type="password"
              autoComplete="current-password"
              required
            />
          </Field>
        ) : null}
        <Field
          id="new-password"
          label="New password"
          hint="At least 8 characters. Every other session of your account ends."
        >
          <Input id="new-password" name="password" type="password" autoComplete="new-password" minLength={8} required />
        </Field>
        <Button type="submit" disabled={pending !== null}>
          {pending === "password" ? "Saving…" : hasPassword ? "Change password" : "Set password"}
        </Button>
      </form>

      {github.enabled ? (
        <ExternalIdentity
          name="GitHub"
          linked={github.linked}
          path="/api/v1/me/github"
          email={email}
          emailVerified={emailVerified}
          pending={pending}
          run={run}
        />
      ) : null}
      {sso?.enabled ? (
        <ExternalIdentity
          name={sso.name}
          linked={sso.linked}
          path="/api/v1/me/sso"
          email={email}
          emailVerified={emailVerified}
          pending={pending}
          run={run}
        />
      ) : null}
    </section>
  );
}

/** A connected sign-in provider (GitHub, single sign-on): connect it, or disconnect it. */
function ExternalIdentity(props: {
  name: string;
  linked: boolean;
  /** GET/DELETE here; POST {path}/connect answers where to send the browser. */
  path: string;
  email: string;
  emailVerified: boolean;
  pending: string | null;
  run: (name: string, work: () => Promise<string | void>) => Promise<void>;
}) {
  const { name, path, email, emailVerified, pending, run } = props;
  const [linked, setLinked] = useState(props.linked);
  return (
    <div className="space-y-2">
      <h3 className="text-sm font-medium">{name}</h3>
      {linked ? (
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <Badge tone="green">connected</Badge>
          <Button
            variant="secondary"
            disabled={pending !== null}
            onClick={() =>
              run(path, async () => (await callApi("DELETE", path), setLinked(false), `${name} disconnected.`))
            }
          >
            {pending === path ? "Disconnecting…" : `Disconnect ${name}`}
          </Button>
        </div>
      ) : (
        <div className="space-y-2 text-sm">
          <p className="text-zinc-600 dark:text-zinc-400">
            Sign in with {name} from now on. {name} must report {email} as one of your verified addresses.
          </p>
          <Button
            variant="secondary"
            disabled={pending !== null || !emailVerified}
            onClick={() =>
              run(path, async () => {
                const { url } = await callApi<{ url: string }>("POST", `${path}/connect`);
                window.location.assign(url);
              })
            }
          >
            {pending === path ? `Opening ${name}…` : `Connect ${name}`}
          </Button>
          {emailVerified ? null : <p className="text-xs text-zinc-500">Verify your address first.</p>}
        </div>
      )}
    </div>
  );
}
