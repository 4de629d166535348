"use client";
// Two-factor authentication (TOTP): set up with a QR code (or the secret typed by hand), confirm
// with a first code, keep the 10 recovery codes shown once; regenerate them; turn it off with a
// code. Every call goes through callApi, so sudo mode's dialog asks first where it must.
import { useRouter } from "next/navigation";
import QRCode from "qrcode";
import { useEffect, useState, type FormEvent } from "react";
import { ApiError, callApi, refusalText } from "@/components/keys/api-client";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { useConfirm } from "@/components/ui/use-confirm";
import type { SecondFactorStatus } from "@/lib/second-factor/enrolment";

type Stage =
  | { kind: "idle" }
  | { kind: "enrolling"; secret: string; otpauthUrl: string; qrSvg: string }
  | { kind: "codes"; codes: string[] };

export function SecurityPanel({ initial }: { initial: SecondFactorStatus }) {
  const router = useRouter();
  const [stage, setStage] = useState<Stage>({ kind: "idle" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDialog, ask] = useConfirm();
  // Just turned on: the codes show before the page is read again.
  const enabled = initial.totp.enabled || stage.kind === "codes";

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e instanceof ApiError ? refusalText(e, "That did not work.") : "That did not work. Try again.");
    } finally {
      setBusy(false);
    }
  }

  const start = () =>
    run(async () => {
      const { secret, otpauthUrl } = await callApi<{ secret: string; otpauthUrl: string }>(
        "POST",
        "/api/v1/me/2fa/totp",
      );
      const qrSvg = await QRCode.toString(otpauthUrl, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
      setStage({ kind: "enrolling", secret, otpauthUrl, qrSvg });
    });

  const confirm = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "");
    void run(async () => {
      const { recoveryCodes } = await callApi<{ recoveryCodes: string[] }>("POST", "/api/v1/me/2fa/totp/confirm", {
        code,
      });
      setStage({ kind: "codes", codes: recoveryCodes });
    });
  };

  const regenerate = async () => {
    if (
      !(await ask("Make 10 new recovery codes? The ones you have now stop working.", "Make new codes", {
        danger: false,
      }))
    )
      return;
    await run(async () => {
      const { recoveryCodes } = await callApi<{ recoveryCodes: string[] }>("POST", "/api/v1/me/2fa/recovery-codes");
      setStage({ kind: "codes", codes: recoveryCodes });
    });
  };

  const disable = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "");
    void (async () => {
      if (!(await ask("Turn off two-factor authentication? Your password alone will sign you in.", "Turn off"))) return;
      await run(async () => {
        await callApi("DELETE", "/api/v1/me/2fa/totp", { code });
        router.refresh();
      });
    })();
  };

  return (
    <section
      aria-labelledby="totp-heading"
      className="space-y-4 rounded-xl p-4 ring-1 ring-zinc-200 dark:ring-zinc-800"
    >
      {confirmDialog}
      <div className="flex items-center justify-between gap-2">
        <h2 id="totp-heading" className="text-lg font-semibold">
          Two-factor authentication
        </h2>
        {enabled ? <Badge tone="green">on</Badge> : <Badge tone="gray">off</Badge>}
      </div>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {stage.kind === "codes" ? (
        <RecoveryCodes
          codes={stage.codes}
          onDone={() => {
            setStage({ kind: "idle" });
            router.refresh();
          }}
        />
      ) : stage.kind === "enrolling" ? (
        <div className="space-y-4">
          <p className="text-sm">
            Scan this code with your authenticator app (1Password, Google Authenticator, Authy, …), then type the
            6-digit code it shows.
          </p>
          <div className="flex flex-wrap items-start gap-4">
            {/* The SVG is made here, in the browser, from the otpauth URI: no image request carries the secret. */}
            <div
              role="img"
              aria-label="QR code of the secret"
              data-testid="totp-qr"
              className="size-48 rounded-md bg-white p-2"
              dangerouslySetInnerHTML={{ __html: stage.qrSvg }}
            />
            <div className="min-w-0 flex-1 space-y-1 text-sm">
              <p>Or type this secret by hand:</p>
              <code
                data-testid="totp-secret"
                className="block break-all rounded-md bg-zinc-100 px-3 py-2 font-mono dark:bg-zinc-800"
              >
                {stage.secret}
              </code>
            </div>
          </div>
          <form onSubmit={confirm} className="flex flex-wrap items-end gap-2" noValidate>
            <Field id="totp-code" label="Code from the app">
              <Input
                id="totp-code"
                name="code"
                autoComplete="one-time-code"
                inputMode="numeric"
                required
                className="w-40"
              />
            </Field>
            <Button type="submit" disabled={busy}>
              {busy ? "Checking…" : "Turn on"}
            </Button>
          </form>
        </div>
      ) : enabled ? (
        <div className="space-y-4">
          <p className="text-sm">
            Signing in asks for a code from your authenticator app after your password. {initial.recoveryCodesLeft}{" "}
            recovery code
            {initial.recoveryCodesLeft === 1 ? "" : "s"} left.
          </p>
          <Button variant="secondary" disabled={busy} onClick={regenerate}>
            Make new recovery codes
          </Button>
          <form
            onSubmit={disable}
            className="flex flex-wrap items-end gap-2 border-t border-zinc-200 pt-4 dark:border-zinc-800"
            noValidate
          >
            <Field id="disable-code" label="Code or recovery code, to turn it off">
              <Input id="disable-code" name="code" autoComplete="one-time-code" required className="w-56" />
            </Field>
            <Button type="submit" variant="danger" disabled={busy}>
              Turn off
            </Button>
          </form>
        </div>
      ) : (
        <div className="space-y-3">
          <p className="text-sm">
            Protect your account with a code from an authenticator app, asked for after your password.
          </p>
          <Button disabled={busy} onClick={start}>
            {initial.totp.pending ? "Start again" : "Set up two-factor authentication"}
          </Button>
        </div>
      )}
    </section>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    const url = URL.createObjectURL(
      new Blob([`Keyward recovery codes (each works once)\n\n${codes.join("\n")}\n`], { type: "text/plain" }),
    );
    // The object URL is a browser resource made and released with the codes: an effect's job.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [codes]);
  return (
    <div className="space-y-3">
      <Alert tone="warning">
        Save these recovery codes now. Each signs you in once if you lose your authenticator app. They are shown{" "}
        <strong>only once</strong>.
      </Alert>
      <ul
        data-testid="recovery-codes"
        className="grid grid-cols-2 gap-2 rounded-md bg-zinc-100 p-3 font-mono text-sm dark:bg-zinc-800"
      >
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard.writeText(codes.join("\n"));
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
        {href ? (
          <a
            href={href}
            download="keyward-recovery-codes.txt"
            className="inline-flex items-center rounded-md px-3 py-2 text-sm font-semibold ring-1 ring-inset ring-zinc-300 hover:bg-zinc-50 dark:ring-zinc-700 dark:hover:bg-zinc-800"
          >
            Download
          </a>
        ) : null}
        <Button onClick={onDone}>I saved them</Button>
      </div>
    </div>
  );
}
